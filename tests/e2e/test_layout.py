"""No main page is wider than the window at 390 px (a phone) or 1366 px (a laptop), and key columns stay in view."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/overview/",
    "/my-actions/",
    "/my-actions/update/",
    "/actions/",
    "/actions/1001/",
    "/actions/1001/update/",
    "/partnerships/east-ayrshire-hscp/",
    "/plans/east-ayrshire-chcj-sip-2020-21/",
    "/plans/east-ayrshire-chcj-sip-2020-21/actions/",
    "/plans/east-ayrshire-chcj-sip-2020-21/measures/",
    "/plans/east-ayrshire-chcj-sip-2020-21/dashboard/",
    "/plans/east-ayrshire-chcj-sip-2020-21/budget/",
    "/plans/east-ayrshire-chcj-sip-2020-21/efficiencies/",
    "/plans/east-ayrshire-chcj-sip-2020-21/contracts/",
    "/plans/east-ayrshire-chcj-sip-2020-21/risks/",
    "/partnerships/south-ayrshire-hscp/dashboard/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/",
    "/partnerships/east-ayrshire-hscp/risks/",
    "/partnerships/east-ayrshire-hscp/risks/heat-map/",
    "/risks/1000/",
    "/imports/new/",
]
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
IN_VIEW = "el => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }"


@pytest.fixture
def admin_page(seeded, new_signed_in_page):
    user = UserFactory(username="layout.admin")
    for partnership in Partnership.objects.all():
        MembershipFactory(user=user, partnership=partnership, role=MembershipRole.PARTNERSHIP_ADMIN)
    return lambda width, height: new_signed_in_page(user, width, height)


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_no_page_is_wider_than_the_window(admin_page, width, height):
    page = admin_page(width, height)
    too_wide = {}
    for url in PAGES:
        page.goto(url)
        scroll_width, client_width = page.evaluate(PAGE_WIDTH)
        if scroll_width > client_width:
            too_wide[url] = scroll_width
    assert too_wide == {}


def test_at_1366_the_actions_table_shows_its_update_column_and_whole_filters(admin_page):
    page = admin_page(1366, 768)
    page.goto("/actions/")
    container = page.locator(".table-responsive").first
    assert container.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.get_by_role("link", name="Update A01").first.evaluate(IN_VIEW)
    for select in page.locator("#filter-panel select").all():
        # The chosen option ("Any plan") fits its drop-down instead of reading "Any pla".
        assert select.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert select.evaluate("el => el.getBoundingClientRect().width") >= 150


def test_at_390_filters_fold_and_each_action_card_shows_reference_status_and_update(admin_page):
    page = admin_page(390, 844)
    page.goto("/plans/east-ayrshire-chcj-sip-2020-21/actions/")
    search = page.get_by_label("Search")
    expect(search).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(search).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    row = page.locator("table tbody tr").first
    for cell in (
        row.get_by_role("link", name="A01", exact=True),
        row.locator("#status-1001"),
        row.get_by_role("link", name="Update A01"),
    ):
        expect(cell).to_be_visible()
        assert cell.evaluate(IN_VIEW)
