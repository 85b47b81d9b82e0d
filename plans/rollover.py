"""Roll-over steps: each app carries its own rows of plan year N into year N+1.

The plan's actions are carried here; other apps register their steps from their own rollover.py
(found at start-up by plans.apps). A step gives what it would carry for the preview, then copies
its rows into the new plan with bulk_create.
"""

from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from plans.choices import ActionStatus
from plans.models import ActionStep, ImprovementAction


@dataclass(frozen=True)
class RolloverStep:
    name: str
    preview: callable  # plan -> {preview key: what would be carried}
    carry: callable  # (plan, new_plan) -> None
    position: int = 0


_steps = {}


def register(step):
    _steps[step.name] = step
    return step


def steps():
    return sorted(_steps.values(), key=lambda step: step.position)


def _actions(plan):
    return list(plan.actions.prefetch_related("steps", "national_outcomes", "responsible_users").order_by("order"))


def _preview_actions(plan):
    actions = _actions(plan)
    return {
        "actions": [a.reference for a in actions if a.status != ActionStatus.COMPLETE],
        "completed": [a.reference for a in actions if a.status == ActionStatus.COMPLETE],
    }


COPIED_ACTION_FIELDS = (
    "reference",
    "category",
    "category_text",
    "title",
    "outcome",
    "outcome_points",
    "description",
    "responsible",
    "service",
    "review_frequency",
    "order",
)


def _carry_actions(plan, new_plan):
    """Incomplete actions carry forward, linked to their predecessor, status reset to not yet assessed."""
    carried = [a for a in _actions(plan) if a.status != ActionStatus.COMPLETE]
    copies = bulk_create_with_history(
        [
            ImprovementAction(plan=new_plan, predecessor=a, **{name: getattr(a, name) for name in COPIED_ACTION_FIELDS})
            for a in carried
        ],
        ImprovementAction,
    )
    copy_of = {copy.predecessor_id: copy for copy in copies}
    if any(copy.pk is None for copy in copies):  # a backend that does not return keys from bulk inserts
        copy_of = {copy.predecessor_id: copy for copy in new_plan.actions.all()}
    ActionStep.objects.bulk_create(
        ActionStep(action=copy_of[a.pk], text=step.text, order=step.order) for a in carried for step in a.steps.all()
    )
    outcomes = ImprovementAction.national_outcomes.through
    outcomes.objects.bulk_create(
        outcomes(improvementaction_id=copy_of[a.pk].pk, nationaloutcome_id=o.pk)
        for a in carried
        for o in a.national_outcomes.all()
    )
    responsible = ImprovementAction.responsible_users.through
    responsible.objects.bulk_create(
        responsible(improvementaction_id=copy_of[a.pk].pk, user_id=u.pk)
        for a in carried
        for u in a.responsible_users.all()
    )


register(RolloverStep("actions", _preview_actions, _carry_actions, position=10))
