import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_browse_from_home_to_a_plans_actions(seeded, sign_in):
    page = sign_in(UserFactory(username="smoke", is_superuser=True))
    page.goto("/")
    expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()

    page.get_by_role("link", name="East Ayrshire Health and Social Care Partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("East Ayrshire Health and Social Care Partnership")

    page.get_by_role("link", name="Children's Health, Care and Justice Service Improvement Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Health, Care and Justice Service Improvement Plan"
    )

    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="Actions").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="A01", exact=True)).to_be_visible()
    expect(table.get_by_text("Not yet assessed").first).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(21)  # header + 20 actions
