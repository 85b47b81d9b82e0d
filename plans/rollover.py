"""Roll-over steps: each app carries its own rows of plan year N into year N+1.

The plan's actions are carried here; other apps register their steps from their own rollover.py
(found at start-up by plans.apps). A step gives what it would carry for the preview, then copies
its rows into the new plan with bulk_create.
"""

import re
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from plans.choices import ActionStatus
from plans.models import ActionStep, ImprovementAction, Theme


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


# A year, or a span of years, as titles write them: 2017, 2020/21, 2017-20, 2018 – 2021.
YEARS_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:(\s*[/\-–]\s*)(\d\d(?:\d\d)?))?(?!\d)")


def next_year_title(title, *, start_year, end_year):
    """The title with the plan's own years moved on one: "Plan 2017" -> "Plan 2018", "2017-20" -> "2018-21".

    Only years within the plan's period (give or take one) are moved, so "Community Plan 2015 – 30"
    in a title stays as it is. A title that names no year is kept as it is.
    """

    def moved(match):
        first, joint, second = match.groups()
        if not start_year - 1 <= int(first) <= end_year + 1:
            return match.group(0)
        if second is None:
            return str(int(first) + 1)
        later = int(second) + 1
        return f"{int(first) + 1}{joint}{later % 100:02d}" if len(second) == 2 else f"{int(first) + 1}{joint}{later}"

    return YEARS_IN_TITLE.sub(moved, title)


def _actions(plan):
    actions = plan.actions.in_force().prefetch_related("steps", "national_outcomes", "responsible_users")
    return list(actions.order_by("order"))


def _preview_actions(plan):
    actions = _actions(plan)
    return {
        "actions": [a.reference for a in actions if a.status != ActionStatus.COMPLETE],
        "completed": [a.reference for a in actions if a.status == ActionStatus.COMPLETE],
        "withdrawn": list(plan.actions.withdrawn().order_by("order").values_list("reference", flat=True)),
        "themes": plan.themes.count(),
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
    "start_date",
    "start_text",
    "due_date",
    "timescale_text",
    "review_frequency",
    "order",
)
# A theme's structure carries; an inspection's grade and findings were about the year that ended.
COPIED_THEME_FIELDS = ("kind", "reference", "title", "description", "order")


def _carry_themes(plan, new_plan):
    """{old theme pk: its copy in the new plan}."""
    themes = list(plan.themes.order_by("order", "pk"))
    copies = bulk_create_with_history(
        [Theme(plan=new_plan, **{name: getattr(t, name) for name in COPIED_THEME_FIELDS}) for t in themes], Theme
    )
    if any(copy.pk is None for copy in copies):  # a backend that does not return keys from bulk inserts
        copies = list(new_plan.themes.order_by("order", "pk"))
    return {theme.pk: copy for theme, copy in zip(themes, copies, strict=True)}


def _carry_actions(plan, new_plan):
    """Incomplete actions carry forward, linked to their predecessor, status reset to not yet assessed.

    Their dates and timescales are kept as stated: an action due in a year that has ended shows as overdue.
    """
    themes = _carry_themes(plan, new_plan)
    carried = [a for a in _actions(plan) if a.status != ActionStatus.COMPLETE]
    copies = bulk_create_with_history(
        [
            ImprovementAction(
                plan=new_plan,
                predecessor=a,
                theme=themes.get(a.theme_id),
                **{name: getattr(a, name) for name in COPIED_ACTION_FIELDS},
            )
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
