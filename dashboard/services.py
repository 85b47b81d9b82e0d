"""Writes for quarterly reports: saving, signing off and reopening. Each is atomic."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from dashboard import selectors
from dashboard.choices import ReportEventKind, ReportStatus
from dashboard.models import NextStep, QuarterlyReport, ReportCommentary, ReportEvent
from plans.periods import QuarterSignedOff
from sipportal.services import model_update

REPORT_FIELDS = [
    "priority",
    "priority_manager",
    "lead_officer",
    "overall_status",
    "delivery_plan_status",
    "pi_status",
    "percent_complete",
    "progress_towards_objectives",
    "general_commentary",
    "change_requests",
]


@transaction.atomic
def report_save(*, report, fields, commentaries, next_steps):
    """Save a draft report's text, replacing its commentaries and next steps with the lists given."""
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk) if report.pk else report
    if report.is_signed_off:
        raise QuarterSignedOff(f"{report.period} is signed off; reopen it to change the report.")
    model_update(report, {name: fields[name] for name in REPORT_FIELDS if name in fields})
    report.save()
    report.commentaries.all().delete()
    ReportCommentary.objects.bulk_create(
        ReportCommentary(report=report, order=order, **commentary) for order, commentary in enumerate(commentaries, 1)
    )
    report.next_steps.all().delete()
    NextStep.objects.bulk_create(
        NextStep(report=report, order=order, **step) for order, step in enumerate(next_steps, 1)
    )
    return report


@transaction.atomic
def report_sign_off(*, report, user, note=""):
    """Freeze the quarter: store what the report and dashboard say now, so it reads the same forever."""
    report = QuarterlyReport.objects.select_for_update().select_related("plan__partnership").get(pk=report.pk)
    if report.is_signed_off:
        raise QuarterSignedOff(f"{report.period} is already signed off.")
    live = selectors.report_live_content(report=report)
    report.snapshot = json.loads(json.dumps(live, cls=DjangoJSONEncoder))
    report.status = ReportStatus.SIGNED_OFF
    report.signed_off_by = user
    report.signed_off_at = timezone.now()
    report._change_reason = "Signed off"
    report.save()
    ReportEvent.objects.create(report=report, kind=ReportEventKind.SIGNED_OFF, user=user, note=note)
    return report


@transaction.atomic
def report_reopen(*, report, user, note):
    """Reopen a signed-off quarter for changes. The reason is required and kept."""
    if not note.strip():
        raise ValueError("Say why the quarter is being reopened.")
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_signed_off:
        raise ValueError(f"{report.period} is not signed off.")
    report.status = ReportStatus.DRAFT
    report.snapshot = None
    report.signed_off_by = None
    report.signed_off_at = None
    report._change_reason = f"Reopened: {note.strip()}"
    report.save()
    ReportEvent.objects.create(report=report, kind=ReportEventKind.REOPENED, user=user, note=note.strip())
    return report
