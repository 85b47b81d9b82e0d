"""Compare a parsed workbook with the database and write it, all or nothing.

The import always runs inside one transaction. A dry run (the preview) and any
import with a problem roll that transaction back, so the preview's counts are
exactly what a real import would do, and a failed import writes nothing.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from plans.choices import EfficiencyStatus, PartnershipKind, PlanStatus
from plans.dataversion import data_changed
from plans.models import (
    BudgetLine,
    CommissionedService,
    Partnership,
    Plan,
    PlanHighlight,
    PlannedEfficiency,
    Service,
)
from plans.permissions import can_manage_partnership
from plans.workbook import conflicts, one_pass
from plans.workbook.actions_sheet import write_actions
from plans.workbook.bulk import assign
from plans.workbook.diff import fingerprint_data, replaced_as_a_whole
from plans.workbook.reader import Problem
from plans.workbook.schema import PLAN, sheets


@dataclass
class ImportResult:
    plan: Plan | None = None
    counts: dict = field(default_factory=dict)  # sheet -> Counter(created=, updated=, unchanged=)
    problems: list = field(default_factory=list)
    written: bool = False
    changes: list = field(default_factory=list)  # diff.RowChange, field by field, in sheet order
    plan_match: dict | None = None  # the plan matched on kind and year, with its title in the app and the file
    fingerprint: str = ""  # of what the preview showed; a confirm checks it to apply exactly that
    examples_skipped: dict = field(default_factory=dict)  # sheet -> example rows left out
    # A partnership the file names that does not exist, for a superuser: (name, the kind its name suggests).
    missing_partnership: tuple | None = None
    derived: list = field(default_factory=list)  # values filled in from others, e.g. due dates from timescales

    @property
    def changed_anything(self):
        """Whether any row was created, updated, withdrawn or reinstated: an identical file writes nothing."""
        return any(n for counts in self.counts.values() for outcome, n in counts.items() if outcome != "unchanged")

    @property
    def ok(self):
        return not self.problems


def partnership_kind_of(name):
    """'hscp' or 'cpp' where a new partnership's name says which, else ''."""
    words = set(re.findall(r"[a-z]+", name.lower()))
    return next((k for k, label in PartnershipKind.choices if label.lower() in name.lower() or k in words), "")


def site_administrators():
    """Who can create a partnership, by name: the site's administrators (superusers)."""
    names = [
        user.get_full_name() or user.username
        for user in get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("username")[:5]
    ]
    if not names:
        return "a site administrator"
    return (
        "a site administrator (" + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]) + ")"
    )


class _Rollback(Exception):
    pass


