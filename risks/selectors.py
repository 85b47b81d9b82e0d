"""Reads for the risk register. They return querysets or plain data, scoped to the user."""

from collections import Counter

from django.db.models import Prefetch, Q

from plans import periods
from plans.permissions import readable_partnerships
from plans.selectors import related_count
from risks.choices import RiskLevel
from risks.models import Mitigation, Risk, RiskReview
from risks.scoring import risk_level, risk_score


def risks_for_list(*, user):
    return (
        Risk.objects.for_partnerships(readable_partnerships(user))
        .select_related("partnership", "plan", "owner_user")
        # A subquery, not Count("mitigations"): the search joins mitigations again and would multiply it.
        .annotate(mitigation_count=related_count(Mitigation.objects.all(), "risk"))
        .order_by("partnership__name", "plan__title", "order", "reference")
    )


def risk_for_page(*, user, pk):
    return (
        Risk.objects.for_partnerships(readable_partnerships(user))
        .select_related("partnership", "plan", "owner_user")
        .prefetch_related(
            "mitigations",
            "related_actions",
            Prefetch("reviews", queryset=RiskReview.objects.select_related("reviewer")),
        )
        .get(pk=pk)
    )


def heat_map(*, risks):
    """The 5x5 grid of current scores: rows are likelihood 5 down to 1, columns impact 1 to 5."""
    scored = Counter(risks.filter(likelihood__isnull=False, impact__isnull=False).values_list("likelihood", "impact"))
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            score = risk_score(likelihood, impact)
            level = risk_level(score)
            cells.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "score": score,
                    "level": level.value,
                    "level_label": level.label,
                    "count": scored.get((likelihood, impact), 0),
                }
            )
        rows.append({"likelihood": likelihood, "cells": cells})
    return {
        "rows": rows,
        "scored": sum(scored.values()),
        "unscored": risks.filter(likelihood__isnull=True).count()
        + risks.filter(likelihood__isnull=False, impact__isnull=True).count(),
    }


def risk_summary(*, partnerships, plans=None, today=None, with_unplanned=False):
    """Counts by level and reviews overdue, for the quarterly dashboards.

    With `plans`, only their risks, and with `with_unplanned` also the partnership's risks of no plan.
    """
    risks = Risk.objects.filter(partnership__in=partnerships).in_force().open()
    if plans is not None:
        risks = risks.filter(Q(plan__in=plans) | Q(plan__isnull=True) if with_unplanned else Q(plan__in=plans))
    risks = list(risks)
    levels = Counter(risk.level for risk in risks)
    return {
        "open": len(risks),
        "by_level": [
            {"level": level.value, "label": level.label, "count": levels.get(level, 0)} for level in RiskLevel
        ],
        "unscored": levels.get(None, 0),
        "overdue_review": sum(1 for risk in risks if risk.is_review_overdue(today)),
        "titles": sorted(risk.title for risk in risks),
    }


def reviews_due_for(*, user, today=None):
    """Open risks this user owns whose review date has passed."""
    today = today or periods.today()
    return list(
        Risk.objects.for_partnerships(readable_partnerships(user))
        .current()
        .review_overdue(today)
        .filter(owner_user=user)
        .select_related("plan", "partnership")
        .order_by("review_date")
    )
