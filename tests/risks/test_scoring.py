import pytest

from risks.choices import RiskLevel
from risks.scoring import risk_level, risk_score
from tests.factories import RiskFactory


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [
        (1, 1, 1, RiskLevel.LOW),
        (1, 3, 3, RiskLevel.LOW),
        (2, 2, 4, RiskLevel.MEDIUM),
        (2, 3, 6, RiskLevel.MEDIUM),
        (2, 4, 8, RiskLevel.HIGH),
        (3, 4, 12, RiskLevel.HIGH),
        (3, 5, 15, RiskLevel.VERY_HIGH),
        (5, 5, 25, RiskLevel.VERY_HIGH),
    ],
)
def test_the_matrix(likelihood, impact, score, level):
    assert risk_score(likelihood, impact) == score
    assert risk_level(score) == level


def test_an_unscored_risk_has_no_score_or_level(db):
    risk = RiskFactory()
    assert risk.score is None
    assert risk.level is None
    assert not risk.is_scored


def test_a_scored_risk(db):
    risk = RiskFactory(likelihood=4, impact=3, target_likelihood=2, target_impact=2)
    assert (risk.score, risk.level, risk.target_score) == (12, RiskLevel.HIGH, 4)
