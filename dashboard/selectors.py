"""Reads for the dashboards and quarterly reports. They return plain data (dicts, lists, numbers).

Every figure is computed in a fixed number of queries, whatever the number of
actions, updates or measures, so that dashboards stay fast as plans grow.
"""

import datetime
import json
from collections import Counter
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Min, Prefetch

from dashboard.choices import Movement, ReportStatus
from dashboard.models import Indicator, IndicatorValue, MeasureResult, QualityMeasure, QuarterlyReport
from plans.choices import ActionStatus
from plans.models import BudgetLine, ImprovementAction, Plan, PlannedEfficiency, ProgressUpdate, Theme
from plans.periods import FinancialQuarter, financial_year_label
from plans.permissions import readable_partnerships
from risks.models import Risk
from risks.selectors import risk_summary

# Higher is better; "not yet assessed" sits outside the scale.
RAG_RANK = {ActionStatus.RED: 0, ActionStatus.AMBER: 1, ActionStatus.GREEN: 2, ActionStatus.COMPLETE: 3}


def measures_for_list():
    return QualityMeasure.objects.prefetch_related(
        Prefetch("results", queryset=MeasureResult.objects.order_by("financial_year"))
    )


def result_years(*, plan):
    """The financial years in which the plan's measures report results, oldest first."""
    return sorted(set(MeasureResult.objects.filter(measure__plan=plan).values_list("financial_year", flat=True)))


# --- quarters ------------------------------------------------------------------------------------


def quarter_choices(*, plans, today=None):
    """Quarters a dashboard can show: every quarter of the plans' periods, up to now, newest first."""
    current = FinancialQuarter.containing(today or datetime.date.today())
    bounds = plans.aggregate(first=Min("start_year"), last=Max("end_year"))
    if bounds["first"] is None:
        return [current]
    quarter = FinancialQuarter(bounds["first"], 1)
    last = max(current, FinancialQuarter(bounds["last"], 4))
    quarters = []
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return list(reversed(quarters))


def default_quarter(*, plans, today=None):
    """The latest quarter with data; else the last quarter of a finished plan; else the current one."""
    current = FinancialQuarter.containing(today or datetime.date.today())
    update = (
        ProgressUpdate.objects.counted()
        .filter(action__plan__in=plans)
        .order_by("-period_year", "-period_quarter")
        .values_list("period_year", "period_quarter")
        .first()
    )
    report = (
        QuarterlyReport.objects.filter(plan__in=plans)
        .order_by("-period_year", "-period_quarter")
        .values_list("period_year", "period_quarter")
        .first()
    )
    with_data = [FinancialQuarter(*found) for found in (update, report) if found]
    if with_data:
        return min(max(with_data), current)
    last_year = plans.aggregate(last=Max("end_year"))["last"]
    if last_year is not None and FinancialQuarter(last_year, 4) < current:
        return FinancialQuarter(last_year, 4)
    return current


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
    return _summarise(rows, _action_positions(rows, quarter), quarter, today or datetime.date.today())


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
    exceptions = []
    for action in rows:
        if status_now[action.pk] in (ActionStatus.RED, ActionStatus.AMBER):
            latest = now[action.pk]
            exceptions.append(
                {
                    "pk": action.pk,
                    "reference": action.reference,
                    "title": action.title,
                    "url": action.get_absolute_url(),
                    "plan": action.plan.title,
                    "status": status_now[action.pk],
                    "status_label": ActionStatus(status_now[action.pk]).label,
                    "commentary": latest["commentary"],
                    "updated_by": _author_name(latest),
                    "updated_at": latest["created_at"],
                    "responsible": action.responsible,
                }
            )
    exceptions.sort(key=lambda row: (RAG_RANK[row["status"]], row["reference"]))
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


# --- measures, money, risks, indicators -----------------------------------------------------------


def measure_summary(*, plans):
    measures = measures_for_list().filter(plan__in=plans).order_by("plan", "order")
    summary = []
    for measure in measures:
        results = list(measure.results.all())
        numeric = measure.numeric_results()
        latest = results[-1] if results else None
        latest_numeric = numeric[-1] if numeric else None
        status = measure.assess()
        summary.append(
            {
                "pk": measure.pk,
                "title": measure.title,
                "theme": measure.get_theme_display(),
                "target": measure.target_text,
                "target_value": float(measure.target_value) if measure.target_value is not None else None,
                "latest": (
                    f"{latest_numeric.value_text} ({latest_numeric.period_label})" if latest_numeric else "None yet"
                ),
                "latest_stated": f"{latest.value_text} ({latest.period_label})" if latest else "",
                "status": status.value,
                "status_label": status.label,
                "series": [(r.period_label, float(r.value)) for r in numeric],
                "unit": measure.unit,
            }
        )
    return summary


