"""The management team's quarter: dashboards, sign-off and the board paper, in a real browser."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from plans.choices import MembershipRole
from plans.models import ImprovementAction, Partnership
from plans.periods import FinancialQuarter
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e


def person(username, partnership_slug, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=Partnership.objects.get(slug=partnership_slug), role=role)
    return user


def test_dashboard_draws_its_charts(seeded, sign_in):
    page = sign_in(person("sa.board", "south-ayrshire-hscp", MembershipRole.VIEWER))
    page.goto("/partnerships/south-ayrshire-hscp/dashboard/")
    expect(page.get_by_role("heading", name="Looked after children: number")).to_be_visible()
    assert page.evaluate("typeof Plotly") == "object"
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert page.locator(".js-plotly-plot").count() >= 6  # RAG chart and five indicators
    # Every chart has its figures as text too.
    expect(page.locator("#rag-table")).to_contain_text("Not yet assessed")


def test_sign_off_freezes_the_quarter_against_a_managers_later_update(seeded, browser, live_server, sign_in):
    quarter = FinancialQuarter.current()
    manager = person("ea.mgr", "east-ayrshire-hscp", MembershipRole.MANAGER)
    admin = sign_in(person("ea.padmin", "east-ayrshire-hscp", MembershipRole.PARTNERSHIP_ADMIN))

    # The manager opens an update form for the current quarter before the quarter is closed.
    manager_context = browser.new_context(base_url=live_server.url)
    manager_page = manager_context.new_page()
    manager_page.goto("/login/")
    manager_page.get_by_label("Username").fill(manager.username)
    manager_page.get_by_label("Password").fill("correct horse battery staple")
    manager_page.get_by_role("button", name="Sign in").click()
    manager_page.goto("/actions/1001/update/")
    expect(manager_page.get_by_label("Reporting quarter")).to_have_value(str(quarter))

    # The partnership admin prepares the quarter's report from the dashboard and signs it off.
    admin.goto(f"/plans/east-ayrshire-chcj-sip-2020-21/dashboard/?quarter={quarter}")
    admin.get_by_role("link", name=f"Prepare the {quarter} report").click()
    admin.get_by_label("Change requests").fill("None")
    admin.get_by_role("button", name="Save draft").click()
    expect(admin.get_by_role("alert")).to_contain_text("saved as a draft")
    admin.get_by_role("link", name=f"Sign off {quarter}").click()
    admin.get_by_role("button", name=f"Sign off {quarter}").click()  # the confirmation page
    expect(admin.locator("#report-status")).to_contain_text("Signed off")

    # The manager's update to the closed quarter is refused; nothing is written.
    manager_page.get_by_label("Green").check()
    manager_page.get_by_label("Commentary").fill("Training running online.")
    manager_page.get_by_role("button", name="Save update").click()
    expect(
        manager_page.get_by_text(f"{quarter} is not open for updates. {quarter} is closed: signed off by")
    ).to_be_visible()
    assert ImprovementAction.objects.get(pk=1001).updates.count() == 0
    # A fresh form offers only the next quarter.
    manager_page.goto("/actions/1001/update/")
    expect(manager_page.get_by_label("Reporting quarter")).not_to_contain_text(str(quarter))
    manager_context.close()


def test_the_board_paper_downloads_as_a_pdf(seeded, sign_in):
    page = sign_in(person("moray.viewer", "moray-cpp", MembershipRole.VIEWER))
    page.goto("/plans/moray-loip-children-2021-22/reports/2021/q1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2021/22 Q1")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    for heading in ["Summary", "Progress summary", "Improvement actions", "Risks and issues", "Next steps"]:
        assert heading in text


def test_closing_and_reopening_a_quarter_says_what_it_does_first(seeded, sign_in):
    admin = sign_in(person("moray.padmin", "moray-cpp", MembershipRole.PARTNERSHIP_ADMIN))
    admin.goto("/plans/moray-loip-children-2021-22/reports/2021/q1/edit/")
    # "Add another" commentary works without a script: the page comes back with an empty row, text kept.
    before = admin.locator("fieldset[id^=commentary-]").count()
    admin.get_by_role("button", name="Add another commentary").click()
    expect(admin.locator("fieldset[id^=commentary-]")).to_have_count(before + 1)
    admin.get_by_role("button", name="Save draft").click()
    expect(admin.get_by_role("alert")).to_contain_text("saved as a draft")

    # Sign-off asks first, saying what will be frozen; Cancel leaves the report a draft.
    admin.get_by_role("link", name="Sign off 2021/22 Q1").click()
    expect(admin.locator("#consequences")).to_contain_text("frozen as they read now")
    admin.get_by_role("link", name="Cancel").click()
    expect(admin.locator("#report-status")).to_contain_text("Draft")
    admin.get_by_role("link", name="Sign off 2021/22 Q1").click()
    admin.get_by_role("button", name="Sign off 2021/22 Q1").click()
    expect(admin.locator("#report-status")).to_contain_text("Signed off")

    # Reopening is at the top of the signed-off report, and asks for the reason on its own page.
    admin.get_by_role("link", name="Reopen 2021/22 Q1…").click()
    expect(admin.locator("#consequences")).to_contain_text("is set aside")
    admin.get_by_label("Why reopen this quarter?").fill("Figures corrected by the lead officer.")
    admin.get_by_role("button", name="Reopen 2021/22 Q1").click()
    expect(admin.locator("#report-status")).to_contain_text("Draft")
    expect(admin.locator("#report-events")).to_contain_text("Figures corrected by the lead officer.")
