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


def sample_document():
    """A short plan showing every table layout the Word import reads, with notes on each."""
    document = docx.Document()
    document.core_properties.title = "Children's Services Improvement Plan 2021/22"
    document.add_heading("Children's Services Improvement Plan 2021/22", level=0)
    document.add_paragraph("Example Health and Social Care Partnership · Service Improvement Plan")
    document.add_paragraph(
        "SIP Portal reads this document's tables by their header rows. Headings may use other words "
        "(\u201cLead Responsibility\u201d, \u201cResponsible Officer\u201d; "
        "\u201cTarget date\u201d, \u201cBy when\u201d). "
        "A table it cannot read is listed on the preview; nothing is guessed."
    )
    _sample_actions(document)
    _sample_outcome_actions(document)
    _sample_measures(document)
    _sample_money(document)
    return _save(document)


def _sample_actions(document):
    document.add_heading("Improvement plan: theme & outcome layout", level=1)
    document.add_paragraph(
        "Bulleted steps in the Actions cell become the action's steps. This table runs onto a second page."
    )
    headers = ["Theme & Outcome", "Actions", "Responsible", "Timescale"]
    _table(
        document,
        headers,
        [
            [
                "Recovery & Renewal:\nSafe and sustainable virtual learning for social work staff",
                "Deliver blended learning\nSupport practice placements safely",
                "Senior Manager (Protection & Learning)",
                "31 March 2022 (three monthly review of progress)",
            ],
            [
                "Transformation:\nChildren are cared for within their own families",
                "Extend family group decision making\nRecruit two more kinship carers",
                "Service Manager, Locality Services",
                "31/12/2021",
            ],
        ],
        list_columns={1},
    )
    _page_break(document)
    _table(
        document,
        headers,
        [
            ["", "Review every kinship care plan \u2013 the step continued over the page break", "", ""],
            [
                "Recovery & Renewal:\nEvery care-experienced child has a health assessment",
                "Offer six-monthly reviews for pre-five children",
                "Senior Nurse Manager",
                "March 2022",
            ],
        ],
        list_columns={1},
    )


def _sample_outcome_actions(document):
    document.add_heading("Improvement plan: outcome and priority layout", level=1)
    document.add_paragraph(
        "Rows across the whole table give the outline. A performance indicator with (Increase) or "
        "(Reduction) becomes a measure with that target."
    )
    _table(
        document,
        ["Area for improvement", "Action", "Lead Responsibility", "Target date", "Performance indicator"],
        [
            "Local Outcome 1: Children and young people are safe",
            "Priority 1.1 Reduce the number of children looked after away from home",
            [
                "Keeping families together",
                "Introduce a family support hub in each locality",
                "Head of Children\u2019s Services",
                "30/09/2021",
                "Number of children looked after away from home (Reduction)",
            ],
            [
                "Keeping families together",
                "Train staff in Signs of Safety",
                "Learning and Development Manager",
                "31/03/2022",
                "Percentage of staff trained in Signs of Safety (Increase)",
            ],
        ],
    )


def _sample_measures(document):
    document.add_heading("Quality assurance dashboard", level=1)
    document.add_paragraph(
        "A row with only a dashboard theme (Customers, Process, Outcome, People) groups the measures below it."
    )
    _table(
        document,
        ["Measure", "2019/20 result", "2020/21 result", "2021/22 target"],
        [
            "Customers",
            ["Number of complaints", "75", "70", "Reduce"],
            "Process",
            ["% of child protection decisions within standard timescales", "75%", "81%", "90%"],
            "People",
            ["Sickness absence \u2013 lost hours as % of hours", "5.2%", "Final result not yet available", "4%"],
        ],
    )


def _sample_money(document):
    document.add_heading("Budget, efficiencies and risks", level=1)
    _table(
        document,
        ["Service", "Budget 2021/22"],
        [["Children & Families", "£ 18.085m"], ["Justice Social Work", "£ 2.717m"], ["Total", "£ 20.802m"]],
    )
    document.add_paragraph("A row with only a division of service groups the efficiency options below it.")
    _table(
        document,
        ["Option", "Saving"],
        ["Locality Services", ["Kinship Care Review", "£120,000"], "Justice Services", ["Redesign", "£100,000"]],
    )
    document.add_paragraph("The first line of a risk is its title; the rest describe it. Bullets are mitigations.")
    _table(
        document,
        ["Risk", "Mitigation"],
        [
            [
                "Failure to protect children\nIncreasing complexity of need after the pandemic",
                "Public Protection team in place\nMulti-agency oversight meets weekly",
            ]
        ],
        list_columns={1},
    )
