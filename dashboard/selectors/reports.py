"""Quarterly reports: their live content, their comparison with the quarter before, their drafts."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from dashboard.choices import ReportStatus
from dashboard.models import QuarterlyReport
from dashboard.selectors.measures import measure_summary, money_summary
from dashboard.selectors.summaries import _movement, action_summary
from plans.models import Plan
from plans.periods import FinancialQuarter
from plans.permissions import readable_partnerships
from risks.models import Risk
from risks.selectors import risk_summary

# --- quarterly reports ---------------------------------------------------------------------------


def closed_quarters(*, plan):
    """{quarter: who signed it off and when} for the plan's signed-off quarters, which take no more updates."""
    signed_off = QuarterlyReport.objects.filter(plan=plan, status=ReportStatus.SIGNED_OFF).select_related(
        "signed_off_by"
    )
    closed = {}
    for report in signed_off:
        person = report.signed_off_by
        by = f" by {person.get_full_name() or person.get_username()}" if person else ""
        on = f" on {timezone.localtime(report.signed_off_at):%-d %B %Y}" if report.signed_off_at else ""
        closed[report.period] = f"signed off{by}{on}"
    return closed


def closed_quarters_since(*, quarter):
    """{plan id: its signed-off quarters from `quarter` on}, for every plan, in one query."""
    later = Q(period_year__gt=quarter.start_year) | Q(
        period_year=quarter.start_year, period_quarter__gte=quarter.quarter
    )
    signed_off = QuarterlyReport.objects.filter(later, status=ReportStatus.SIGNED_OFF)
    closed = {}
    for plan_id, year, number in signed_off.values_list("plan_id", "period_year", "period_quarter"):
        closed.setdefault(plan_id, set()).add(FinancialQuarter(year, number))
    return closed


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
    actions = action_summary(actions=plan.actions.in_force(), quarter=quarter, today=today)
    actions["positions"] = [{"pk": pk} | position for pk, position in actions["positions"].items()]
    risks = Risk.objects.filter(plan=plan).open().in_force().prefetch_related("mitigations")
    risks = risks.order_by("order", "reference")
    commentaries = report.commentaries.all() if report.pk else []
    next_steps = report.next_steps.all() if report.pk else []
    return {
        "plan": {"title": plan.title, "partnership": plan.partnership.name, "period": plan.period_label},
        "quarter": str(quarter),
        "previous_quarter": str(quarter.previous()),
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
            slipped.append(
                row
                | {
                    "was_due": old["due_date"],
                    "was_due_date": datetime.date.fromisoformat(old["due_date"]),
                    "due": datetime.date.fromisoformat(row["due_date"]),
                }
            )
    known_risks = {risk["reference"] for risk in previous["risks"]["register"]}
    return {
        "current": current,
        "previous": previous,
        "previous_signed_off": previous_report.is_signed_off,
        "moves": moves,
        "slipped": slipped,
        "new_risks": [risk for risk in current["risks"]["register"] if risk["reference"] not in known_risks],
    }


def report_for_quarter(*, plan, quarter):
    """The plan's report for the quarter, or an unsaved draft prefilled from the plan's data."""
    report = QuarterlyReport.objects.filter(
        plan=plan, period_year=quarter.start_year, period_quarter=quarter.quarter
    ).first()
    if report is not None:
        return report
    summary = action_summary(actions=plan.actions.in_force(), quarter=quarter)
    # The average of a few actions' stated % is not the plan's completion: it is offered only when
    # every action states one. Otherwise the officer states the figure (the form shows the basis).
    every_action_states_one = summary["total"] and summary["percent_basis"] == summary["total"]
    return QuarterlyReport(
        plan=plan,
        period_year=quarter.start_year,
        period_quarter=quarter.quarter,
        period_text=str(quarter),
        percent_complete=summary["percent_complete"] if every_action_states_one else None,
    )
