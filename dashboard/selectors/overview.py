"""The cross-partnership Overview: one row of headline figures per partnership, aggregated in SQL.

Only what counts is counted: actions in force in current plans (a superseded year or a rolled-over
draft never doubles a partnership's figures), and approved progress updates. Each app adds its own
columns (open risks, reviews overdue) through `plans.selectors.OVERVIEW_COUNTS`, from its overview.py.
"""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dashboard.choices import Movement
from dashboard.selectors.summaries import _movement
from plans import periods
from plans.choices import ActionStatus
from plans.models import ImprovementAction, Plan, ProgressUpdate
from plans.selectors import OVERVIEW_COUNTS, partnerships_for_overview


def _latest_counted(quarter):
    """The action's latest approved update at the end of `quarter`, as a subquery to slice."""
    up_to = Q(period_year__lt=quarter.start_year) | Q(
        period_year=quarter.start_year, period_quarter__lte=quarter.quarter
    )
    return (
        ProgressUpdate.objects.counted()
        .filter(up_to, action=OuterRef("pk"))
        .order_by("-period_year", "-period_quarter", "-created_at", "-pk")
    )


def _action_groups(partnerships, quarter, as_at):
    """Counts of counted actions per (partnership, status now, status before, updated, past due).

    A handful of rows per partnership whatever the number of actions: the database does the counting.
    """
    now, before = _latest_counted(quarter), _latest_counted(quarter.previous())
    updated = ProgressUpdate.objects.counted().filter(
        action=OuterRef("pk"), period_year=quarter.start_year, period_quarter=quarter.quarter
    )
    return (
        ImprovementAction.objects.in_force()
        .filter(plan__in=Plan.objects.current(), plan__partnership__in=partnerships)
        .annotate(
            status_now=Coalesce(Subquery(now.values("status")[:1]), Value(ActionStatus.NOT_ASSESSED.value)),
            status_then=Coalesce(Subquery(before.values("status")[:1]), Value(ActionStatus.NOT_ASSESSED.value)),
            percent_now=Subquery(now.values("percent_complete")[:1]),
            updated=Exists(updated),
            past_due=ExpressionWrapper(Q(due_date__lt=as_at), output_field=BooleanField()),
        )
        .values("plan__partnership", "status_now", "status_then", "updated", "past_due")
        .annotate(actions=Count("pk"), percent_sum=Sum("percent_now"), percent_basis=Count("percent_now"))
        .order_by()
    )


def _empty_row(partnership):
    return {
        "partnership": partnership,
        "actions": 0,
        "rag": {status.value: 0 for status in ActionStatus},
        "percent_sum": 0,
        "percent_basis": 0,
        "overdue": 0,
        "not_updated": 0,
        "movement": {movement.value: 0 for movement in Movement},
    } | {name: getattr(partnership, name) for name in OVERVIEW_COUNTS}


def overview(*, partnerships, quarter, today=None):
    """One row per partnership in `partnerships` (a queryset), most worsened since last quarter first.

    Two queries whatever the number of partnerships, actions or updates.
    """
    as_at = min(quarter.last_day, today or periods.today())
    rows = {p.pk: _empty_row(p) for p in partnerships_for_overview(partnerships=partnerships)}
    for group in _action_groups(partnerships, quarter, as_at):
        row, n = rows[group["plan__partnership"]], group["actions"]
        row["actions"] += n
        row["rag"][group["status_now"]] += n
        row["movement"][_movement(group["status_then"], group["status_now"]).value] += n
        row["percent_sum"] += group["percent_sum"] or 0
        row["percent_basis"] += group["percent_basis"]
        row["not_updated"] += 0 if group["updated"] else n
        row["overdue"] += n if group["past_due"] and group["status_now"] != ActionStatus.COMPLETE else 0
    for row in rows.values():
        basis = row["percent_basis"]
        # An average of the actions that state a %: shown with how many that is, never as the plan's completion.
        row["percent_complete"] = round(row.pop("percent_sum") / basis) if basis else None
    return sorted(
        rows.values(),
        key=lambda row: (-row["movement"][Movement.WORSENED], -row["rag"][ActionStatus.RED], row["partnership"].name),
    )


def overview_quarter_plans(*, partnerships):
    """The plans whose quarters the Overview's chooser offers: the current plans of `partnerships`."""
    return Plan.objects.current().filter(partnership__in=partnerships)