class PlanImporter:
    """One import of one workbook. Use `run()`.

    The reader has already refused duplicate natural keys, so each sheet's rows are unique here.
    """

    def __init__(
        self,
        parsed,
        *,
        user,
        plan=None,
        allow_new_partnership=False,
        new_partnership_kind="",
        on_progress=None,
        decisions=None,
        expected_fingerprint=None,
    ):
        self.parsed = parsed
        self.decisions = decisions or conflicts.Decisions()
        self.expected_fingerprint = expected_fingerprint
        self.user = user
        self.plan = plan  # given for a one-section CSV import into an existing plan
        # The plan the file updates, if it exists already (a new plan's key differs between preview and import).
        self.existing_plan_pk = plan.pk if plan is not None else None
        self.allow_new_partnership = allow_new_partnership
        self.new_partnership_kind = new_partnership_kind
        self.on_progress = on_progress or (lambda stage, done, total: None)
        self.result = ImportResult(
            problems=list(parsed.problems), examples_skipped=dict(parsed.examples_skipped), derived=list(parsed.derived)
        )

    def run(self, *, dry_run):
        """Import, or find every problem: a file with bad cells is still checked against the database.

        The rows without cell problems go through the same checks (partnership, national outcomes, ...)
        in a transaction that is always rolled back, so one preview lists every problem at once.
        """
        if not one_pass.checkable(self.parsed, has_plan=self.plan is not None):
            return self.result
        try:
            with transaction.atomic():
                self._write()
                if self.result.problems or dry_run:
                    raise _Rollback
        except _Rollback:
            self.result.problems = one_pass.in_workbook_order(self.result.problems)
            return self.result
        self.result.written = True
        return self.result

    def problem(self, sheet, row, column, message):
        self.result.problems.append(Problem(sheet, row, column, message))

    def count(self, sheet, outcome, n=1):
        self.result.counts.setdefault(sheet, Counter(created=0, updated=0, unchanged=0))[outcome] += n

    # --- sheets -------------------------------------------------------------------------------

    def _write(self):
        parsed_sheets = one_pass.rows_without_problems(self.parsed)
        if self.plan is None:
            self.plan = self._plan(parsed_sheets.get("Plan", []))
            if self.plan is None:
                return
        elif not can_manage_partnership(self.user, self.plan.partnership_id):
            self.problem("File", None, "", f"You are not a partnership admin of {self.plan.partnership}.")
            return
        if self.plan.is_superseded:  # read-only: a later year replaced it
            self.problem("Plan", None, "", self.plan.superseded_message())
            return
        self.result.plan = self.plan
        self.services = {s.name.lower(): s for s in Service.objects.filter(partnership=self.plan.partnership)}
        steps = [sheet for sheet in sheets() if sheet.name != "Plan"]
        for done, sheet in enumerate(steps, start=1):
            if sheet.name in parsed_sheets:
                self._write_sheet(sheet, parsed_sheets[sheet.name])
            self.on_progress(sheet.name, done, len(steps))
        self._check_fingerprint()
        if self.result.changed_anything:
            data_changed()  # bulk writes send no signals; rolled back with the rest on a dry run

    def _write_sheet(self, sheet, rows):
        """Settle each row against the plan's (conflicts keep the app's value), write it, then withdraw or reinstate."""
        outcome = None
        if sheet.natural_key:
            outcome = self._reconcile(sheet, rows, sheet.objects(self.plan))
        write = sheet.write or OWN_SHEETS[sheet.name]
        write(self, rows)
        if outcome is not None and (outcome.withdraw or outcome.reinstate):
            withdrawn = conflicts.apply(sheet, outcome, model=apps.get_model(sheet.model))
            if withdrawn:
                self.count(sheet.name, "withdrawn", withdrawn)

    def _reconcile(self, sheet, rows, objects):
        outcome = conflicts.reconcile(sheet, rows, objects, self.decisions)
        self.result.changes.extend(outcome.changes)
        return outcome

    def _check_fingerprint(self):
        """Refuse to write anything but what the preview showed: the plan may have changed since."""
        data = fingerprint_data(self.result.changes, plan_pk=self.existing_plan_pk, plan_match=self.result.plan_match)
        self.result.fingerprint = conflicts.fingerprint(data)
        if self.expected_fingerprint and self.expected_fingerprint != self.result.fingerprint:
            self.problem(
                "File",
                None,
                "",
                "The plan changed after this file was previewed, so nothing was written. Choose Preview again "
                "to preview it again against the plan as it is now.",
            )

    def _partnership(self, name, row):
        if not name:
            return None  # "This cell is required" is reported already
        partnership = (
            Partnership.objects.filter(name__iexact=name).first()
            or Partnership.objects.filter(slug=slugify(name)).first()
        )
        if partnership is None and self.allow_new_partnership and self.user.is_superuser:
            kind = self.new_partnership_kind or partnership_kind_of(name)
            if not kind:
                self.problem("Plan", row, "Partnership", f"'{name}' is new and its name says neither HSCP nor CPP.")
                self.result.missing_partnership = (name, "")
                return None
            self.count("Partnership", "created")
            return Partnership.objects.create(name=name, slug=slugify(name)[:50], kind=kind)
        if partnership is None and self.user.is_superuser:
            self.problem(
                "Plan",
                row,
                "Partnership",
                f"There is no partnership called '{name}'. You can create it from this preview, or correct the name.",
            )
            self.result.missing_partnership = (name, partnership_kind_of(name))
        elif partnership is None:
            self._not_a_partnership_admin(name, row)
        return partnership

    def _not_a_partnership_admin(self, name, row):
        """One message, in the user's own words, whether the partnership is missing or someone else's.

        Anything else would tell a user which partnership names exist.
        """
        self.problem(
            "Plan",
            row,
            "Partnership",
            f"You are not a partnership admin of {name}. Check the name is your partnership's, exactly. "
            f"If it is a new partnership, {site_administrators()} can create it.",
        )

    def _plan(self, rows):
        plan_sheet_has_problems = one_pass.sheet_has_problems(self.parsed, "Plan")
        if not rows and plan_sheet_has_problems:
            return None  # the reader has said why (a missing column, say)
        if len(rows) != 1:
            skipped = " (its example row is skipped: clear its Example cell if it is your plan)"
            note = skipped if not rows and self.result.examples_skipped.get("Plan") else ""
            self.problem("Plan", None, "", f"The Plan sheet needs exactly one row; it has {len(rows)}{note}.")
            return None
        row = rows[0]
        name = row.values["partnership"]
        partnership = self._partnership(name, row.number)
        if partnership is None:
            return None
        if not can_manage_partnership(self.user, partnership.pk):
            self._not_a_partnership_admin(name, row.number)
            return None
        if plan_sheet_has_problems:
            return None  # its other cells are reported already; the partnership was all that could be checked
        if (row.values["end_year"] or row.values["start_year"]) < row.values["start_year"]:
            self.problem("Plan", row.number, "Last financial year", "The last year is before the first.")
            return None
        match = conflicts.matching_plan(partnership, row.values, new_plan=self.decisions.new_plan)
        if match.problem:
            self.problem("Plan", row.number, "Title", match.problem)
            return None
        plan = match.plan
        if plan is not None:
            self.result.plan_match = match.renamed
            self.existing_plan_pk = plan.pk
            self._reconcile(PLAN, rows, [plan])
        values = dict(row.values)
        values.pop("partnership")
        values["end_year"] = values["end_year"] or values["start_year"]
        values["status"] = values["status"] or PlanStatus.DRAFT
        if plan is None:
            slug = Plan.unique_slug(f"{partnership.slug} {values['title']} {values['start_year']}")
            plan = Plan.objects.create(partnership=partnership, slug=slug, **values)
            self.count("Plan", "created")
        elif assign(plan, values):
            plan.save()
            self.count("Plan", "updated")
        else:
            self.count("Plan", "unchanged")
        return plan

    def _service(self, name):
        key = name.lower()
        if key not in self.services:
            self.services[key] = Service.objects.create(partnership=self.plan.partnership, name=name)
        return self.services[key]

    def _keyed(self, sheet, rows, existing, key, build):
        """Create, update or leave each row's object, matched on its natural key."""
        for order, row in enumerate(rows, start=1):
            values = build(row, order if row.order is None else row.order)
            obj = existing.get(key(values))
            if obj is None:
                obj = existing[key(values)] = self._create(sheet, values)
                self.count(sheet, "created")
            elif assign(obj, values):
                obj.save()
                self.count(sheet, "updated")
            else:
                self.count(sheet, "unchanged")

    def _create(self, sheet, values):
        model = {"Budget": BudgetLine, "Efficiencies": PlannedEfficiency, "Contracts": CommissionedService}[sheet]
        return model.objects.create(plan=self.plan, **values)

    def _budget(self, rows):
        key = lambda v: (v["service"].pk, v["financial_year"])  # noqa: E731
        existing = {(b.service_id, b.financial_year): b for b in self.plan.budget_lines.all()}

        def build(row, order):
            return dict(row.values) | {"service": self._service(row.values["service"]), "order": order}

        self._keyed("Budget", rows, existing, key, build)

    def _efficiencies(self, rows):
        existing = {e.number: e for e in self.plan.efficiencies.all()}

        def build(row, order):
            values = dict(row.values)
            values["delivery_status"] = values["delivery_status"] or EfficiencyStatus.PLANNED
            values["service"] = self._service(values["division"])
            return values

        self._keyed("Efficiencies", rows, existing, lambda v: v["number"], build)

    def _contracts(self, rows):
        key = lambda v: (v["provider"].lower(), v["service_name"].lower())  # noqa: E731
        existing = {(c.provider.lower(), c.service_name.lower()): c for c in self.plan.contracts.all()}

        def build(row, order):
            return dict(row.values) | {"order": order, "partnership": self.plan.partnership}

        self._keyed("Contracts", rows, existing, key, build)

    def _highlights(self, rows):
        """Replace the highlights as a whole, unless they changed in the app since the file was exported.

        Then the sheet is a conflict: the app's highlights stay unless the admin ticks to take the file's.
        """
        objects = list(self.plan.highlights.order_by("order"))
        current = [(h.section, h.text, h.figure) for h in objects]
        wanted = [(r.values["section"], r.values["text"], r.values["figure"]) for r in rows]
        if current == wanted:
            self.count("Highlights", "unchanged", len(rows))
            return
        if current:
            change = replaced_as_a_whole("Highlights", [t for _, t, _ in current], [t for _, t, _ in wanted])
            self.result.changes.append(change)
            if conflicts.highlights_changed_in_app(rows, objects):
                change.kind, change.choice = "conflict", "Highlights|all"
                change.fields[0].conflict, change.fields[0].choice = True, "Highlights|all|all"
                if not self.decisions.takes(change.fields[0], change.choice):
                    self.count("Highlights", "unchanged", len(current))
                    return
        self.plan.highlights.all().delete()
        PlanHighlight.objects.bulk_create(
            PlanHighlight(plan=self.plan, section=s, text=t, figure=f, order=i) for i, (s, t, f) in enumerate(wanted, 1)
        )
        self.count("Highlights", "created", len(rows))


# The plan's own sheets; other apps' sheets bring their own `write`.
OWN_SHEETS = {
    "Actions": write_actions,
    "Budget": PlanImporter._budget,
    "Efficiencies": PlanImporter._efficiencies,
    "Contracts": PlanImporter._contracts,
    "Highlights": PlanImporter._highlights,
}
