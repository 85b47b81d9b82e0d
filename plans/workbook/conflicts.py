"""Re-importing a workbook safely: newer work in the app wins unless the admin chooses the file's value.

For each sheet, `reconcile` matches the file's rows with the plan's rows and settles every difference
before the sheet's writer runs, by putting the app's value back into a file row wherever the app's
value is to stay:
- history (RAG status, % complete, risk scores, a plan's status) is never changed on an existing row;
- a field changed in the app since the row was exported (its stamp says so) is a conflict: the app's
  value stays unless the admin ticked to take the file's;
- any other difference is an update, shown field by field.
Rows of the plan that the file leaves out are listed, kept by default, and withdrawn only when chosen.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone

from plans.models import Plan
from plans.periods import financial_year_label
from plans.workbook.diff import EMPTY, FieldChange, RowChange, row_label, same, shown
from plans.workbook.schema import HIGHLIGHTS
from plans.workbook.stamps import (
    INVALID,
    app_extras,
    app_values,
    column_hash,
    extras_hash,
    file_extras,
    parsed,
    read_stamp,
    sheet_stamp,
)

WITHDRAWN_REASON = "Withdrawn by a plan workbook import"
REINSTATED_REASON = "Reinstated by a plan workbook import"


@dataclass(frozen=True)
class Decisions:
    """What the admin chose in the preview: file values to take, missing rows to withdraw, a second plan."""

    take: frozenset = frozenset()
    withdraw: frozenset = frozenset()
    new_plan: bool = False

    def __post_init__(self):
        object.__setattr__(self, "take", frozenset(self.take))
        object.__setattr__(self, "withdraw", frozenset(self.withdraw))

    @classmethod
    def from_data(cls, data):
        data = data or {}
        return cls(data.get("take", ()), data.get("withdraw", ()), bool(data.get("new_plan")))

    def as_data(self):
        return {"take": sorted(self.take), "withdraw": sorted(self.withdraw), "new_plan": self.new_plan}

    @classmethod
    def from_post(cls, post):
        """The choices ticked in the preview form."""
        return cls(post.getlist("take"), post.getlist("withdraw"), post.get("new_plan") == "on")

    def takes(self, change, row_choice):
        return change.choice in self.take or row_choice in self.take


@dataclass
class Reconciliation:
    changes: list = field(default_factory=list)
    withdraw: list = field(default_factory=list)  # objects to withdraw
    reinstate: list = field(default_factory=list)  # withdrawn objects the file brings back


@dataclass
class PlanMatch:
    plan: Plan | None = None
    renamed: dict | None = None  # {"title_in_app", "title_in_file"} when matched on kind and year alone
    problem: str = ""


def matching_plan(partnership, values, *, new_plan):
    """The plan a workbook updates: the same title and first year, else the one plan of its kind that year."""
    same_title = Plan.objects.filter(partnership=partnership, title=values["title"], start_year=values["start_year"])
    plan = same_title.first()
    if plan is not None or new_plan:
        return PlanMatch(plan)
    candidates = list(
        Plan.objects.filter(partnership=partnership, kind=values["kind"], start_year=values["start_year"])[:5]
    )
    if len(candidates) == 1:
        renamed = {"title_in_app": candidates[0].title, "title_in_file": values["title"]}
        return PlanMatch(candidates[0], renamed)
    if candidates:
        titles = "; ".join(f"'{plan.title}'" for plan in candidates)
        return PlanMatch(
            problem=f"{partnership.name} has several plans of this kind for this year ({titles}). Give the title "
            "of the one to update exactly, or choose to create another plan."
        )
    return PlanMatch()


def key_columns(sheet):
    return [column for column in sheet.columns if column.key in sheet.natural_key]


def match_key(sheet, values):
    """The row's natural key as the writers match it: case does not matter."""
    if not sheet.natural_key:
        return ("plan",)
    return tuple(str(values.get(name) or "").lower() for name in sheet.natural_key)


def display_key(sheet, values):
    if not sheet.natural_key:
        return sheet.name
    return ", ".join(shown(column, values.get(column.key)) for column in key_columns(sheet))


def reconcile(sheet, rows, objects, decisions):
    """Match the file's rows with the plan's, settle each difference in the rows, and say what happens."""
    objects = list(objects)
    columns = key_columns(sheet)
    existing = {}
    for obj in objects:
        existing[match_key(sheet, {c.key: parsed(c, c.value_of(obj)) for c in columns})] = obj
    outcome, matched = Reconciliation(), []
    for row in rows:
        key = match_key(sheet, row.values)
        obj = existing.pop(key, None)
        matched.append((row, obj))
        row_choice = f"{sheet.name}|{display_key(sheet, row.values).lower()}"
        if obj is None:
            if objects:  # a new plan's rows are all new: counted, not listed one by one
                change = RowChange(sheet.name, display_key(sheet, row.values), row_label(row.values), "created")
                outcome.changes.append(change)
            continue
        change = _reconcile_row(sheet, row, obj, decisions, row_choice)
        if getattr(obj, "withdrawn_at", None) is not None:
            change.kind = "reinstated"
            was = f"Yes, since {timezone.localtime(obj.withdrawn_at):%d/%m/%Y}"
            change.fields.append(FieldChange("Withdrawn", "withdrawn_at", was, "No: in force again"))
            outcome.reinstate.append(obj)
        outcome.changes.append(change)
    _place(sheet, matched, outcome.changes, objects)
    _missing(sheet, existing.values(), decisions, outcome)
    return outcome


