"""Writing the Actions sheet: each row settled against the plan's actions, then saved in bulk with history."""

from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from plans.choices import ActionStatus
from plans.models import ActionStep, ImprovementAction, NationalOutcome
from plans.workbook import bulk, outline
from plans.workbook.bulk import assign


@dataclass
class ActionWrites:
    """What the rows ask for, collected before anything is saved (a problem in any row saves nothing)."""

    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    steps_for: dict = field(default_factory=dict)  # reference -> (action, steps to replace them with, or None)
    outcome_links: dict = field(default_factory=dict)  # reference -> (action, national outcome numbers, or None)


def row_position(row):
    """The row's position: as the plan had it (see conflicts.reconcile), or its place in the file."""
    return row.number - 1 if row.order is None else row.order


def write_actions(importer, rows):
    outcomes = {o.number: o for o in NationalOutcome.objects.all()}
    plan_outline = outline.PlanOutline(importer.plan, importer.count)
    existing = {a.reference.lower(): a for a in importer.plan.actions.prefetch_related("steps", "national_outcomes")}
    writes = ActionWrites()
    for row in rows:
        _settle_row(importer, row, writes, outcomes=outcomes, plan_outline=plan_outline, existing=existing)
    if not importer.result.problems:
        _save(importer, writes, outcomes)


def _outcome_numbers(importer, row, numbers, outcomes):
    """The national outcome numbers the row names, or None (with a problem reported) if it names others."""
    try:
        wanted = sorted({int(n) for n in numbers.replace(";", ",").split(",") if n.strip()})
    except ValueError:
        importer.problem("Actions", row.number, "National outcomes", f"'{numbers}' is not a list of numbers.")
        return None
    unknown = [n for n in wanted if n not in outcomes]
    if unknown:
        importer.problem("Actions", row.number, "National outcomes", f"No national outcome {unknown[0]}.")
        return None
    return wanted


def _settle_row(importer, row, writes, *, outcomes, plan_outline, existing):
    values = dict(row.values)
    steps = values.pop("steps")
    wanted = _outcome_numbers(importer, row, values.pop("national_outcomes"), outcomes)
    if wanted is None:
        return
    values["status"] = values["status"] or ActionStatus.NOT_ASSESSED
    action = existing.get(values["reference"].lower())
    values["theme"] = plan_outline.theme(values["theme"])
    # Only a new action takes its status from the file (see conflicts.reconcile): check it.
    complete = values["status"] == ActionStatus.COMPLETE
    if action is None and complete and values["percent_complete"] not in (None, 100):
        importer.problem("Actions", row.number, "% complete", "A complete action is 100% complete.")
        return
    if action is None:
        action = ImprovementAction(plan=importer.plan, order=row_position(row), **values)
        writes.to_create.append(action)
        importer.count("Actions", "created")
    else:
        fields_changed = assign(action, values | {"order": row_position(row)})
        steps_changed = [s.text for s in action.steps.all()] != steps
        links_changed = sorted(o.number for o in action.national_outcomes.all()) != wanted
        if fields_changed:
            action.version += 1
            action.updated_at = timezone.now()
            writes.to_update.append(action)
        changed = fields_changed or steps_changed or links_changed
        importer.count("Actions", "updated" if changed else "unchanged")
        steps = steps if steps_changed else None
        wanted = wanted if links_changed else None
    writes.steps_for[action.reference] = (action, steps)
    writes.outcome_links[action.reference] = (action, wanted)


def _save(importer, writes, outcomes):
    plan, user = importer.plan, importer.user
    bulk.insert(ImprovementAction, writes.to_create)
    if writes.to_create:
        references = [a.reference for a in writes.to_create]
        keys = dict(plan.actions.filter(reference__in=references).values_list("reference", "pk"))
        for action in writes.to_create:
            action.pk = keys[action.reference]
        bulk.add_history(ImprovementAction, writes.to_create, user=user, reason="Imported from a plan workbook")
    if writes.to_update:
        fields = [f.name for f in ImprovementAction._meta.concrete_fields if f.name not in ("id", "plan")]
        bulk_update_with_history(writes.to_update, ImprovementAction, fields, default_user=user, batch_size=500)
    replace = [(a, steps) for a, steps in writes.steps_for.values() if steps is not None]
    ActionStep.objects.filter(action_id__in=[a.pk for a, _ in replace]).delete()
    step_rows = [[a.pk, text, i] for a, texts in replace for i, text in enumerate(texts, 1)]
    bulk.insert_values(ActionStep, ["action", "text", "order"], step_rows)
    through = ImprovementAction.national_outcomes.through
    relink = [(a, wanted) for a, wanted in writes.outcome_links.values() if wanted is not None]
    through.objects.filter(improvementaction_id__in=[a.pk for a, _ in relink]).delete()
    through.objects.bulk_create(
        [through(improvementaction_id=a.pk, nationaloutcome_id=outcomes[n].pk) for a, wanted in relink for n in wanted]
    )
