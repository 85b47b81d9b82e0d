"""The quarterly report as a Word document, from the same content as the page and the PDF.

Boards circulate Word papers, so this mirrors the board-paper layout: a summary
table, the commentary per outcome, the actions, measures, risks and next steps.
This module never queries: it takes the plain report content.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

STATUS_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "complete": "Complete", "": "Not stated"}


def _a4_with_page_numbers(document):
    """UK papers are A4; a board reads "Page 3 of 9" in the footer."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")


def _field(paragraph, instruction):
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(document, headers, rows):
    """A bordered table; a header row only where there are headings (a label/value table has none)."""
    has_headers = any(headers)
    table = document.add_table(rows=1 if has_headers else 0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if has_headers:
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def report_docx(content, *, signed_off_text):
    """The report as a .docx file's bytes, section by section in the board paper's order."""
    document = Document()
    _a4_with_page_numbers(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    _title(document, content, signed_off_text)
    _summary(document, content)
    _progress_summary(document, content["report"])
    _actions(document, content)
    _measures(document, content["measures"])
    _risks(document, content["risks"])
    _next_steps(document, content["report"]["next_steps"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _status(value):
    return STATUS_WORDS.get(value, value)


def _title(document, content, signed_off_text):
    document.add_paragraph(content["plan"]["partnership"])
    document.add_heading(content["plan"]["title"], level=0)
    document.add_paragraph(
        f"Quarterly performance report, {content['quarter']} ({content['quarter_dates']}) · {signed_off_text}"
    )


def _summary(document, content):
    report = content["report"]
    document.add_heading("Summary", level=1)
    percent = "Not stated" if report["percent_complete"] is None else f"{report['percent_complete']}%"
    summary = [
        ("Priority", report["priority"]),
        ("Priority manager", report["priority_manager"]),
        ("Lead officer", report["lead_officer"]),
        ("Report period", report["period_text"] or content["quarter"]),
        ("Overall status", _status(report["overall_status"])),
        ("Delivery plan status", _status(report["delivery_plan_status"])),
        ("Progress measures (PIs) status", _status(report["pi_status"])),
        ("% completion of delivery plan", percent),
        ("Change requests", report["change_requests"] or "Not stated"),
    ]
    _table(document, ["", ""], [(label, value) for label, value in summary if value])


def _progress_summary(document, report):
    document.add_heading("Progress summary", level=1)
    for commentary in report["commentaries"]:
        document.add_heading(f"{commentary['heading']} ({_status(commentary['rag_status'])})", level=2)
        for paragraph in commentary["commentary"].split("\n\n"):
            document.add_paragraph(paragraph)
    for title, key in [
        ("Progress towards objectives", "progress_towards_objectives"),
        ("General progress commentary", "general_commentary"),
    ]:
        if report[key]:
            document.add_heading(title, level=2)
            document.add_paragraph(report[key])


def movement_line(content):
    """ "Since 2021/22 Q1: Improved 2 · Worsened 1 · ...", as the report page says it; None without movement."""
    movement = content["actions"].get("movement")
    if not movement:
        return None
    since = content.get("previous_quarter") or "the quarter before"
    return f"Since {since}: " + " · ".join(f"{m['label']} {m['count']}" for m in movement) + "."


def _actions(document, content):
    actions = content["actions"]
    document.add_heading("Improvement actions", level=1)
    counts = ", ".join(f"{row['count']} {row['label'].lower()}" for row in actions["rag"])
    document.add_paragraph(
        f"{actions['total']} actions at the end of {content['quarter']}: {counts}. "
        f"{actions['overdue']} overdue; {actions['not_updated']} without an update this quarter."
    )
    if line := movement_line(content):
        document.add_paragraph(line)
    if actions["exceptions"]:
        _table(
            document,
            ["Action", "Status", "Commentary", "Owner"],
            [
                (f"{e['reference']} {e['title']}", e["status_label"], e["commentary"], e["responsible"] or "Not stated")
                for e in actions["exceptions"]
            ],
        )


def _measures(document, measures):
    if not measures:
        return
    document.add_heading("Quality measures", level=1)
    _table(
        document,
        ["Measure", "Latest result", "Target", "Status"],
        [
            (m["title"], m["latest"], m["target"], " ".join([m["status_label"], *m.get("reasons", [])]))
            for m in measures
        ],
    )


def _risks(document, risks):
    document.add_heading("Risks and issues", level=1)
    for risk in risks["register"]:
        document.add_heading(f"{risk['reference']}: {risk['title']} ({risk['level']})", level=2)
        if risk["description"] and risk["description"] != risk["title"]:
            document.add_paragraph(risk["description"])
        for mitigation in risk["mitigations"]:
            document.add_paragraph(mitigation, style="List Bullet")


def _next_steps(document, next_steps):
    document.add_heading("Next steps", level=1)
    if next_steps:
        _table(
            document,
            ["Next step / target", "Comments", "Due"],
            [(n["title"], n["comments"], n["due"] or "Not stated") for n in next_steps],
        )
    else:
        document.add_paragraph("No next steps recorded.")
