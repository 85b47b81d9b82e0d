"""Write plan-year workbooks: the blank template, and any plan exported in the import format."""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from plans.workbook import examples
from plans.workbook.schema import sheets
from plans.workbook.stamps import (
    STAMP_HEADER,
    STAMP_NOTE,
    WHOLE_SHEET_STAMPED,
    is_stamped,
    row_stamp,
    sheet_stamp,
)

HEADER_FILL = PatternFill("solid", fgColor="1D3C6E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
LISTS_SHEET = "Lists"


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
        if header == STAMP_HEADER:
            note = STAMP_NOTE
            worksheet.column_dimensions[get_column_letter(index)].hidden = True
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
        f"Each sheet's example row (grey, in italics) is marked '{examples.EXAMPLE_MARK}' in its last column,",
        "and is never imported: delete it, or type your own row over it and clear that cell.",
        "A cell left with the example's value in a row you typed over is reported, not imported.",
        "Re-importing the same file changes nothing: rows are matched on their natural keys",
        "(Plan: partnership, title and first year, or else kind and first year; Actions and Risks: Reference;",
        "Measures: the measure's wording; Budget: service and year; Efficiencies: No; Contracts: provider, service).",
        "An import never changes RAG status, % complete or risk scores of existing rows: they change through",
        "progress updates and risk reviews. Exported rows carry a Row stamp so that newer work in SIP Portal is kept.",
    ]:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for sheet in sheets():
        extra = ["2021/22 result"] if sheet.result_columns else []
        if sheet.example:
            extra.append(examples.EXAMPLE_HEADER)
        worksheet = _new_sheet(workbook, sheet, extra)
        _add_validations(workbook, worksheet, sheet)
        if sheet.example:
            _add_example(worksheet, sheet, extra)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return _finish(workbook)


def _add_example(worksheet, sheet, extra):
    """The sheet's example row: grey italic on grey, marked in its Example column so it is never imported."""
    example = sheet.example | {examples.EXAMPLE_HEADER: examples.EXAMPLE_MARK}
    worksheet.append([example.get(h, "") for h in [*sheet.headers, *extra]])
    for cell in worksheet[2]:
        cell.font = Font(italic=True, color="555555")
        cell.fill = EXAMPLE_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.cell(row=2, column=1).comment = Comment(examples.EXAMPLE_NOTE, "SIP Portal")
    marker = worksheet.cell(row=2, column=len(sheet.headers) + len(extra))
    marker.comment = Comment(examples.EXAMPLE_NOTE, "SIP Portal")
    marker.font = Font(italic=True, bold=True, color="555555")


def _add_rows(workbook, sheet, rows, extra_headers=()):
    worksheet = _new_sheet(workbook, sheet, extra_headers)
    _add_validations(workbook, worksheet, sheet)
    for row in rows:
        worksheet.append(row)
    for row_cells in worksheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text


def _sheet_rows(sheet, plan):
    """The sheet's rows for the plan: each column writes its own cell, then any extra columns, then the row's stamp.

    Withdrawn rows are left out: a re-import of the export must not bring them back.
    """
    objects = [obj for obj in sheet.objects(plan) if getattr(obj, "withdrawn_at", None) is None]
    extra_headers, extra_cells = sheet.extra_columns(objects) if sheet.extra_columns else ((), lambda obj: [])
    rows = [[column.value_of(obj) for column in sheet.columns] + extra_cells(obj) for obj in objects]
    if is_stamped(sheet):
        extra_headers = [*extra_headers, STAMP_HEADER]
        if sheet.name in WHOLE_SHEET_STAMPED:
            stamps = [sheet_stamp(sheet, objects)] * len(objects)
        else:
            stamps = [row_stamp(sheet, obj) for obj in objects]
        rows = [row + [stamp] for row, stamp in zip(rows, stamps, strict=True)]
    return rows, extra_headers


def export_plan(plan):
    """The plan in the import format, so that exporting and importing again changes nothing."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.create_sheet(LISTS_SHEET).sheet_state = "hidden"
    for sheet in sheets():
        rows, extra_headers = _sheet_rows(sheet, plan)
        _add_rows(workbook, sheet, rows, extra_headers)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return _finish(workbook)
