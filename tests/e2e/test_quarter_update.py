"""A manager updates all their actions on one page; one row meets someone else's update on the way."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import ImprovementAction, Partnership
from plans.periods import FinancialQuarter
from tests.factories import MembershipFactory, UserFactory, record_progress

pytestmark = pytest.mark.e2e


def test_bulk_update_saves_good_rows_and_refuses_the_conflicting_one(seeded, sign_in):
    east_ayrshire = Partnership.objects.get(slug="east-ayrshire-hscp")
    manager = UserFactory(username="bulk.manager")
    colleague = UserFactory(username="bulk.colleague", first_name="Siobhan", last_name="O'Neill")
    for user in (manager, colleague):
        MembershipFactory(user=user, partnership=east_ayrshire, role=MembershipRole.MANAGER)
    a03, a05 = ImprovementAction.objects.get(pk=1003), ImprovementAction.objects.get(pk=1005)
    for action in (a03, a05):
        action.responsible_users.add(manager)

    page = sign_in(manager)
    page.goto("/my-actions/")
    # Update beside an action opens the same dialog as in the action lists.
    page.get_by_role("link", name="Update A03").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Last commentary")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(f"{page.url.split('/my-actions/')[0]}/my-actions/")

    page.get_by_role("link", name="Update all at once").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Update my actions for")
    first, second = page.locator("#row-1003"), page.locator("#row-1005")
    expect(first).to_contain_text("2020/21")  # the plan year
    expect(first).to_contain_text("31 Mar 2021")  # the due date

    first.get_by_label("Green").check()
    first.get_by_label("Percent complete").fill("50")
    first.get_by_label("Commentary").fill("Consultation complete.")
    second.get_by_label("Red").check()
    second.get_by_label("Commentary").fill("No lead officer in post.")
    # Meanwhile a colleague updates A05.
    record_progress(a05, colleague, "amber", FinancialQuarter.current(), commentary="Interim lead appointed.")
    page.get_by_role("button", name="Save all updates").click()

    summary = page.locator("#bulk-errors")
    expect(summary).to_contain_text("1 saved. 1 not saved")
    expect(summary).to_be_focused()
    expect(first.get_by_role("status")).to_contain_text("Saved for")
    conflict = second.locator("#update-conflict-1005")
    expect(conflict).to_contain_text("someone else updated this action")
    expect(conflict).to_contain_text("Interim lead appointed.")
    expect(second.get_by_label("Commentary")).to_have_value("No lead officer in post.")
    expect(second.get_by_label("Red")).to_be_checked()
    a05.refresh_from_db()
    assert a05.status == "amber" and a05.updates.count() == 1
    assert ImprovementAction.objects.get(pk=1003).status == "green"

    # Having read the colleague's update, the manager saves theirs on purpose.
    page.get_by_role("button", name="Save all updates").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved 1 update for")
    a05.refresh_from_db()
    assert a05.status == "red" and a05.updates.count() == 2
