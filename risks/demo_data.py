"""Synthetic risk registers for the demo plans (see plans.demo_data and `manage.py generate_demo`).

Each risk has a chain of reviews, oldest first, each moving the next review date on a quarter; the
risk holds what its last review left. Past years' risks are mostly closed.
"""

import datetime

from django.db import transaction

from plans.demo_data import create_with_history, insert_rows, moment_in
from plans.periods import FinancialQuarter, financial_year_of
from risks.choices import MitigationKind, RiskStatus
from risks.models import Mitigation, Risk, RiskReview
from risks.services import REVIEWED_FIELDS

RISK_TITLES = [
    "Recruitment and retention of qualified staff", "Rising demand outstrips budget", "Data sharing delays",
    "Provider market fragility", "Winter pressures on hospital discharge", "Digital systems not ready",
    "Loss of grant funding", "Partner priorities diverge",
]  # fmt: skip
NEXT_REVIEW = REVIEWED_FIELDS["review_date"]


@transaction.atomic
def generate_risks(*, world, rng, risks_per_plan=8, reviews_per_risk=5):
    this_year = financial_year_of(world.today)
    risks, chains = [], []
    for plan in world.plans:
        for number in range(1, risks_per_plan + 1):
            risk = _risk(plan, number, rng, world, closed=plan.start_year < this_year and rng.random() < 0.8)
            chains.append(_reviews(risk, plan, rng, world, reviews_per_risk))
            risks.append(risk)
    risks = create_with_history(Risk, risks)
    create_with_history(
        Mitigation,
        [Mitigation(risk=risk, kind=kind, text=f"{kind.label} for {risk.title.lower()}.", order=order)
         for risk in risks for order, kind in enumerate(MitigationKind, 1)],
    )  # fmt: skip
    insert_rows(
        RiskReview,
        [review | {"risk_id": risk.pk} for risk, chain in zip(risks, chains, strict=True) for review in chain],
    )


def _risk(plan, number, rng, world, closed):
    scored = rng.random() < 0.9
    likelihood, impact = (rng.randint(1, 5), rng.randint(1, 5)) if scored else (None, None)
    return Risk(
        partnership_id=plan.partnership_id, plan=plan, reference=f"R{number}", title=RISK_TITLES[number % 8],
        category=rng.choice(["Workforce", "Finance", "Governance", "Performance"]), owner="Head of Service",
        owner_user=world.managers[plan.partnership_id], likelihood=likelihood, impact=impact,
        target_likelihood=likelihood and max(1, likelihood - 1), target_impact=impact, order=number,
        status=RiskStatus.CLOSED if closed else RiskStatus.OPEN,
    )  # fmt: skip


def _reviews(risk, plan, rng, world, count):
    """Quarterly reviews through the plan's year, each setting the next review date a quarter on."""
    quarter = FinancialQuarter(plan.start_year - 1, 2)
    review_date, reviews = quarter.last_day, []
    reviewer = world.managers[plan.partnership_id]
    for _ in range(count):
        quarter = quarter.next()
        if quarter > world.current_quarter:
            break
        next_date = quarter.next().last_day - datetime.timedelta(days=rng.randint(0, 30))
        reviews.append({
            "reviewer_id": reviewer.pk, "reviewed_at": moment_in(quarter, rng, world.today),
            "note": "Reviewed at the quarter end.",
            "changes": {NEXT_REVIEW: [review_date.isoformat(), next_date.isoformat()]},
        })  # fmt: skip
        review_date = next_date
    risk.review_date = review_date
    return reviews
