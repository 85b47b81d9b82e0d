import datetime

from risks.services import risk_review
from tests.factories import RiskFactory


def test_a_review_applies_scores_and_records_what_changed(db, owner, plan):
    risk = RiskFactory(partnership=plan.partnership, plan=plan)
    review = risk_review(
        risk=risk,
        reviewer=owner,
        note="Demand rising after lockdown.",
        likelihood=4,
        impact=3,
        target_likelihood=2,
        target_impact=3,
        review_date=datetime.date(2026, 12, 31),
        status="open",
    )
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score, risk.level.label) == (4, 3, 12, "High")
    assert review.changes == {
        "Current likelihood": ["Not set", "4"],
        "Current impact": ["Not set", "3"],
        "Target likelihood": ["Not set", "2"],
        "Target impact": ["Not set", "3"],
        "Next review": ["Not set", "2026-12-31"],
    }
    assert review.reviewer == owner and review.note == "Demand rising after lockdown."


def test_a_review_without_changes_is_still_recorded(db, owner, plan):
    risk = RiskFactory(partnership=plan.partnership, plan=plan, likelihood=2, impact=2)
    review = risk_review(risk=risk, reviewer=owner, note="No change.", likelihood=2, impact=2, status="open")
    assert review.changes == {}
    assert risk.reviews.count() == 1
    assert risk.history.first().history_change_reason == "Reviewed: No change."
