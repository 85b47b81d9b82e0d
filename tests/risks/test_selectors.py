import datetime

import pytest

from risks import selectors
from risks.choices import RiskStatus
from tests.factories import RiskFactory

TODAY = datetime.date(2022, 6, 30)
LAST_WEEK = datetime.date(2022, 6, 23)


@pytest.mark.django_db
def test_risks_for_list_shows_only_the_users_partnerships(owner, partnership, other_partnership):
    mine = RiskFactory(partnership=partnership)
    RiskFactory(partnership=other_partnership)

    assert list(selectors.risks_for_list(user=owner)) == [mine]


@pytest.mark.django_db
def test_risk_for_page_refuses_another_partnerships_risk(outsider, partnership):
    risk = RiskFactory(partnership=partnership)

    with pytest.raises(risk.DoesNotExist):
        selectors.risk_for_page(user=outsider, pk=risk.pk)


@pytest.mark.django_db
def test_heat_map_counts_scored_risks_in_their_cell(partnership):
    RiskFactory(partnership=partnership, likelihood=5, impact=1)
    RiskFactory(partnership=partnership, likelihood=5, impact=1)
    RiskFactory(partnership=partnership, likelihood=2, impact=3)
    RiskFactory(partnership=partnership, likelihood=None, impact=None)
    RiskFactory(partnership=partnership, likelihood=3, impact=None)

    grid = selectors.heat_map(risks=partnership.risks.all())

    cells = {(cell["likelihood"], cell["impact"]): cell for row in grid["rows"] for cell in row["cells"]}
    assert [row["likelihood"] for row in grid["rows"]] == [5, 4, 3, 2, 1]
    assert (cells[5, 1]["count"], cells[5, 1]["score"], cells[5, 1]["level"]) == (2, 5, "medium")
    assert (cells[2, 3]["count"], cells[2, 3]["level"]) == (1, "medium")
    assert sum(cell["count"] for cell in cells.values()) == 3
    assert (grid["scored"], grid["unscored"]) == (3, 2)


@pytest.mark.django_db
def test_risk_summary_counts_open_risks_by_level_and_overdue_reviews(partnership):
    RiskFactory(partnership=partnership, likelihood=5, impact=5, review_date=LAST_WEEK)
    RiskFactory(partnership=partnership, likelihood=1, impact=2)
    RiskFactory(partnership=partnership)
    RiskFactory(partnership=partnership, likelihood=5, impact=5, status=RiskStatus.CLOSED, review_date=LAST_WEEK)

    summary = selectors.risk_summary(partnerships=[partnership.pk], today=TODAY)

    counts = {row["level"]: row["count"] for row in summary["by_level"]}
    assert summary["open"] == 3
    assert counts == {"low": 1, "medium": 0, "high": 0, "very_high": 1}
    assert summary["unscored"] == 1
    assert summary["overdue_review"] == 1


@pytest.mark.django_db
def test_reviews_due_for_lists_the_owners_overdue_open_risks(owner, colleague, partnership):
    due = RiskFactory(partnership=partnership, owner_user=owner, review_date=LAST_WEEK)
    RiskFactory(partnership=partnership, owner_user=owner, review_date=TODAY)
    RiskFactory(partnership=partnership, owner_user=colleague, review_date=LAST_WEEK)
    RiskFactory(partnership=partnership, owner_user=owner, review_date=LAST_WEEK, status=RiskStatus.CLOSED)

    assert selectors.reviews_due_for(user=owner, today=TODAY) == [due]
