"""With the Content-Security-Policy on, charts, htmx and the print button still work, and nothing is blocked."""

import pytest
from playwright.sync_api import expect

from dashboard.models import QuarterlyReport
from plans.choices import MembershipRole
from plans.models import Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

# Record every CSP violation the page reports, from before any of its own scripts run.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations from the DOM and from the console."""
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.console_messages = console
    return page


def violations(page):
    blocked = [text for text in page.console_messages if "Content Security Policy" in text]
    return page.evaluate("window.cspViolations") + blocked


def person(username, partnership_slug, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=Partnership.objects.get(slug=partnership_slug), role=role)
    return user


def test_dashboard_charts_render_under_the_policy(seeded, watched, sign_in):
    viewer = person("viewer", "south-ayrshire-hscp", MembershipRole.VIEWER)
    MembershipFactory(user=viewer, partnership=Partnership.objects.get(slug="east-ayrshire-hscp"))
    page = sign_in(viewer)
    for url in ["/partnerships/south-ayrshire-hscp/dashboard/", "/plans/east-ayrshire-chcj-sip-2020-21/dashboard/"]:
        response = page.goto(url)
        script_src = response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert script_src.split()[0] == "'self'" and "unsafe" not in script_src
        placeholders = page.locator("[data-plotly-figure]")
        assert placeholders.count() >= 1
        expect(placeholders.last.locator(".main-svg").first).to_be_visible()
        # Every chart on the page was drawn, with its bars.
        assert page.locator("[data-plotly-figure].js-plotly-plot").count() == placeholders.count()
        assert page.locator("[data-plotly-figure] .bars .point").count() > 0
        assert violations(page) == [], url


def test_htmx_dialog_works_under_the_policy(seeded, watched, sign_in):
    page = sign_in(person("ea.manager", "east-ayrshire-hscp", MembershipRole.MANAGER))
    page.goto("/plans/east-ayrshire-chcj-sip-2020-21/actions/")
    page.get_by_role("link", name="Update A03").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Amber").check()
    dialog.get_by_label("Commentary").fill("Checked under the Content-Security-Policy.")
    dialog.get_by_role("button", name="Save update").click()
    expect(dialog.get_by_text("A03 saved")).to_be_visible()
    expect(page.locator("#status-1003")).to_have_text("Amber")
    assert violations(page) == []


def test_the_board_papers_print_button_works_under_the_policy(seeded, watched, sign_in):
    report = QuarterlyReport.objects.select_related("plan__partnership").first()
    page = sign_in(person("board", report.plan.partnership.slug, MembershipRole.VIEWER))
    page.add_init_script("window.print = () => { window.printed = true; };")
    page.goto(f"/plans/{report.plan.slug}/reports/{report.period_year}/q{report.period_quarter}/print/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True
    assert violations(page) == []
