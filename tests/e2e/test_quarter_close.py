"""Issue 11 in a real browser: a quarter is signed off, a manager is told and updates the open quarter;
the board follows "Worsened" to the action behind it."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import ImprovementAction, Partnership
from plans.periods import FinancialQuarter
from tests.e2e.test_accessibility import violations
from tests.factories import MembershipFactory, UserFactory, record_progress

pytestmark = pytest.mark.e2e

DASHBOARD = "/plans/east-ayrshire-chcj-sip-2020-21/dashboard/"


def person(username, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=Partnership.objects.get(slug="east-ayrshire-hscp"), role=role)
    return user


def test_a_closed_quarter_is_explained_and_worsened_leads_to_the_action(seeded, new_signed_in_page, sign_in):
    quarter = FinancialQuarter.current()
    manager = person("ea.manager", MembershipRole.MANAGER)
    action = ImprovementAction.objects.get(pk=1003)
    action.responsible_users.add(manager)
    record_progress(action, manager, "green", quarter.previous(), percent=30, commentary="Started on time.")
    record_progress(action, manager, "red", quarter, percent=35, commentary="Two key posts are vacant.")

    # The partnership admin signs the quarter off from its report.
    padmin = person("ea.padmin", MembershipRole.PARTNERSHIP_ADMIN)
    admin = sign_in(padmin)
    admin.goto(f"{DASHBOARD}?quarter={quarter}")
    admin.get_by_role("link", name=f"Prepare the {quarter} report").click()
    admin.get_by_role("button", name="Save draft").click()
    admin.get_by_role("link", name=f"Sign off {quarter}").click()
    admin.get_by_role("button", name=f"Sign off {quarter}").click()
    expect(admin.locator("#report-status")).to_contain_text("Signed off")
    admin.goto(f"{DASHBOARD}?quarter={quarter}")
    expect(admin.get_by_role("link", name=f"Open the signed-off {quarter} report")).to_be_visible()

    # The manager is told the quarter is closed, by whom, and that updates go to the next one.
    page = new_signed_in_page(manager)
    page.goto(f"/actions/{action.pk}/update/")
    notice = page.locator("#quarter-closed")
    expect(notice).to_contain_text(f"{quarter} is closed: signed off by {padmin.get_full_name()} on")
    expect(notice).to_contain_text(f"Updates now go to {quarter.next()}.")
    period = page.get_by_label("Reporting quarter")
    expect(period).to_have_value(str(quarter.next()))
    expect(period).not_to_contain_text(str(quarter))
    assert violations(page) == []
    page.get_by_label("Green").check()
    page.get_by_label("Commentary").fill("One post filled; the second is at interview.")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(lambda url: "/update/" not in url)
    assert action.updates.order_by("-pk").first().period == quarter.next()
    page.goto("/my-actions/")
    expect(page.locator("h1 + p")).to_contain_text(f"Reporting quarter {quarter.next()}")
    needs_update = page.locator("section", has=page.locator("#not-updated-heading"))
    expect(needs_update).not_to_contain_text(action.title)

    # The board reads the signed-off quarter: "Worsened 1" leads to the action and why.
    page.goto(f"{DASHBOARD}?quarter={quarter}")
    page.locator("#movement").get_by_role("link", name="Worsened: 1 action").click()
    table = page.locator("#moved-actions")
    expect(table).to_contain_text("Green")
    expect(table).to_contain_text("Red")
    expect(table).to_contain_text("Two key posts are vacant.")
    assert violations(page) == []
    table.get_by_role("link", name=f"{action.reference} {action.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(action.title)
