"""Action progress summaries and the whole dashboards built from them."""

import datetime
from collections import Counter

from django.urls import reverse
from django.utils.dateparse import parse_datetime

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


def plans_action_summary(*, plans, quarter, today=None):
    """action_summary over the actions in force in `plans` (a partnership's plan year)."""
    return action_summary(
        actions=ImprovementAction.objects.in_force().filter(plan__in=plans), quarter=quarter, today=today
    )


def _position(action, status_now, status_before, now):
    """One action at the end of the quarter and of the quarter before: what a board reads about it."""
    latest = now.get(action.pk)
    return {
        "pk": action.pk,
        "reference": action.reference,
        "title": action.title,
        "url": reverse("plans:action_detail", kwargs={"pk": action.pk}),
        "plan": action.plan.title,
        "plan_year": action.plan.period_label,
        "status": status_now,
        "status_label": ActionStatus(status_now).label,
        "was": status_before,
        "was_label": ActionStatus(status_before).label,
        "movement": _movement(status_before, status_now).value,
        "percent_complete": latest["percent_complete"] if latest else None,
        "commentary": latest["commentary"] if latest else "",
        "updated_by": _author_name(latest) if latest else "",
        "updated_at": latest["created_at"] if latest else None,
        "responsible": action.responsible,
        "due_date": action.due_date.isoformat() if action.due_date else None,
    }


def _exceptions(positions):
    """The red and amber actions with their latest commentary and last quarter's status, reddest first."""
    exceptions = [row for row in positions.values() if row["status"] in (ActionStatus.RED, ActionStatus.AMBER)]
    exceptions.sort(key=lambda row: (RAG_RANK[row["status"]], row["reference"]))
    return exceptions


def moved_actions(positions, movement):
    """The actions behind one movement count ("Worsened 1"), from a summary's or a report's positions.

    A report signed off before positions carried the owner and the link still lists its actions.
    """
    moved = []
    for row in positions:
        was = row.get("was", row.get("status_before"))
        if _movement(was, row["status"]) != movement:
            continue
        updated_at = row.get("updated_at")
        moved.append(
            row
            | {
                "was": was,
                "was_label": ActionStatus(was).label,
                "status_label": ActionStatus(row["status"]).label,
                "url": reverse("plans:action_detail", kwargs={"pk": row["pk"]}),
                # A snapshot keeps the time as text.
                "updated_at": parse_datetime(updated_at) if isinstance(updated_at, str) else updated_at,
            }
        )
    return moved


def _expected_progress(rows, quarter, today):
    """How far through its time each action should be by now, as Camms shows it.

    For each action with a due date: the share of the time from its start (or the plan's first
    day) to its due date that has passed at the end of the quarter, or today if sooner.
    """
    as_at = min(quarter.last_day, today)
    shares = []
    for action in rows:
        if action.due_date is None:
            continue
        start = action.start_date or datetime.date(action.plan.start_year, 4, 1)
        length = (action.due_date - start).days
        if length <= 0:
            shares.append(1.0 if as_at >= action.due_date else 0.0)
        else:
            shares.append(min(max((as_at - start).days / length, 0.0), 1.0))
    return {
        "expected_percent": round(100 * sum(shares) / len(shares)) if shares else None,
        "expected_basis": len(shares),
    }


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
    positions = {a.pk: _position(a, status_now[a.pk], status_before[a.pk], now) for a in rows}
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
        "exceptions": _exceptions(positions),
        "positions": positions,
    } | _expected_progress(rows, quarter, today)


# --- whole dashboards ------------------------------------------------------------------------------


def stated_completion(*, plans, quarter):
    """The % completion the quarter's report states, where exactly one report among `plans` states one.

    Two plans' reports stating two figures make no single figure, so then there is none.
    """
    stated = list(
        QuarterlyReport.objects.filter(
            plan__in=plans,
            period_year=quarter.start_year,
            period_quarter=quarter.quarter,
            percent_complete__isnull=False,
        ).values_list("percent_complete", flat=True)[:2]
    )
    return stated[0] if len(stated) == 1 else None


def completion(*, plans, quarter, actions):
    """The one "% complete" every dashboard and report shows for the quarter, with what it rests on.

    The figure the quarter's report states wins. Otherwise the average of the actions' stated
    percentages, always with how many of how many actions it covers: 3 of 31 is not the plan.
    Beside it, the expected progress by now (see _expected_progress).
    """
    return {
        "stated": stated_completion(plans=plans, quarter=quarter),
        "average": actions["percent_complete"],
        "assessed": actions["percent_basis"],
        "total": actions["total"],
        "expected": actions["expected_percent"],
        "expected_basis": actions["expected_basis"],
    }


def plan_dashboard(*, plan, quarter, today=None):
    plans = type(plan).objects.filter(pk=plan.pk)
    actions = action_summary(
        actions=ImprovementAction.objects.filter(plan=plan).in_force(), quarter=quarter, today=today
    )
    return {
        "quarter": quarter,
        "completion": completion(plans=plans, quarter=quarter, actions=actions),
        "actions": actions,
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[plan.partnership_id], plans=plans, today=today),
        "indicators": indicator_summary(partnerships=[plan.partnership_id], plans=plans),
        "themes": theme_summary(plans=plans),
    }


def partnership_dashboard(*, partnership, plans, quarter, today=None):
    """The partnership's dashboard for one plan year: `plans` are that year's (see `plans_of_year`)."""
    actions = plans_action_summary(plans=plans, quarter=quarter, today=today)
    return {
        "quarter": quarter,
        # The same definition as the plan's dashboard, so the two never disagree about one quarter.
        "completion": completion(plans=plans, quarter=quarter, actions=actions),
        "actions": actions,
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
