"""CSV and XLSX downloads of a table, safe to open in a spreadsheet.

A cell that starts with = + - @ or a tab or carriage return would be run as a
formula by Excel or LibreOffice (CSV/formula injection), so such cells are
prefixed with an apostrophe, which spreadsheets display as plain text.
"""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses these characters in a sheet title, and titles longer than 31 characters.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def safe_sheet_title(title, default="Export"):
    """A title Excel accepts for a sheet: forbidden characters dropped, at most 31 characters.

    Every sheet title made from data (a partnership's name, a page title) goes through here.
    """
    cleaned = " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).split())
    # Excel also refuses a title that starts or ends with an apostrophe.
    cleaned = cleaned[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return cleaned or default


def neutralise(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def export_rows(table):
    """The table's header and rows as plain values, every page and every filtered row."""
    return [[neutralise(cell) for cell in row] for row in table.as_values()]


def download(content, filename, content_type):
    """A file the browser saves rather than shows, named as Django's FileResponse names it.

    Not FileResponse itself: these files are built in memory, and a plain response keeps them whole.
    """
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def csv_response(rows, filename):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return download(buffer.getvalue(), f"{filename}.csv", "text/csv; charset=utf-8")


def xlsx_response(rows, filename, sheet_title="Export"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(sheet_title)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return download(buffer.getvalue(), f"{filename}.xlsx", XLSX_CONTENT_TYPE)