def money_summary(*, plans):
    efficiencies = list(PlannedEfficiency.objects.filter(plan__in=plans).order_by("plan", "number"))
    budget = list(BudgetLine.objects.filter(plan__in=plans).select_related("service").order_by("plan", "order"))
    planned = sum((e.planned_saving for e in efficiencies), Decimal(0))
    delivered = sum((e.delivered_saving or Decimal(0) for e in efficiencies), Decimal(0))
    return {
        "efficiencies": [
            {
                "number": e.number,
                "option": e.option,
                "division": e.division,
                "planned": e.planned_saving,
                "delivered": e.delivered_saving,
                "status": e.get_delivery_status_display(),
            }
            for e in efficiencies
        ],
        "planned_total": planned,
        "delivered_total": delivered,
        "budget": [
            {"service": line.service.name, "amount": line.amount, "year": financial_year_label(line.financial_year)}
            for line in budget
        ],
        "budget_total": sum((line.amount for line in budget), Decimal(0)),
    }


def indicator_summary(*, partnerships, plans=None):
    indicators = Indicator.objects.filter(partnership__in=partnerships)
    if plans is not None:
        indicators = indicators.filter(plan__in=plans)
    indicators = indicators.prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("order")))
    return [
        {
            "pk": indicator.pk,
            "title": indicator.title,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "notes": indicator.notes,
            "points": [
                {"label": v.label, "value": float(v.value) if v.value is not None else None, "text": v.value_text}
                for v in indicator.values.all()
            ],
        }
        for indicator in indicators
    ]


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
        "actions": action_summary(actions=ImprovementAction.objects.filter(plan=plan), quarter=quarter, today=today),
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[plan.partnership_id], plans=plans, today=today),
        "indicators": indicator_summary(partnerships=[plan.partnership_id], plans=plans),
        "themes": theme_summary(plans=plans),
    }


def partnership_dashboard(*, partnership, quarter, today=None):
    plans = partnership.plans.all()
    return {
        "quarter": quarter,
        "actions": action_summary(
            actions=ImprovementAction.objects.filter(plan__partnership=partnership), quarter=quarter, today=today
        ),
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[partnership.pk], today=today),
        "indicators": indicator_summary(partnerships=[partnership.pk]),
        "themes": theme_summary(plans=plans),
    }


def overview(*, partnerships, quarter, today=None):
    """One row of headline figures per partnership, for a board member who sits on several.

    The actions, their updates and the risks of every partnership are each read once.
    """
    today = today or datetime.date.today()
    actions = list(
        ImprovementAction.objects.filter(plan__partnership__in=partnerships)
        .select_related("plan")
        .order_by("plan", "order", "reference")
    )
    positions = _action_positions(actions, quarter)
    open_risks = list(Risk.objects.filter(partnership__in=partnerships).open())
    rows = []
    for partnership in partnerships:
        mine = [action for action in actions if action.plan.partnership_id == partnership.pk]
        summary = _summarise(mine, positions, quarter, today)
        risks = [risk for risk in open_risks if risk.partnership_id == partnership.pk]
        rows.append(
            {
                "partnership": partnership,
                "actions": summary["total"],
                "rag": {row["status"]: row["count"] for row in summary["rag"]},
                "percent_complete": summary["percent_complete"],
                "overdue": summary["overdue"],
                "not_updated": summary["not_updated"],
                "open_risks": len(risks),
                "overdue_reviews": sum(1 for risk in risks if risk.is_review_overdue(today)),
            }
        )
    return rows


# --- quarterly reports ---------------------------------------------------------------------------


def closed_quarters(*, plan):
    """The quarters of the plan that are signed off, and so take no more updates."""
    signed_off = QuarterlyReport.objects.filter(plan=plan, status=ReportStatus.SIGNED_OFF)
    return {
        FinancialQuarter(year, quarter) for year, quarter in signed_off.values_list("period_year", "period_quarter")
    }


def reports_for_plan(*, plan):
    return list(QuarterlyReport.objects.filter(plan=plan).order_by("-period_year", "-period_quarter"))


def report_for_page(*, user, slug, year, quarter):
    plans = Plan.objects.for_partnerships(readable_partnerships(user))
    return QuarterlyReport.objects.select_related("plan__partnership", "signed_off_by").get(
        plan__in=plans, plan__slug=slug, period_year=year, period_quarter=quarter
    )


