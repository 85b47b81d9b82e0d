"""CSV and XLSX downloads of a list, streamed row by row and safe to open in a spreadsheet.

A table declares its download as a list of `ExportColumn`s (`Table.export_columns()`): each knows
its header, how to read its value from a record, and what kind of value it is. Reading a value is
one plain function call per cell, and rows come from `QuerySet.iterator()`, so a download of
30,000 rows neither builds the file in memory nor pays django-tables2's per-cell cost.

A cell that starts with = + - @ or a tab or carriage return would be run as a
formula by Excel or LibreOffice (CSV/formula injection), so such cells are
prefixed with an apostrophe, which spreadsheets display as plain text.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses these characters in a sheet title, and titles longer than 31 characters.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31
DATE_FORMAT = "dd/mm/yyyy"
ITERATOR_CHUNK = 2000


@dataclass(frozen=True)
class ExportColumn:
    """One column of a download. `kind` is "text", "number", "date" or "yesno"."""

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"
    width: int = 14


def neutralise(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell_value(column, record):
    """The value a spreadsheet should hold: real numbers and dates, Yes/No, neutralised text."""
    value = column.value(record)
    if value is None or value == "":
        return None
    if column.kind == "yesno":
        return "Yes" if value else "No"
    if column.kind == "date" and isinstance(value, datetime.date):
        return value
    if column.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return neutralise(value)


def safe_sheet_title(title, default="Export"):
    """A title Excel accepts for a sheet: forbidden characters dropped, at most 31 characters.

    Every sheet title made from data (a partnership's name, a page title) goes through here.
    """
    cleaned = " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).split())
    # Excel also refuses a title that starts or ends with an apostrophe.
    cleaned = cleaned[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return cleaned or default


def download(content, filename, content_type):
    """A file built in memory that the browser saves rather than shows, named as FileResponse names it."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def records_of(queryset):
    """Rows one chunk at a time. A list (already in memory) is used as it is."""
    if hasattr(queryset, "iterator"):
        return queryset.iterator(chunk_size=ITERATOR_CHUNK)
    return iter(queryset)


class _Echo:
    """A write-only file for csv.writer that hands each written line straight back."""

    def write(self, value):
        return value


def csv_lines(columns: list[ExportColumn], records: Iterable):
    writer = csv.writer(_Echo())
    yield writer.writerow([column.header for column in columns])
    for record in records:
        row = [cell_value(column, record) for column in columns]
        yield writer.writerow(["" if value is None else value for value in row])


def csv_response(columns, queryset, filename):
    response = StreamingHttpResponse(csv_lines(columns, records_of(queryset)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.csv")
    return response


def write_xlsx(columns, records, file, sheet_title="Export"):
    """A workbook a committee can use: typed cells, widths, a frozen header row and filters.

    openpyxl's write-only mode streams each row to a temporary file instead of keeping cells in memory.
    Widths and the frozen pane must be set before the first row; the filter range after the last.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(sheet_title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    # Only dates and long text need a styled cell; plain values are cheaper for openpyxl to write.
    styles = [
        {"number_format": DATE_FORMAT} if c.kind == "date" else {"alignment": wrap} if c.width >= 40 else None
        for c in columns
    ]
    row_count = 0
    for record in records:
        row = []
        for column, style in zip(columns, styles, strict=True):
            value = cell_value(column, record)
            if style and value is not None:
                value = WriteOnlyCell(sheet, value=value)
                for name, setting in style.items():
                    setattr(value, name, setting)
            row.append(value)
        sheet.append(row)
        row_count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row_count + 1}"
    workbook.save(file)


def xlsx_response(columns, queryset, filename, sheet_title="Export"):
    # The finished file is spooled to disk, not memory, and streamed from there.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_xlsx(columns, records_of(queryset), file, sheet_title=sheet_title)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)
