"""A service manager's quarter-end update, in a real browser against the seeded plans."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import ImprovementAction, Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

EA_ACTIONS = "/plans/east-ayrshire-chcj-sip-2020-21/actions/"


def person(username, partnership_slug, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=Partnership.objects.get(slug=partnership_slug), role=role)
    return user


def forged_post(page, path):
    """POST from inside the signed-in page, with its CSRF token, as a tampering user could."""
    return page.evaluate(
        """async (path) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams(
                {status: 'green', commentary: 'forged', period: '2021/22 Q1', version: '1'});
            const response = await fetch(path, {method: 'POST', body, headers: {'X-CSRFToken': token}});
            return response.status;
        }""",
        path,
    )


def test_manager_updates_an_action_inline_and_sees_it_in_the_timeline(seeded, sign_in):
    page = sign_in(person("ea.manager", "east-ayrshire-hscp", MembershipRole.MANAGER))
    page.goto(EA_ACTIONS)
    page.get_by_role("link", name="Update A03").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Amber").check()
    dialog.get_by_label("Percent complete").fill("40")
    dialog.get_by_label("Commentary").fill("Programme co-ordinator recruited; consultation under way.")
    dialog.get_by_role("button", name="Save update").click()
    expect(dialog.get_by_text("A03 saved")).to_be_visible()
    # The row changed in place, without a page load.
    expect(page.locator("#status-1003")).to_have_text("Amber")
    expect(page.locator("#percent-1003")).to_have_text("40%")

    dialog.get_by_role("link", name="See the action's timeline").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Programme co-ordinator recruited; consultation under way.")
    expect(timeline).to_contain_text("Not yet assessed")
    expect(timeline).to_contain_text("Amber")
    expect(timeline).to_contain_text("40% complete")


def test_update_works_with_javascript_off(seeded, browser, live_server):
    person("nojs.manager", "east-ayrshire-hscp", MembershipRole.MANAGER)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill("nojs.manager")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(EA_ACTIONS)
    page.get_by_role("link", name="Update A05").click()
    page.get_by_label("Red").check()
    page.get_by_label("Commentary").fill("No lead officer in post.")
    page.get_by_role("button", name="Save update").click()
    expect(page).to_have_url(f"{live_server.url}{EA_ACTIONS}")
    expect(page.get_by_role("alert")).to_contain_text("A05 updated to Red")
    expect(page.locator("#status-1005")).to_have_text("Red")
    context.close()


def test_viewer_sees_no_edit_control_and_a_forged_post_is_refused(seeded, sign_in):
    page = sign_in(person("ea.viewer", "east-ayrshire-hscp", MembershipRole.VIEWER))
    page.goto(EA_ACTIONS)
    expect(page.get_by_role("table").get_by_role("link", name="A01", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Update A01")).to_have_count(0)
    page.goto("/actions/1001/")
    expect(page.get_by_role("link", name="Update progress")).to_have_count(0)
    assert forged_post(page, "/actions/1001/update/") == 403
    assert ImprovementAction.objects.get(pk=1001).updates.count() == 0


def test_moray_manager_cannot_open_or_update_an_east_ayrshire_action(seeded, sign_in):
    page = sign_in(person("moray.manager", "moray-cpp", MembershipRole.MANAGER))
    response = page.goto("/actions/1001/")
    assert response.status == 404
    expect(page.get_by_text("Sustainable and safe virtual social work")).to_have_count(0)
    response = page.goto(EA_ACTIONS)
    assert response.status == 404
    page.goto("/")
    assert forged_post(page, "/actions/1001/update/") == 404
    assert ImprovementAction.objects.get(pk=1001).updates.count() == 0


def test_second_of_two_concurrent_updates_gets_the_conflict_message(seeded, browser, live_server, sign_in):
    first = sign_in(person("first.manager", "east-ayrshire-hscp", MembershipRole.MANAGER))
    second_context = browser.new_context(base_url=live_server.url)
    second = second_context.new_page()
    person("second.manager", "east-ayrshire-hscp", MembershipRole.MANAGER)
    second.goto("/login/")
    second.get_by_label("Username").fill("second.manager")
    second.get_by_label("Password").fill("correct horse battery staple")
    second.get_by_role("button", name="Sign in").click()

    # Both open the same action's form before either saves.
    for page in (first, second):
        page.goto("/actions/1002/update/")
    first.get_by_label("Green").check()
    first.get_by_label("Commentary").fill("Oversight group meeting monthly.")
    first.get_by_role("button", name="Save update").click()
    expect(first.get_by_role("alert")).to_contain_text("A02 updated to Green")

    second.get_by_label("Red").check()
    second.get_by_label("Commentary").fill("Committee has not met.")
    second.get_by_role("button", name="Save update").click()
    conflict = second.locator("#update-conflict")
    expect(conflict).to_contain_text("someone else updated this action")
    expect(conflict).to_contain_text("Oversight group meeting monthly.")
    action = ImprovementAction.objects.get(pk=1002)
    assert action.status == "green"
    assert action.updates.count() == 1
    second_context.close()
