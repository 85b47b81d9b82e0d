"""The sheets and columns of a plan-year workbook, and the natural keys that make re-imports idempotent.

Natural keys (a row whose key already exists is updated, never duplicated):
- Plan: partnership + title + first financial year.
- Actions: the plan + Reference.
- Measures: the plan + Measure (its wording).
- Budget: the plan + Service + Financial year.
- Efficiencies: the plan + No.
- Risks: the plan + Reference.
- Contracts: the plan + Provider + Service.
- Highlights: the plan's highlights are replaced as a whole.
"""

from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.db import models

from dashboard.choices import DashboardTheme, MeasureDirection, MeasureUnit
from plans.choices import (
    ActionCategory,
    ActionStatus,
    EfficiencyAction,
    EfficiencyStatus,
    PlanKind,
    PlanStatus,
    ReviewFrequency,
)
from plans.workbook import cells
from risks.choices import RiskStatus


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: callable = cells.text
    required: bool = False
    note: str = ""
    choices: tuple = ()


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

    def max_lengths(self):
        """{column key: the longest text its model field holds} for text columns that have a limit."""
        if self.name not in SHEET_MODELS:
            return {}
        fields = {field.name: field for field in apps.get_model(SHEET_MODELS[self.name])._meta.concrete_fields}
        return {
            column.key: fields[column.key].max_length
            for column in self.columns
            if column.key in fields and isinstance(fields[column.key], models.CharField) and not column.choices
        }

    @property
    def headers(self):
        return [column.header for column in self.columns]


def choice_column(header, key, choices, label, **kwargs):
    return Column(header, key, partial(cells.choice, choices=choices, label=label), choices=tuple(choices), **kwargs)


SCORE = partial(cells.whole_number, low=1, high=5)

PLAN = Sheet(
    "Plan",
    (
        Column("Partnership", "partnership", required=True, note="The partnership's name, as in SIP Portal."),
        choice_column("Kind", "kind", PlanKind.choices, "plan kind", required=True),
        Column("Title", "title", required=True),
        Column("First financial year", "start_year", cells.financial_year, required=True, note="e.g. 2021/22"),
        Column("Last financial year", "end_year", cells.financial_year, note="Leave empty for one year."),
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
        Column("Action steps", "steps", cells.lines, note="One per line; bullets (•, -, ○) are removed."),
        Column("Responsible", "responsible"),
        Column("Start", "start_text"),
        Column("Due date", "due_date", cells.date, note="31/03/2022, 31 March 2022 or 2022-03-31."),
        Column("Timescale as stated", "timescale_text"),
        choice_column("Review frequency", "review_frequency", ReviewFrequency.choices, "review frequency"),
        Column("National outcomes", "national_outcomes", cells.text, note="Outcome numbers, e.g. 1, 3, 14."),
        choice_column("RAG status", "status", ActionStatus.choices, "RAG status"),
        Column("% complete", "percent_complete", cells.percent, note="40% or 0.4."),
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
)

MEASURES = Sheet(
    "Measures",
    (
        choice_column("Dashboard theme", "theme", DashboardTheme.choices, "dashboard theme", required=True),
        Column("Measure", "title", required=True),
        choice_column("Unit", "unit", MeasureUnit.choices, "unit", required=True),
        choice_column("Direction", "direction", MeasureDirection.choices, "direction", required=True),
        Column("Target", "target_text", required=True, note="'90%', '0.67 per month', 'Reduce' or 'Increase'."),
        Column(
            "Target figure",
            "target_value",
            cells.number,
            note="Optional: the target as a number, if the Target is not one already.",
        ),
        Column("Target year", "target_year", cells.financial_year),
        Column("Baseline note", "baseline_note"),
    ),
    "One row per measure. Add a column per year headed like '2019/20 result'.",
    required=False,
    result_columns=True,
    example={
        "Dashboard theme": "Process",
        "Measure": "Percentage of child protection decisions within standard timescales",
        "Unit": "Percentage",
        "Direction": "Reach target",
        "Target": "90%",
        "Target year": "2021/22",
    },
    natural_key=("title",),
)

BUDGET = Sheet(
    "Budget",
    (
        Column("Service", "service", required=True),
        Column("Financial year", "financial_year", cells.financial_year, required=True),
        Column("Budget £", "amount", cells.money, required=True, note="£18,085,000, 18085000 or £18.085m."),
        Column("Budget as stated", "amount_text"),
    ),
    "One row per service budget line.",
    required=False,
    example={"Service": "Justice Social Work", "Financial year": "2021/22", "Budget £": "£2,717,000"},
    natural_key=("service", "financial_year"),
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
)

RISKS = Sheet(
    "Risks",
    (
        Column("Reference", "reference", required=True),
        Column("Title", "title", required=True),
        Column("Description", "description"),
        Column("Category", "category"),
        Column("Current mitigating measures", "current_mitigations", cells.lines, note="One per line."),
        Column("Further planned actions", "planned_mitigations", cells.lines, note="One per line."),
        Column("Likelihood (1-5)", "likelihood", SCORE, note="Leave empty if not scored."),
        Column("Impact (1-5)", "impact", SCORE),
        Column("Target likelihood (1-5)", "target_likelihood", SCORE),
        Column("Target impact (1-5)", "target_impact", SCORE),
        Column("Owner", "owner"),
        Column("Review date", "review_date", cells.date),
        choice_column("Status", "status", RiskStatus.choices, "risk status"),
    ),
    "One row per risk.",
    required=False,
    example={
        "Reference": "R1",
        "Title": "Failure to protect children & young people",
        "Current mitigating measures": "• Staff training and screening for risk",
    },
    natural_key=("reference",),
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
)

HIGHLIGHTS = Sheet(
    "Highlights",
    (
        Column("Section", "section", required=True),
        Column("Text", "text", required=True),
        Column("Figure", "figure", cells.number),
    ),
    "Stated facts from the plan's narrative (optional). Replaced as a whole on import.",
    required=False,
)

# The model each sheet's rows become, whose field lengths bound its text columns.
SHEET_MODELS = {
    "Plan": "plans.Plan",
    "Actions": "plans.ImprovementAction",
    "Measures": "dashboard.QualityMeasure",
    "Budget": "plans.BudgetLine",
    "Efficiencies": "plans.PlannedEfficiency",
    "Risks": "risks.Risk",
    "Contracts": "plans.CommissionedService",
    "Highlights": "plans.PlanHighlight",
}
SHEETS = (PLAN, ACTIONS, MEASURES, BUDGET, EFFICIENCIES, RISKS, CONTRACTS, HIGHLIGHTS)
SHEETS_BY_NAME = {sheet.name.lower(): sheet for sheet in SHEETS}