def _missing(sheet, left_out, decisions, outcome):
    """The plan's rows in force that the file leaves out: listed, and withdrawn only if the admin chose to."""
    for obj in left_out:
        if getattr(obj, "withdrawn_at", None) is not None:
            continue
        values = app_values(sheet, obj)
        row_choice = f"{sheet.name}|{display_key(sheet, values).lower()}"
        withdrawable = hasattr(obj, "withdrawn_at")
        change = RowChange(
            sheet.name, display_key(sheet, values), row_label(values), "missing", row_choice, withdrawable=withdrawable
        )
        outcome.changes.append(change)
        if withdrawable and row_choice in decisions.withdraw:
            outcome.withdraw.append(obj)


def _reconcile_row(sheet, row, obj, decisions, row_choice):
    app = app_values(sheet, obj)
    stamp = read_stamp(sheet, row.stamp)
    change = RowChange(sheet.name, display_key(sheet, app), row_label(app), "unchanged", row_choice)
    ignore_case = {*sheet.natural_key, "partnership"}
    for column in sheet.columns:
        file_value, app_value = row.values.get(column.key), app[column.key]
        if same(file_value, app_value, ignore_case=column.key in ignore_case):
            continue
        field_change = FieldChange(
            column.header,
            column.key,
            shown(column, app_value),
            shown(column, file_value),
            choice=f"{row_choice}|{column.key}",
        )
        if column.key in sheet.history_fields:
            change.not_imported.append(field_change)
            change.note = sheet.history_note
            row.values[column.key] = app_value
            continue
        field_change.conflict = stamp is INVALID or (
            stamp is not None and stamp[0][column.key] != column_hash(app_value)
        )
        if field_change.conflict and not decisions.takes(field_change, row_choice):
            row.values[column.key] = app_value
        change.fields.append(field_change)
    if sheet.result_columns:
        _reconcile_results(row, obj, sheet, stamp, decisions, change)
    if any(f.conflict for f in change.fields):
        change.kind = "conflict"
    elif change.fields:
        change.kind = "updated"
    return change


def _reconcile_results(row, obj, sheet, stamp, decisions, change):
    """A measure's yearly results, compared for the years the file has columns for."""
    app, file = app_extras(sheet, obj), file_extras(row)
    conflict = stamp is INVALID or (stamp is not None and stamp[1] != extras_hash(app))
    for year in sorted(row.results):
        header = f"{financial_year_label(year)} result"
        old, new = app.get(header, ""), file.get(header, "")
        if old == new:
            continue
        field_change = FieldChange(header, "results", old or EMPTY, new or EMPTY, conflict, f"{change.choice}|results")
        if conflict and not decisions.takes(field_change, change.choice):
            row.results[year] = old
        change.fields.append(field_change)


def _place(sheet, matched, changes, objects):
    """Each row's position. Rows keep theirs unless the file puts existing rows in another order.

    Deleting or adding a row in the file then moves no other row; a new row sits after the one above it.
    """
    if objects and not hasattr(objects[0], "order"):
        return
    rank = {id(obj): index for index, obj in enumerate(objects)}  # the export's order
    ranks = [rank[id(obj)] for _, obj in matched if obj is not None]
    if ranks == sorted(ranks) and objects:
        previous = 0
        for row, obj in matched:
            row.order = previous = obj.order if obj is not None else previous
        return
    listed = {change.choice: change for change in changes if change.kind != "created"}
    for position, (row, obj) in enumerate(matched, start=1):
        row.order = position
        if obj is not None and obj.order != position:
            change = listed.get(f"{sheet.name}|{display_key(sheet, row.values).lower()}")
            if change is not None:
                change.fields.append(FieldChange("Position", "order", str(obj.order), str(position)))
                if change.kind == "unchanged":
                    change.kind = "updated"


def apply(sheet, outcome, *, model):
    """Withdraw the rows chosen and reinstate the ones the file brings back, with their history."""
    now = timezone.now()
    for objects, value, reason in [
        (outcome.withdraw, now, WITHDRAWN_REASON),
        (outcome.reinstate, None, REINSTATED_REASON),
    ]:
        for obj in model.objects.filter(pk__in=[obj.pk for obj in objects]):
            obj.withdrawn_at = value
            obj._change_reason = reason
            obj.save(update_fields=["withdrawn_at"])
    return len(outcome.withdraw)


def fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def highlights_changed_in_app(rows, objects):
    """Whether the plan's highlights differ from those the file was exported with (its rows' sheet stamp).

    Rows typed into the template have no stamp: their highlights are taken, as any unstamped row's values
    are. A file with no highlights at all cannot say what it was exported with, so it never drops them unasked.
    """
    if not rows:
        return True
    stamps = {row.stamp for row in rows if row.stamp}
    return bool(stamps) and stamps != {sheet_stamp(HIGHLIGHTS, objects)}
