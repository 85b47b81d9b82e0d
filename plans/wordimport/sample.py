"""Write Word documents: the sample of every layout the Word import reads, and a plan as Word.

Both are built on request with python-docx; no binary is kept in the repository.
"""

import datetime
import io
import math

import docx
from docx.enum.text import WD_BREAK
from openpyxl import load_workbook

from plans.workbook.schema import PLAN

# Word-style headings for a plan written as Word: the layouts real plans use, read back by meaning.
WORD_HEADINGS = {
    "Actions": {
        "Reference": "Ref",
        "Theme & outcome": "Theme & Outcome",
        "Action steps": "Actions",
        "Timescale as stated": "Timescale",
    },
    "Budget": {"Budget £": "Budget"},
    "Efficiencies": {"Planned saving £": "Saving £"},
    "Risks": {"Title": "Risk", "Current mitigating measures": "Mitigation"},
}
LIST_HEADINGS = {"Action steps", "Outcome points", "Current mitigating measures", "Further planned actions"}
CONTINUED = ("Theme & outcome", "Responsible", "Timescale as stated", "Reference")


def _save(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fill(cell, text, *, bullets=False):
    """Put text in a cell: one paragraph per line, as Word bullets for a list."""
    lines = [line.removeprefix("• ") for line in str(text).split("\n")] if text not in (None, "") else [""]
    cell.text = "" if bullets else lines[0]
    if bullets:
        cell.paragraphs[0].text = lines[0]
        cell.paragraphs[0].style = "List Bullet"
    for line in lines[1:]:
        cell.add_paragraph(line, style="List Bullet" if bullets else None)


def _table(document, headers, rows, *, list_columns=()):
    """A table with a header row; a row given as a str runs across the table (an outline row)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
            continue
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            _fill(cell, value, bullets=index in list_columns)
    return table


def _page_break(document):
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def plan_document(workbook_content):
    """A plan-year workbook (the template format, as exported) written as a Word plan document."""
    workbook = load_workbook(io.BytesIO(workbook_content), data_only=True)
    sheets = {
        worksheet.title: [[_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
        for worksheet in workbook.worksheets
        if worksheet.sheet_state == "visible"
    }
    plan = dict(zip(sheets["Plan"][0], sheets["Plan"][1], strict=True))
    document = docx.Document()
    document.core_properties.title = plan["Title"]
    document.add_heading(f"{plan['Title']} {plan['First financial year']}", level=0)
    document.add_paragraph(plan["Partnership"])
    document.add_heading("Plan details", level=1)
    _table(document, ["Item", "Detail"], [[header, plan[header]] for header in PLAN.headers])
    for name, rows in sheets.items():
        if name == "Plan" or len(rows) < 2:
            continue
        document.add_heading(name, level=1)
        headers, body = rows[0], rows[1:]
        words = [WORD_HEADINGS.get(name, {}).get(header, header) for header in headers]
        lists = {i for i, header in enumerate(headers) if header in LIST_HEADINGS}
        if name == "Measures":
            _measures(document, headers, body)
        elif name == "Actions" and len(body) > 2:
            _split_actions(document, headers, words, body, lists)
        else:
            _table(document, words, body, list_columns=lists)
    return _save(document)


def _measures(document, headers, body):
    """Measures grouped under a row per dashboard theme, as in the East Ayrshire plan."""
    rows, theme = [], None
    for row in body:
        if row[0] != theme:
            theme = row[0]
            rows.append(theme)
        rows.append(row[1:])
    _table(document, headers[1:], rows)


def _split_actions(document, headers, words, body, lists):
    """Two tables with a page break between, the header repeated and one action's steps running on."""
    middle = math.ceil(len(body) / 2) - 1
    steps = headers.index("Action steps")
    split = body[middle]
    lines = split[steps].split("\n")
    first, rest = list(split), [""] * len(split)
    first[steps], rest[steps] = "\n".join(lines[: (len(lines) + 1) // 2]), "\n".join(lines[(len(lines) + 1) // 2 :])
    _table(document, words, [*body[:middle], first], list_columns=lists)
    _page_break(document)
    second = [rest] if rest[steps] else []
    _table(document, words, [*second, *body[middle + 1 :]], list_columns=lists)
