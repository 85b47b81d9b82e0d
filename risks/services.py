"""Writes for the risk register. Each is atomic and takes keyword-only arguments."""

from django.db import transaction

from risks.models import Risk, RiskReview

REVIEWED_FIELDS = {
    "likelihood": "Current likelihood",
    "impact": "Current impact",
    "target_likelihood": "Target likelihood",
    "target_impact": "Target impact",
    "review_date": "Next review",
    "status": "Status",
}


def _shown(value):
    if value is None or value == "":
        return "Not set"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@transaction.atomic
def risk_review(*, risk, reviewer, note, **values):
    """Record a review: apply the new scores, dates and status, and keep what changed and why."""
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    changes = {}
    for name, label in REVIEWED_FIELDS.items():
        if name in values and getattr(locked, name) != values[name]:
            changes[label] = [_shown(getattr(locked, name)), _shown(values[name])]
            setattr(locked, name, values[name])
    locked._change_reason = f"Reviewed: {note.strip()[:80]}"
    locked.save()
    return RiskReview.objects.create(risk=locked, reviewer=reviewer, changes=changes, note=note.strip())
