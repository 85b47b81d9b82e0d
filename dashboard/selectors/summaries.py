"""Action progress summaries and the whole dashboards built from them."""

from collections import Counter

from dashboard.choices import Movement
from dashboard.models import QuarterlyReport
from dashboard.selectors.measures import indicator_summary, measure_summary, money_summary
from plans import periods
from plans.choices import ActionStatus
from plans.models import ImprovementAction, ProgressUpdate, Theme
from plans.periods import FinancialQuarter
from risks.selectors import risk_summary

RAG_RANK = {ActionStatus.RED: 0, ActionStatus.AMBER: 1, ActionStatus.GREEN: 2, ActionStatus.COMPLETE: 3}

# --- actions -------------------------------------------------------------------------------------


def _action_positions(actions, quarter):
    """Each action's status at the end of `quarter` and of the quarter before, from its updates."""
    previous = quarter.previous()
    updates = (
        ProgressUpdate.objects.counted()
        .filter(action__in=actions)
        .order_by("period_year", "period_quarter", "created_at", "pk")
        .values(
            "action_id",
            "period_year",
            "period_quarter",
            "status",
            "percent_complete",
            "commentary",
            "created_at",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
    )
    now, before, updated_in_quarter = {}, {}, set()
    for update in updates:
        period = FinancialQuarter(update["period_year"], update["period_quarter"])
        if period <= previous:
            before[update["action_id"]] = update
        if period <= quarter:
            now[update["action_id"]] = update
        if period == quarter:
            updated_in_quarter.add(update["action_id"])
    return now, before, updated_in_quarter


def _author_name(update):
    full_name = f"{update['author__first_name']} {update['author__last_name']}".strip()
    return full_name or update["author__username"] or ""


def _movement(before, now):
    if now == before:
        return Movement.UNCHANGED
    if before == ActionStatus.NOT_ASSESSED:
        return Movement.NEW
    if now == ActionStatus.NOT_ASSESSED:
        return Movement.UNCHANGED
    return Movement.IMPROVED if RAG_RANK[now] > RAG_RANK[before] else Movement.WORSENED


def action_summary(*, actions, quarter, today=None):
    """RAG counts and movement, completion, overdue, not-updated and the exceptions for a board."""
    rows = list(actions.select_related("plan").order_by("plan", "order", "reference"))
    return _summarise(rows, _action_positions(rows, quarter), quarter, today or periods.today())


def _exceptions(rows, status_now, now):
    """The red and amber actions with their latest commentary, reddest first."""
    exceptions = [
        {
            "pk": action.pk,
            "reference": action.reference,
            "title": action.title,
            "url": action.get_absolute_url(),
            "plan": action.plan.title,
            "status": status_now[action.pk],
            "status_label": ActionStatus(status_now[action.pk]).label,
            "commentary": now[action.pk]["commentary"],
            "updated_by": _author_name(now[action.pk]),
            "updated_at": now[action.pk]["created_at"],
            "responsible": action.responsible,
        }
        for action in rows
        if status_now[action.pk] in (ActionStatus.RED, ActionStatus.AMBER)
    ]
    exceptions.sort(key=lambda row: (RAG_RANK[row["status"]], row["reference"]))
    return exceptions


def _summarise(rows, positions, quarter, today):
    """action_summary's figures for `rows`, from positions already read (no queries)."""
    now, before, updated = positions
    as_at = min(quarter.last_day, today)
    status_now = {a.pk: now[a.pk]["status"] if a.pk in now else ActionStatus.NOT_ASSESSED for a in rows}
    status_before = {a.pk: before[a.pk]["status"] if a.pk in before else ActionStatus.NOT_ASSESSED for a in rows}
    counts_now, counts_before = Counter(status_now.values()), Counter(status_before.values())
    movement = Counter(_movement(status_before[a.pk], status_now[a.pk]) for a in rows)
    stated_percents = (now[a.pk]["percent_complete"] for a in rows if a.pk in now)
    percents = [percent for percent in stated_percents if percent is not None]
    exceptions = _exceptions(rows, status_now, now)
    return {
        "total": len(rows),
        "rag": [
            {
                "status": status.value,
                "label": status.label,
                "count": counts_now.get(status.value, 0),
                "previous": counts_before.get(status.value, 0),
            }
            for status in ActionStatus
        ],
        "movement": [{"key": m.value, "label": m.label, "count": movement.get(m.value, 0)} for m in Movement],
        "percent_complete": round(sum(percents) / len(percents)) if percents else None,
        "percent_basis": len(percents),
        "complete": counts_now.get(ActionStatus.COMPLETE, 0),
        "overdue": sum(
            1 for a in rows if a.due_date and a.due_date < as_at and status_now[a.pk] != ActionStatus.COMPLETE
        ),
        "not_updated": sum(1 for a in rows if a.pk not in updated),
        "exceptions": exceptions,
        "positions": {
            a.pk: {
                "reference": a.reference,
                "title": a.title,
                "status": status_now[a.pk],
                "status_before": status_before[a.pk],
                "percent_complete": now[a.pk]["percent_complete"] if a.pk in now else None,
                "commentary": now[a.pk]["commentary"] if a.pk in now else "",
                "due_date": a.due_date.isoformat() if a.due_date else None,
            }
            for a in rows
        },
    }


# --- whole dashboards ------------------------------------------------------------------------------


def stated_completion(*, plans, quarter):
    """The % completion a quarterly report states for the quarter, if one does."""
    return (
        QuarterlyReport.objects.filter(
            plan__in=plans,
            period_year=quarter.start_year,
            period_quarter=quarter.quarter,
            percent_complete__isnull=False,
        )
        .values_list("percent_complete", flat=True)
        .first()
    )


def plan_dashboard(*, plan, quarter, today=None):
    plans = type(plan).objects.filter(pk=plan.pk)
    return {
        "quarter": quarter,
        "stated_completion": stated_completion(plans=plans, quarter=quarter),
        "actions": action_summary(
            actions=ImprovementAction.objects.in_force().filter(plan=plan), quarter=quarter, today=today
        ),
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[plan.partnership_id], plans=plans, today=today),
        "indicators": indicator_summary(partnerships=[plan.partnership_id], plans=plans),
        "themes": theme_summary(plans=plans),
    }


def partnership_dashboard(*, partnership, plans, quarter, today=None):
    """The partnership's dashboard for one plan year: `plans` are that year's (see `plans_of_year`)."""
    return {
        "quarter": quarter,
        "actions": action_summary(
            actions=ImprovementAction.objects.in_force().filter(plan__in=plans), quarter=quarter, today=today
        ),
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[partnership.pk], plans=plans, today=today, with_unplanned=True),
        "indicators": indicator_summary(partnerships=[partnership.pk], plans=plans, with_unplanned=True),
        "themes": theme_summary(plans=plans),
    }


def theme_summary(*, plans):
    """Themes, priorities and inspection areas, with the inspectors' grades where given."""
    themes = Theme.objects.filter(plan__in=plans).select_related("plan").order_by("plan", "order")
    return [
        {
            "reference": theme.reference,
            "title": theme.title,
            "kind": theme.get_kind_display(),
            "plan": theme.plan.title,
            "grade": theme.progress_grade,
            "grade_label": theme.get_progress_grade_display(),
        }
        for theme in themes
    ]
