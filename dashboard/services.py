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
    """Save a draft report's text and its commentaries and next steps, in the order given.

    A row with an "id" updates that row in place; a row without one is added; a saved row not in the
    list is deleted. Each is saved on its own, so the audit trail records edits as edits.
    """
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk) if report.pk else report
    report.plan.refuse_writes()
    if report.is_signed_off:
        raise QuarterSignedOff(f"{report.period} is signed off; reopen it to change the report.")
    model_update(report, {name: fields[name] for name in REPORT_FIELDS if name in fields})
    report.save()
    _save_rows(ReportCommentary, report=report, rows=commentaries)
    _save_rows(NextStep, report=report, rows=next_steps)
    return report


def _save_rows(model, *, report, rows):
    saved = {row.pk: row for row in model.objects.filter(report=report)}
    kept = {row["id"] for row in rows if row.get("id") in saved}
    for pk, row in saved.items():
        if pk not in kept:
            row.delete()
    for order, given in enumerate(rows, 1):
        values = {name: value for name, value in given.items() if name != "id"} | {"order": order}
        row = saved.get(given.get("id"))
        if row is None:
            model.objects.create(report=report, **values)
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            row.save(update_fields=changed)


@transaction.atomic
def report_sign_off(*, report, user, note=""):
    """Freeze the quarter: store what the report and dashboard say now, so it reads the same forever."""
    report = QuarterlyReport.objects.select_for_update().select_related("plan__partnership").get(pk=report.pk)
    report.plan.refuse_writes()
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
    report = QuarterlyReport.objects.select_for_update(of=("self",)).select_related("plan").get(pk=report.pk)
    report.plan.refuse_writes()
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
