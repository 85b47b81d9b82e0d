"""Writes for the risk register. Each is atomic and takes keyword-only arguments."""

from django.db import transaction

from risks.models import Risk, RiskReview
from risks.scoring import risk_level, risk_score
from sipportal.services import model_update

REVIEWED_FIELDS = {
    "likelihood": "Current likelihood",
    "impact": "Current impact",
    "target_likelihood": "Target likelihood",
    "target_impact": "Target impact",
    "review_date": "Next review",
    "status": "Status",
}
SCORES = ("likelihood", "impact", "target_likelihood", "target_impact")


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else "No one"


def _shown(value):
    if value is None or value == "":
        return "Not set"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _score_shown(likelihood, impact):
    score = risk_score(likelihood, impact)
    return "Not yet scored" if score is None else f"{score} · {risk_level(score).label}"


def _score_changes(before, after):
    """The current and target scores, with their levels, where a review changed them."""
    changes = {}
    for prefix, label in [("", "Current score"), ("target_", "Target score")]:
        was = _score_shown(before[f"{prefix}likelihood"], before[f"{prefix}impact"])
        now = _score_shown(after[f"{prefix}likelihood"], after[f"{prefix}impact"])
        if was != now:
            changes[label] = [was, now]
    return changes


def _names(actions):
    return ", ".join(action.reference for action in sorted(actions, key=lambda a: a.order)) or "None"


@transaction.atomic
def risk_review(*, risk, reviewer, note, owner_user=None, related_actions=None, **values):
    """Record a review: apply the new scores, dates, status, owner and linked actions; keep what changed and why."""
    locked = Risk.objects.select_for_update(of=("self",)).select_related("plan").get(pk=risk.pk)
    if locked.plan is not None:
        locked.plan.refuse_writes()
    before = {name: getattr(locked, name) for name in REVIEWED_FIELDS}
    changed = model_update(locked, {name: values[name] for name in REVIEWED_FIELDS if name in values})
    changes = {REVIEWED_FIELDS[name]: [_shown(before[name]), _shown(getattr(locked, name))] for name in changed}
    if locked.owner_user != owner_user:
        changes["Owner"] = [_person(locked.owner_user), _person(owner_user)]
        locked.owner_user = owner_user
    if related_actions is not None:
        current = list(locked.related_actions.all())
        if {a.pk for a in current} != {a.pk for a in related_actions}:
            changes["Improvement actions"] = [_names(current), _names(related_actions)]
            locked.related_actions.set(related_actions)
    locked._change_reason = f"Reviewed: {note.strip()[:80]}"
    locked.save()
    scores = _score_changes(before, {name: getattr(locked, name) for name in SCORES})
    return RiskReview.objects.create(risk=locked, reviewer=reviewer, changes=changes, scores=scores, note=note.strip())
