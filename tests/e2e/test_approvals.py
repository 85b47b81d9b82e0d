"""The whole approval round trip in a real browser: switch it on, submit, return, resubmit, approve."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

EA_ACTIONS = "/plans/east-ayrshire-chcj-sip-2020-21/actions/"


def person(username, role, first_name):
    user = UserFactory(username=username, first_name=first_name, last_name="Test")
    MembershipFactory(user=user, partnership=Partnership.objects.get(slug="east-ayrshire-hscp"), role=role)
    return user


def submit_update(page, status, commentary):
    page.goto(EA_ACTIONS)
    page.get_by_role("link", name="Update A05").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(status).check()
    dialog.get_by_label("Commentary").fill(commentary)
    dialog.get_by_role("button", name="Save update").click()
    expect(dialog.get_by_text("A05 submitted for approval")).to_be_visible()
    expect(page.locator("#status-1005")).to_have_text("Not yet assessed")  # not counted until approved


def switch_user(page, sign_in, user):
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    return sign_in(user)


def test_an_update_is_returned_then_resubmitted_and_approved(seeded, sign_in):
    admin = person("ea.approver", MembershipRole.PARTNERSHIP_ADMIN, "Ailsa")
    manager = person("ea.officer", MembershipRole.MANAGER, "Morven")

    page = sign_in(admin)
    page.goto("/partnerships/east-ayrshire-hscp/calendar/")
    page.get_by_label("Updates need approval").check()
    page.get_by_role("button", name="Save the calendar").click()
    expect(page.get_by_text("The reporting calendar is saved.")).to_be_visible()

    page = switch_user(page, sign_in, manager)
    submit_update(page, "Red", "No lead officer in post.")

    page = switch_user(page, sign_in, admin)
    page.get_by_role("link", name="Approvals").click()
    page.get_by_label("Reason for returning it").fill("Name the interim lead, please.")
    page.get_by_role("button", name="Return").click()
    expect(page.get_by_text("update is returned to its author")).to_be_visible()

    page = switch_user(page, sign_in, manager)
    page.get_by_role("link", name="My actions").click()
    returned = page.locator("#returned")
    expect(returned).to_contain_text("returned by Ailsa Test: Name the interim lead, please.")
    submit_update(page, "Amber", "Interim lead: Morven Test, from 1 July.")

    page = switch_user(page, sign_in, admin)
    page.get_by_role("link", name="Approvals").click()
    expect(page.locator("#approvals")).to_contain_text("Interim lead: Morven Test")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing is waiting for your approval.")).to_be_visible()

    page.goto(EA_ACTIONS)
    expect(page.locator("#status-1005")).to_have_text("Amber")
    page.get_by_role("table").get_by_role("link", name="A05", exact=True).click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Approved by Ailsa Test")
    expect(timeline).to_contain_text("Returned by Ailsa Test")
    expect(timeline).to_contain_text("Name the interim lead, please.")
