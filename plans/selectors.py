"""Reads across relations. They return querysets or plain data, never write."""

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch

from plans.choices import ActionStatus
from plans.models import ImprovementAction, Partnership, Plan, ProgressUpdate


def partnerships_with_counts():
    return Partnership.objects.annotate(
        plan_count=Count("plans", distinct=True),
        action_count=Count("plans__actions", distinct=True),
    ).order_by("name")


def plans_with_counts(*, partnership):
    return (
        Plan.objects.filter(partnership=partnership)
        .annotate(
            action_count=Count("actions", distinct=True),
            measure_count=Count("measures", distinct=True),
            risk_count=Count("risks", distinct=True),
        )
        .order_by("-start_year", "title")
    )


def plan_for_page(*, slug):
    return Plan.objects.select_related("partnership").get(slug=slug)


def plan_overview(*, plan):
    """Everything the plan overview page shows, as plain data, in a fixed number of queries."""
    counts = Plan.objects.filter(pk=plan.pk).aggregate(
        actions=Count("actions", distinct=True),
        measures=Count("measures", distinct=True),
        budget_lines=Count("budget_lines", distinct=True),
        efficiencies=Count("efficiencies", distinct=True),
        risks=Count("risks", distinct=True),
        contracts=Count("contracts", distinct=True),
        indicators=Count("indicators", distinct=True),
        reports=Count("quarterly_reports", distinct=True),
    )
    status_counts = Counter(plan.actions.values_list("status", flat=True))
    highlights_by_section = defaultdict(list)
    for highlight in plan.highlights.all():
        highlights_by_section[highlight.section].append(highlight)
    return {
        "counts": counts,
        "status_counts": [(status.value, status.label, status_counts.get(status.value, 0)) for status in ActionStatus],
        "themes": list(plan.themes.all()),
        "highlights_by_section": dict(highlights_by_section),
    }


def actions_for_list():
    return ImprovementAction.objects.select_related("plan__partnership").order_by(
        "plan__partnership__name", "plan", "order"
    )


def action_for_page(*, pk):
    return (
        ImprovementAction.objects.select_related("plan__partnership", "theme", "service")
        .prefetch_related(
            "steps",
            "national_outcomes",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        )
        .get(pk=pk)
    )
