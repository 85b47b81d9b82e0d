"""The sheets and columns of a plan-year workbook, and the natural keys that make re-imports idempotent.

Natural keys (a row whose key already exists is updated, never duplicated):
- Plan: partnership + title + first financial year; failing that, partnership + kind + first year.
- Actions: the plan + Reference.
- Measures: the plan + Measure (its wording).
- Budget: the plan + Service + Financial year.
- Efficiencies: the plan + No.
- Risks: the plan + Reference.
- Contracts: the plan + Provider + Service.
- Highlights: the plan's highlights are replaced as a whole, unless they changed in the app since the export.

The framework and the plan's own sheets live here. Other apps declare their sheets in their own
`workbook.py` (found at start-up by plans.apps, as the admin finds admin.py) and `register()` them.
"""

from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.db import models

from plans.choices import (
    ActionCategory,
    ActionStatus,
    EfficiencyAction,
    EfficiencyStatus,
    PlanKind,
    PlanStatus,
    ReviewFrequency,
)
from plans.periods import financial_year_label
from plans.workbook import cells, timescales


def bullets(items):
    return "\n".join(f"• {item}" for item in items)


@dataclass(frozen=True)
class Column:
    """One column: how a cell is read (`parse`) and how a row's object is written back (`export`)."""

    header: str
    key: str
    parse: callable = cells.text
    required: bool = False
    note: str = ""
    choices: tuple = ()
    export: callable = None  # obj -> cell value; by default the field, shown as the import reads it

    def value_of(self, obj):
        if self.export is not None:
            return self.export(obj)
        value = getattr(obj, self.key)
        if self.choices:
            return dict(self.choices).get(value, value) if value else ""
        if self.parse is cells.financial_year:
            return financial_year_label(value) if value else ""
        if self.parse is cells.lines:
            return bullets(value)
        return value


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple
    note: str
    required: bool = True
    example: dict = field(default_factory=dict)
    # Measures add one column per financial year ("2019/20 result").
    result_columns: bool = False
    # The columns that identify a row (its natural key); two rows may not share them.
    natural_key: tuple = ()
    # The model each row becomes ("app.Model"), whose field lengths bound its text columns.
    model: str = ""
    # Where the sheet sits in the workbook.
    position: int = 0
    # plan -> the objects to export, one row each.
    objects: callable = None
    # objects -> (extra headers, obj -> extra cells), e.g. one result column per year.
    extra_columns: callable = None
    # (importer, rows) -> None: writes the sheet's rows for the plan being imported.
    write: callable = None
    # Columns that are history, changed only through their own page (a progress update, a risk review):
    # a new row takes them from the file, but a re-import never changes them on an existing row.
    history_fields: tuple = ()
    history_note: str = ""
    # values -> [(column header, note)]: fills values the row implies (a due date from a timescale), saying so.
    derive: callable = None

    def max_lengths(self):
        """{column key: the longest text its model field holds} for text columns that have a limit."""
        if not self.model:
            return {}
        fields = {field.name: field for field in apps.get_model(self.model)._meta.concrete_fields}
        return {
            column.key: fields[column.key].max_length
            for column in self.columns
            if column.key in fields and isinstance(fields[column.key], models.CharField) and not column.choices
        }

    @property
    def headers(self):
        return [column.header for column in self.columns]


def choice_column(header, key, choices, label, aliases=(), **kwargs):
    parse = partial(cells.choice, choices=choices, label=label, aliases=tuple(aliases))
    return Column(header, key, parse, choices=tuple(choices), **kwargs)


SCORE = partial(cells.whole_number, low=1, high=5)

