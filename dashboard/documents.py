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
    document = Document()
    _a4_with_page_numbers(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    report, actions = content["report"], content["actions"]
    document.add_paragraph(content["plan"]["partnership"])
    document.add_heading(content["plan"]["title"], level=0)
    document.add_paragraph(
        f"Quarterly performance report, {content['quarter']} ({content['quarter_dates']}) · {signed_off_text}"
    )

    document.add_heading("Summary", level=1)
    percent = "Not stated" if report["percent_complete"] is None else f"{report['percent_complete']}%"
    summary = [
        ("Priority", report["priority"]),
        ("Priority manager", report["priority_manager"]),
        ("Lead officer", report["lead_officer"]),
        ("Report period", report["period_text"] or content["quarter"]),
        ("Overall status", STATUS_WORDS.get(report["overall_status"], report["overall_status"])),
        ("Delivery plan status", STATUS_WORDS.get(report["delivery_plan_status"], report["delivery_plan_status"])),
        ("Progress measures (PIs) status", STATUS_WORDS.get(report["pi_status"], report["pi_status"])),
        ("% completion of delivery plan", percent),
        ("Change requests", report["change_requests"] or "Not stated"),
    ]
    _table(document, ["", ""], [(label, value) for label, value in summary if value])

    document.add_heading("Progress summary", level=1)
    for commentary in report["commentaries"]:
        status = STATUS_WORDS.get(commentary["rag_status"], commentary["rag_status"])
        document.add_heading(f"{commentary['heading']} ({status})", level=2)
        for paragraph in commentary["commentary"].split("\n\n"):
            document.add_paragraph(paragraph)
    for title, key in [
        ("Progress towards objectives", "progress_towards_objectives"),
        ("General progress commentary", "general_commentary"),
    ]:
        if report[key]:
            document.add_heading(title, level=2)
            document.add_paragraph(report[key])

    document.add_heading("Improvement actions", level=1)
    counts = ", ".join(f"{row['count']} {row['label'].lower()}" for row in actions["rag"])
    document.add_paragraph(
        f"{actions['total']} actions at the end of {content['quarter']}: {counts}. "
        f"{actions['overdue']} overdue; {actions['not_updated']} without an update this quarter."
    )
    if actions["exceptions"]:
        _table(
            document,
            ["Action", "Status", "Commentary", "Owner"],
            [
                (f"{e['reference']} {e['title']}", e["status_label"], e["commentary"], e["responsible"] or "Not stated")
                for e in actions["exceptions"]
            ],
        )

    if content["measures"]:
        document.add_heading("Quality measures", level=1)
        _table(
            document,
            ["Measure", "Latest result", "Target", "Status"],
            [
                (m["title"], m["latest"], m["target"], " ".join([m["status_label"], *m.get("reasons", [])]))
                for m in content["measures"]
            ],
        )

    document.add_heading("Risks and issues", level=1)
    for risk in content["risks"]["register"]:
        document.add_heading(f"{risk['reference']}: {risk['title']} ({risk['level']})", level=2)
        if risk["description"] and risk["description"] != risk["title"]:
            document.add_paragraph(risk["description"])
        for mitigation in risk["mitigations"]:
            document.add_paragraph(mitigation, style="List Bullet")

    document.add_heading("Next steps", level=1)
    if report["next_steps"]:
        _table(
            document,
            ["Next step / target", "Comments", "Due"],
            [(n["title"], n["comments"], n["due"] or "Not stated") for n in report["next_steps"]],
        )
    else:
        document.add_paragraph("No next steps recorded.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
