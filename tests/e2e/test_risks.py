"""A manager reviews a risk and sees the heat map move, in a real browser."""

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import Partnership
from risks.models import Risk
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_manager_reviews_a_risk_and_the_heat_map_updates(seeded, sign_in):
    manager = UserFactory(username="ea.risk.manager")
    partnership = Partnership.objects.get(slug="east-ayrshire-hscp")
    MembershipFactory(user=manager, partnership=partnership, role=MembershipRole.MANAGER)
    page = sign_in(manager)

    page.goto("/partnerships/east-ayrshire-hscp/risks/heat-map/")
    expect(page.locator("#heat-map-summary")).to_contain_text("0 scored, 5 not yet scored")
    expect(page.get_by_test_id("cell-4-3")).to_have_text("0")

    page.goto("/partnerships/east-ayrshire-hscp/risks/")
    page.get_by_role("link", name="Failure to protect children & young people").click()
    page.get_by_role("link", name="Review this risk").click()
    page.get_by_label("Current likelihood").select_option(label="4 Likely")
    page.get_by_label("Current impact").select_option(label="3 Moderate")
    page.get_by_label("Review note").fill("Referrals up 20% since schools returned.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert")).to_contain_text("Review of R1 recorded")
    expect(page.locator("#current-score")).to_contain_text("12 · High")
    expect(page.locator("#reviews")).to_contain_text("Current likelihood: Not set → 4")

    page.goto("/partnerships/east-ayrshire-hscp/risks/heat-map/")
    expect(page.locator("#heat-map-summary")).to_contain_text("1 scored, 4 not yet scored")
    cell = page.get_by_role("link", name="Likelihood 4, impact 3: 1 risk, High")
    expect(cell).to_be_visible()
    cell.click()
    expect(page.get_by_role("table").get_by_role("link", name="R1", exact=True)).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    assert Risk.objects.get(plan__slug="east-ayrshire-chcj-sip-2020-21", reference="R1").likelihood == 4
