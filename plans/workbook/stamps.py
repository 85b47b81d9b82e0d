"""Row stamps: what each exported row held when it was exported, so a re-import can tell newer work apart.

A stamp is a short hash per column of the row's values as the import reads them, plus one for its
extra columns (a measure's yearly results). On re-import, a column whose hash no longer matches the
app's value was changed in SIP Portal after the export: the file's value for it is a conflict, not an
update. Values are compared as the import reads them (parsed), so Excel's own reformatting (a date
cell, 0.4 for 40%) never counts as a change.
"""

import datetime
import hashlib
from decimal import Decimal

from plans.periods import financial_year_label
from plans.workbook import cells

STAMP_HEADER = "Row stamp"
STAMP_NOTE = (
    "Leave this as it is: it records what the row held when it was exported, so a re-import never undoes newer work."
)
VERSION = "1"
HASH_LENGTH = 6
INVALID = object()  # a stamp that cannot be read: every field is treated as changed in the app


# Sheets replaced as a whole: every row carries one stamp of the whole sheet as exported.
WHOLE_SHEET_STAMPED = frozenset({"Highlights"})


def is_stamped(sheet):
    """Sheets whose rows are matched one by one (the plan, and every sheet with a natural key), or as a whole."""
    return bool(sheet.natural_key) or sheet.name == "Plan" or sheet.name in WHOLE_SHEET_STAMPED


def parsed(column, raw):
    """A cell value as the reader would parse it (blank optional numbers and dates are None)."""
    if cells.text(raw) == "" and column.parse not in cells.TEXT_PARSERS and not column.choices:
        return None
    try:
        return column.parse(raw)
    except cells.CellError:
        return cells.text(raw)


def canonical(value):
    """One text form per value, so that equal values compare and hash equal."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(canonical(item) for item in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def app_values(sheet, obj):
    """{column key: the value a fresh export of `obj` would import as}."""
    return {column.key: parsed(column, column.value_of(obj)) for column in sheet.columns}


def app_extras(sheet, obj):
    """{extra header: text} for an object's non-empty extra cells (a measure's yearly results)."""
    if not sheet.extra_columns:
        return {}
    headers, cells_of = sheet.extra_columns([obj])
    return {
        header: cells.text(value) for header, value in zip(headers, cells_of(obj), strict=True) if cells.text(value)
    }


def file_extras(row):
    """{extra header: text} for a file row's non-empty result cells."""
    return {
        f"{financial_year_label(year)} result": cells.text(raw) for year, raw in row.results.items() if cells.text(raw)
    }


def _hash(text):
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]


def column_hash(value):
    return _hash(canonical(value))


def extras_hash(extras):
    return _hash("\n".join(f"{header}\t{text}" for header, text in sorted(extras.items())))


def row_stamp(sheet, obj):
    """The stamp written in an exported row's "Row stamp" cell."""
    values = app_values(sheet, obj)
    hashes = [column_hash(values[column.key]) for column in sheet.columns]
    return VERSION + "." + "".join(hashes) + extras_hash(app_extras(sheet, obj))


def sheet_stamp(sheet, objects):
    """One stamp for a sheet replaced as a whole: every row's values, in order."""
    rows = ["\t".join(column_hash(value) for value in app_values(sheet, obj).values()) for obj in objects]
    return VERSION + "." + _hash("\n".join(rows))


def read_stamp(sheet, text):
    """(column hashes by key, extras hash) from a stamp; None for no stamp; INVALID if it is unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    version, _, body = text.partition(".")
    count = len(sheet.columns) + 1
    if version != VERSION or len(body) != count * HASH_LENGTH:
        return INVALID
    hashes = [body[i : i + HASH_LENGTH] for i in range(0, len(body), HASH_LENGTH)]
    return dict(zip((column.key for column in sheet.columns), hashes, strict=False)), hashes[-1]
