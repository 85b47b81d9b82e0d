"""The risk matrix: the one place that turns likelihood and impact into a score and a level.

Likelihood and impact are each scored 1 (rare / negligible) to 5 (almost certain / severe).
The score is their product, 1 to 25, and the level is read from it:

    score   1-3   4-6      8-12   15-25
    level   Low   Medium   High   Very high

(7, 11, 13, 14 and 17-19 cannot occur as products of 1-5.)
"""

from risks.choices import RiskLevel

LEVEL_THRESHOLDS = [(15, RiskLevel.VERY_HIGH), (8, RiskLevel.HIGH), (4, RiskLevel.MEDIUM), (1, RiskLevel.LOW)]


def risk_score(likelihood, impact):
    if likelihood is None or impact is None:
        return None
    return likelihood * impact


def risk_level(score):
    if score is None:
        return None
    for floor, level in LEVEL_THRESHOLDS:
        if score >= floor:
            return level
    raise ValueError(f"A risk score is 1 to 25, not {score!r}")