def _risk_register(risks):
    return [
        {
            "reference": risk.reference,
            "title": risk.title,
            "description": risk.description,
            "level": risk.level.label if risk.level else "Not yet scored",
            "score": risk.score,
            "review_date": risk.review_date,
            "mitigations": [m.text for m in risk.mitigations.all()],
        }
        for risk in risks
    ]


def report_live_content(*, report, today=None):
    """What the report says now, computed from the data; the same shape as a sign-off snapshot."""
    plan, quarter = report.plan, report.period
    plans = Plan.objects.filter(pk=plan.pk)
    actions = action_summary(actions=plan.actions.all(), quarter=quarter, today=today)
    actions["positions"] = [{"pk": pk} | position for pk, position in actions["positions"].items()]
    risks = Risk.objects.filter(plan=plan).open().prefetch_related("mitigations").order_by("order", "reference")
    commentaries = report.commentaries.all() if report.pk else []
    next_steps = report.next_steps.all() if report.pk else []
    return {
        "plan": {"title": plan.title, "partnership": plan.partnership.name, "period": plan.period_label},
        "quarter": str(quarter),
        "quarter_dates": f"{quarter.first_day:%-d %B %Y} to {quarter.last_day:%-d %B %Y}",
        "report": {
            "period_text": report.period_text,
            "priority": report.priority,
            "priority_manager": report.priority_manager,
            "lead_officer": report.lead_officer,
            "overall_status": report.overall_status,
            "delivery_plan_status": report.delivery_plan_status,
            "pi_status": report.pi_status,
            "percent_complete": report.percent_complete,
            "progress_towards_objectives": report.progress_towards_objectives,
            "general_commentary": report.general_commentary,
            "change_requests": report.change_requests,
            "commentaries": [
                {"heading": c.heading, "rag_status": c.rag_status, "commentary": c.commentary} for c in commentaries
            ],
            "next_steps": [
                {
                    "title": n.title,
                    "comments": n.comments,
                    "due": n.due_text or (n.due_date and f"{n.due_date:%-d %B %Y}"),
                }
                for n in next_steps
            ],
        },
        "actions": actions,
        "measures": measure_summary(plans=plans),
        "money": money_summary(plans=plans),
        "risks": risk_summary(partnerships=[plan.partnership_id], plans=plans, today=today)
        | {"register": _risk_register(risks)},
    }


def report_content(*, report, today=None):
    """A signed-off report reads from its snapshot, forever; a draft is computed live."""
    if report.is_signed_off and report.snapshot:
        return report.snapshot
    return json.loads(json.dumps(report_live_content(report=report, today=today), cls=DjangoJSONEncoder))


def report_comparison(*, report, today=None):
    """This quarter against the one before: RAG moves, slipped due dates and new risks."""
    current = report_content(report=report, today=today)
    previous_report = QuarterlyReport.objects.filter(
        plan=report.plan,
        period_year=report.period.previous().start_year,
        period_quarter=report.period.previous().quarter,
    ).first()
    if previous_report is None:
        previous_report = QuarterlyReport(
            plan=report.plan,
            period_year=report.period.previous().start_year,
            period_quarter=report.period.previous().quarter,
        )
    previous = report_content(report=previous_report, today=today)
    before = {row["pk"]: row for row in previous["actions"]["positions"]}
    moves, slipped = [], []
    for row in current["actions"]["positions"]:
        old = before.get(row["pk"])
        if old is None:
            continue
        if old["status"] != row["status"]:
            moves.append(row | {"movement": _movement(old["status"], row["status"]).label, "was": old["status"]})
        if old["due_date"] and row["due_date"] and row["due_date"] > old["due_date"]:
            slipped.append(row | {"was_due": old["due_date"]})
    known_risks = {risk["reference"] for risk in previous["risks"]["register"]}
    return {
        "current": current,
        "previous": previous,
        "previous_signed_off": previous_report.is_signed_off,
        "moves": moves,
        "slipped": slipped,
        "new_risks": [risk for risk in current["risks"]["register"] if risk["reference"] not in known_risks],
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


def report_for_quarter(*, plan, quarter):
    """The plan's report for the quarter, or an unsaved draft prefilled from the plan's data."""
    report = QuarterlyReport.objects.filter(
        plan=plan, period_year=quarter.start_year, period_quarter=quarter.quarter
    ).first()
    if report is not None:
        return report
    summary = action_summary(actions=plan.actions.all(), quarter=quarter)
    return QuarterlyReport(
        plan=plan,
        period_year=quarter.start_year,
        period_quarter=quarter.quarter,
        period_text=str(quarter),
        percent_complete=summary["percent_complete"],
    )