PLAN = Sheet(
    "Plan",
    (
        Column(
            "Partnership",
            "partnership",
            required=True,
            note="The partnership's name, as in SIP Portal.",
            export=lambda plan: plan.partnership.name,
        ),
        choice_column("Kind", "kind", PlanKind.choices, "plan kind", required=True),
        Column("Title", "title", required=True),
        Column("First financial year", "start_year", cells.financial_year, required=True, note="e.g. 2021/22"),
        Column(
            "Last financial year",
            "end_year",
            cells.financial_year,
            note="Leave empty for one year.",
            export=lambda plan: financial_year_label(plan.end_year) if plan.end_year != plan.start_year else "",
        ),
        choice_column("Status", "status", PlanStatus.choices, "plan status"),
        Column("Service area", "service_area"),
        Column("Summary", "summary"),
        Column("Source document", "source_document"),
        Column("Source title", "source_title"),
        Column("Source date", "source_date"),
        Column("Author", "author"),
        Column("Budget note", "budget_note"),
        Column("Notes on the source", "source_notes"),
        Column("Budget total as stated £", "budget_total_stated", cells.money, note="Only if the document states it."),
        Column("Savings total as stated £", "efficiencies_total_stated", cells.money, note="Only if stated."),
    ),
    "One row: the plan itself.",
    example={
        "Partnership": "East Ayrshire Health and Social Care Partnership",
        "Kind": "Service improvement plan",
        "Title": "Children's Health, Care and Justice Service Improvement Plan",
        "First financial year": "2021/22",
        "Status": "Draft",
    },
    model="plans.Plan",
    position=10,
    objects=lambda plan: [plan],
    history_fields=("status",),
    history_note="A plan is published from its page, and superseded when its next year is published.",
)

ACTIONS = Sheet(
    "Actions",
    (
        Column("Reference", "reference", required=True, note="Unique within the plan, e.g. A01."),
        choice_column("Category", "category", ActionCategory.choices, "category"),
        Column("Category as stated", "category_text"),
        Column("Theme & outcome", "title", required=True, note="The outcome heading."),
        Column("Outcome statement", "outcome"),
        Column("Outcome points", "outcome_points", cells.lines, note="One per line; bullets are removed."),
        Column("Lead-in", "description"),
        Column(
            "Action steps",
            "steps",
            cells.lines,
            note="One per line; bullets (•, -, ○) are removed.",
            export=lambda action: bullets(step.text for step in action.steps.all()),
        ),
        Column("Responsible", "responsible"),
        Column("Start", "start_text"),
        Column(
            "Due date",
            "due_date",
            cells.date,
            note="31/03/2022, 31 March 2022 or 2022-03-31. Leave empty to take the end of the timescale.",
        ),
        Column(
            "Timescale as stated",
            "timescale_text",
            note="As the plan says it: 2021/22, 2021-24, March 2022, Q2 2021/22 or Ongoing.",
        ),
        choice_column("Review frequency", "review_frequency", ReviewFrequency.choices, "review frequency"),
        Column(
            "National outcomes",
            "national_outcomes",
            cells.number_list,
            note="Outcome numbers, e.g. 1, 3, 14.",
            export=lambda action: ", ".join(str(outcome.number) for outcome in action.national_outcomes.all()),
        ),
        choice_column("RAG status", "status", ActionStatus.choices, "RAG status"),
        Column(
            "% complete",
            "percent_complete",
            cells.percent,
            note="40% or 0.4.",
            export=lambda action: f"{action.percent_complete}%" if action.percent_complete is not None else "",
        ),
        Column(
            "Theme",
            "theme",
            note="The theme or priority the action sits under in the plan's outline; it becomes a plan theme.",
            export=lambda action: action.theme.title if action.theme_id else "",
        ),
    ),
    "One row per improvement action.",
    example={
        "Reference": "A01",
        "Category": "Recovery & Renewal",
        "Theme & outcome": "Sustainable and safe virtual social work learning and development opportunities",
        "Action steps": "• Develop blended approaches to learning\n• Deliver safe practice placements",
        "Responsible": "Senior Manager (Protection & Learning)",
        "Due date": "31/03/2022",
        "Review frequency": "Quarterly (three-monthly)",
        "RAG status": "Not yet assessed",
    },
    natural_key=("reference",),
    model="plans.ImprovementAction",
    derive=timescales.derive_due_date,
    position=20,
    history_fields=("status", "percent_complete"),
    history_note="RAG status and % complete change only through a progress update on the action's page.",
    objects=lambda plan: (
        plan.actions.select_related("theme")
        .prefetch_related("steps", "national_outcomes")
        .order_by("order", "reference")
    ),
)

