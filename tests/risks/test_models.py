import datetime

import pytest

from risks.choices import RiskLevel, RiskStatus
from risks.models import Risk
from tests.factories import RiskFactory

TODAY = datetime.date(2022, 6, 30)


@pytest.mark.django_db
def test_an_unscored_risk_has_no_score_and_no_level():
    risk = RiskFactory(likelihood=4, impact=None)

    assert not risk.is_scored
    assert risk.score is None
    assert risk.level is None


@pytest.mark.django_db
def test_a_scored_risk_reads_its_level_from_the_matrix():
    risk = RiskFactory(likelihood=4, impact=4, target_likelihood=2, target_impact=2)

    assert risk.is_scored
    assert risk.score == 16
    assert risk.level == RiskLevel.VERY_HIGH
    assert risk.target_score == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "review_date", "overdue"),
    [
        (RiskStatus.OPEN, datetime.date(2022, 6, 29), True),
        (RiskStatus.OPEN, TODAY, False),
        (RiskStatus.OPEN, None, False),
        (RiskStatus.CLOSED, datetime.date(2022, 1, 1), False),
    ],
)
def test_only_an_open_risk_past_its_review_date_is_overdue(status, review_date, overdue):
    risk = RiskFactory(status=status, review_date=review_date)

    assert risk.is_review_overdue(TODAY) is overdue
    assert (risk in Risk.objects.review_overdue(TODAY)) is overdue


@pytest.mark.django_db
def test_open_and_for_partnerships_narrow_the_queryset(partnership, other_partnership):
    open_here = RiskFactory(partnership=partnership)
    RiskFactory(partnership=partnership, status=RiskStatus.CLOSED)
    RiskFactory(partnership=other_partnership)

    assert list(Risk.objects.for_partnerships([partnership]).open()) == [open_here]
