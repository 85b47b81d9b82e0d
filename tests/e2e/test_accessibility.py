"""Automated WCAG 2.2 AA checks (axe-core, installed from npm) on the pages people use most.

axe finds about half of all accessibility problems; it does not replace testing with people and assistive
technology, but it stops the checkable ones from creeping back.
"""

from pathlib import Path

import pytest

from plans.choices import MembershipRole
from plans.models import Partnership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/partnerships/east-ayrshire-hscp/",
    "/plans/east-ayrshire-chcj-sip-2020-21/",
    "/plans/east-ayrshire-chcj-sip-2020-21/actions/",
    "/plans/east-ayrshire-chcj-sip-2020-21/measures/",
    "/plans/east-ayrshire-chcj-sip-2020-21/dashboard/",
    "/actions/1001/",
    "/actions/1001/update/",
    "/my-actions/",
    "/my-actions/update/",
    "/overview/",
    "/partnerships/south-ayrshire-hscp/dashboard/",
    "/partnerships/south-ayrshire-hscp/dashboard/movement/unchanged/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/",
    "/partnerships/east-ayrshire-hscp/risks/",
    "/partnerships/east-ayrshire-hscp/risks/heat-map/",
    "/risks/1000/",
    "/imports/new/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/edit/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/sign-off/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/compare/",
    "/plans/moray-loip-children-2021-22/reports/2021/q1/movement/unchanged/",
    "/plans/east-ayrshire-chcj-sip-2020-21/dashboard/movement/unchanged/",
    "/plans/east-ayrshire-chcj-sip-2020-21/budget/",
    "/plans/east-ayrshire-chcj-sip-2020-21/contracts/",
    "/plans/east-ayrshire-chcj-sip-2020-21/publish/",
]


def violations(page):
    # Evaluated through the browser's devtools protocol: a <script> tag would be refused by the site's CSP.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_key_pages_have_no_wcag_violations(seeded, sign_in):
    user = UserFactory(username="a11y.admin")
    for partnership in Partnership.objects.all():
        MembershipFactory(user=user, partnership=partnership, role=MembershipRole.PARTNERSHIP_ADMIN)
    page = sign_in(user)
    found = {}
    for url in PAGES:
        page.goto(url)
        problems = violations(page)
        if problems:
            found[url] = problems
    assert found == {}


def test_the_sign_in_page_has_no_wcag_violations(seeded, page):
    page.goto("/login/")
    assert violations(page) == []