BUDGET = Sheet(
    "Budget",
    (
        Column("Service", "service", required=True, export=lambda line: line.service.name),
        Column("Financial year", "financial_year", cells.financial_year, required=True),
        Column("Budget £", "amount", cells.money, required=True, note="£18,085,000, 18085000 or £18.085m."),
        Column("Budget as stated", "amount_text"),
    ),
    "One row per service budget line.",
    required=False,
    example={"Service": "Justice Social Work", "Financial year": "2021/22", "Budget £": "£2,717,000"},
    natural_key=("service", "financial_year"),
    model="plans.BudgetLine",
    position=40,
    objects=lambda plan: plan.budget_lines.select_related("service").order_by("order"),
)

EFFICIENCIES = Sheet(
    "Efficiencies",
    (
        Column("No", "number", partial(cells.whole_number, low=1, high=32767), required=True),
        Column("Division of service", "division", required=True),
        Column("Option", "option", required=True),
        Column("Planned saving £", "planned_saving", cells.money, required=True),
        Column("Delivered saving £", "delivered_saving", cells.money),
        Column("Additional comments", "comments"),
        choice_column("Management action or consultation", "management_action", EfficiencyAction.choices, "option"),
        choice_column("Delivery status", "delivery_status", EfficiencyStatus.choices, "delivery status"),
    ),
    "One row per planned efficiency.",
    required=False,
    example={
        "No": 1,
        "Division of service": "Locality Services",
        "Option": "Kinship Care Review",
        "Planned saving £": "£120,000",
        "Management action or consultation": "Consultation",
    },
    natural_key=("number",),
    model="plans.PlannedEfficiency",
    position=50,
    objects=lambda plan: plan.efficiencies.order_by("number"),
)

CONTRACTS = Sheet(
    "Contracts",
    (
        Column("Provider", "provider", required=True),
        Column("Service", "service_name", required=True),
        Column("Heading", "heading"),
        Column("Description", "description"),
        Column("Funding", "funding"),
        Column("Award date", "award_date", cells.date),
        Column("Award as stated", "award_text"),
        Column("Term", "term"),
        Column("Annual value £", "annual_value", cells.money),
        Column("Value as stated", "value_text"),
    ),
    "Commissioned services (optional).",
    required=False,
    natural_key=("provider", "service_name"),
    model="plans.CommissionedService",
    position=70,
    objects=lambda plan: plan.contracts.order_by("order"),
)

HIGHLIGHTS = Sheet(
    "Highlights",
    (
        Column("Section", "section", required=True),
        Column("Text", "text", required=True),
        Column("Figure", "figure", cells.number),
    ),
    "Stated facts from the plan's narrative (optional). Replaced as a whole on import, unless changed in SIP Portal "
    "since the export.",
    required=False,
    model="plans.PlanHighlight",
    position=80,
    objects=lambda plan: plan.highlights.order_by("order"),
)

_registry = {}


def register(sheet):
    """Add a sheet to the workbook (each app registers its own, from its workbook.py)."""
    _registry[sheet.name.lower()] = sheet
    return sheet


def sheets():
    """Every registered sheet, in workbook order; the Plan sheet first."""
    return sorted(_registry.values(), key=lambda sheet: sheet.position)


def sheet_named(name):
    return _registry.get(name.lower())


for _sheet in (PLAN, ACTIONS, BUDGET, EFFICIENCIES, CONTRACTS, HIGHLIGHTS):
    register(_sheet)
