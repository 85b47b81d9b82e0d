"""CSV and XLSX downloads of a table, safe to open in a spreadsheet.

A cell that starts with = + - @ or a tab or carriage return would be run as a
formula by Excel or LibreOffice (CSV/formula injection), so such cells are
prefixed with an apostrophe, which spreadsheets display as plain text.
"""

import csv
import io
import re

from django.http import HttpResponse
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


def csv_response(rows, filename):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


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
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
