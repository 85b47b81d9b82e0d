"""Write plan-year workbooks: the blank template, and any plan exported in the import format."""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from plans.periods import financial_year_label
from plans.workbook.schema import ACTIONS, BUDGET, CONTRACTS, EFFICIENCIES, HIGHLIGHTS, MEASURES, PLAN, RISKS, SHEETS

HEADER_FILL = PatternFill("solid", fgColor="1D3C6E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
LISTS_SHEET = "Lists"


def _bullets(items):
    return "\n".join(f"• {item}" for item in items)


def _label(choices, value):
    return dict(choices).get(value, value) if value else ""


def _new_sheet(workbook, sheet, extra_headers=()):
    worksheet = workbook.create_sheet(sheet.name)
    headers = [*sheet.headers, *extra_headers]
    worksheet.append(headers)
    notes = {column.header: column.note for column in sheet.columns}
    for index, header in enumerate(headers, start=1):
        cell = worksheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        required = next((c.required for c in sheet.columns if c.header == header), False)
        note = " ".join(filter(None, ["Required." if required else "", notes.get(header, "")]))
        if note:
            cell.comment = Comment(note, "SIP Portal")
        worksheet.column_dimensions[get_column_letter(index)].width = 34 if index <= 6 else 22
    worksheet.freeze_panes = "A2"
    return worksheet


def _add_validations(workbook, worksheet, sheet, first_row=2, last_row=2000):
    """Drop-down lists for every choice column, read from a hidden Lists sheet."""
    lists = workbook[LISTS_SHEET]
    for index, column in enumerate(sheet.columns, start=1):
        if not column.choices:
            continue
        list_column = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
        lists.cell(row=1, column=list_column, value=f"{sheet.name}: {column.header}")
        for row, (_, label) in enumerate(column.choices, start=2):
            lists.cell(row=row, column=list_column, value=label)
        letter = get_column_letter(list_column)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(column.choices) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        validation.error = f"Choose a {column.header} from the list."
        validation.errorTitle = column.header
        validation.prompt = f"Choose from the list: {', '.join(label for _, label in column.choices)}"
        worksheet.add_data_validation(validation)
        target = get_column_letter(index)
        validation.add(f"{target}{first_row}:{target}{last_row}")


def _finish(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook():
    """A blank plan-year workbook: header notes, drop-down lists and one example row per sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    readme = workbook.create_sheet("Read me")
    for line in [
        "SIP Portal plan-year workbook",
        "Fill in one sheet per section. Plan and Actions are required; the others are optional.",
        "Hover over a heading for what it takes. Choice columns have drop-down lists.",
        "Text cells may hold several lines; bullets (•, -, ○) are removed. Amounts may be £120,000 or 120000.",
        "Percentages may be 40% or 0.4. Dates may be 31/03/2022, 31 March 2022 or 2022-03-31.",
        "Delete the example rows (in italics) before importing.",
        "Re-importing the same file changes nothing: rows are matched on their natural keys",
        "(Plan: partnership, title and first year; Actions and Risks: Reference; Measures: the measure's wording;",
        "Budget: service and year; Efficiencies: No; Contracts: provider and service).",
    ]:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for sheet in SHEETS:
        extra = ["2021/22 result"] if sheet.result_columns else []
        worksheet = _new_sheet(workbook, sheet, extra)
        _add_validations(workbook, worksheet, sheet)
        if sheet.example:
            worksheet.append([sheet.example.get(h, "") for h in [*sheet.headers, *extra]])
            for cell in worksheet[2]:
                cell.font = Font(italic=True, color="555555")
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return _finish(workbook)


def export_plan(plan):
    """The plan in the import format, so that exporting and importing again changes nothing."""
    from dashboard.models import QualityMeasure

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.create_sheet(LISTS_SHEET).sheet_state = "hidden"

    def add(sheet, rows, extra_headers=()):
        worksheet = _new_sheet(workbook, sheet, extra_headers)
        _add_validations(workbook, worksheet, sheet)
        for row in rows:
            worksheet.append(row)
        for row_cells in worksheet.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text

    choices = {c.key: c.choices for s in SHEETS for c in s.columns}
    add(
        PLAN,
        [
            [
                plan.partnership.name,
                _label(choices["kind"], plan.kind),
                plan.title,
                financial_year_label(plan.start_year),
                financial_year_label(plan.end_year) if plan.end_year != plan.start_year else "",
                _label(choices["status"], plan.status),
                plan.service_area,
                plan.summary,
                plan.source_document,
                plan.source_title,
                plan.source_date,
                plan.author,
                plan.budget_note,
                plan.source_notes,
                plan.budget_total_stated,
                plan.efficiencies_total_stated,
            ]
        ],
    )
    actions = plan.actions.prefetch_related("steps", "national_outcomes").order_by("order", "reference")
    add(
        ACTIONS,
        [
            [
                a.reference,
                a.get_category_display() if a.category else "",
                a.category_text,
                a.title,
                a.outcome,
                _bullets(a.outcome_points),
                a.description,
                _bullets(s.text for s in a.steps.all()),
                a.responsible,
                a.start_text,
                a.due_date,
                a.timescale_text,
                a.get_review_frequency_display() if a.review_frequency else "",
                ", ".join(str(o.number) for o in a.national_outcomes.all()),
                a.get_status_display(),
                f"{a.percent_complete}%" if a.percent_complete is not None else "",
            ]
            for a in actions
        ],
    )
    measures = list(QualityMeasure.objects.filter(plan=plan).prefetch_related("results").order_by("order"))
    years = sorted({r.financial_year for m in measures for r in m.results.all()})
    add(
        MEASURES,
        [
            [
                m.get_theme_display(),
                m.title,
                m.get_unit_display(),
                m.get_direction_display(),
                m.target_text,
                m.target_value,
                financial_year_label(m.target_year) if m.target_year else "",
                m.baseline_note,
                *[next((r.value_text for r in m.results.all() if r.financial_year == y), "") for y in years],
            ]
            for m in measures
        ],
        [f"{financial_year_label(y)} result" for y in years],
    )
    add(
        BUDGET,
        [
            [b.service.name, financial_year_label(b.financial_year), b.amount, b.amount_text]
            for b in plan.budget_lines.select_related("service").order_by("order")
        ],
    )
    add(
        EFFICIENCIES,
        [
            [
                e.number,
                e.division,
                e.option,
                e.planned_saving,
                e.delivered_saving,
                e.comments,
                e.get_management_action_display() if e.management_action else "",
                e.get_delivery_status_display(),
            ]
            for e in plan.efficiencies.order_by("number")
        ],
    )
    add(
        RISKS,
        [
            [
                r.reference,
                r.title,
                r.description,
                r.category,
                _bullets(m.text for m in r.mitigations.all() if m.kind == "current"),
                _bullets(m.text for m in r.mitigations.all() if m.kind == "planned"),
                r.likelihood,
                r.impact,
                r.target_likelihood,
                r.target_impact,
                r.owner,
                r.review_date,
                r.get_status_display(),
            ]
            for r in plan.risks.prefetch_related("mitigations").order_by("order", "reference")
        ],
    )
    add(
        CONTRACTS,
        [
            [
                c.provider,
                c.service_name,
                c.heading,
                c.description,
                c.funding,
                c.award_date,
                c.award_text,
                c.term,
                c.annual_value,
                c.value_text,
            ]
            for c in plan.contracts.order_by("order")
        ],
    )
    add(HIGHLIGHTS, [[h.section, h.text, h.figure] for h in plan.highlights.order_by("order")])
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return _finish(workbook)
