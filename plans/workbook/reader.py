"""Turn an uploaded workbook (or a one-section CSV) into parsed rows and a list of problems.

Nothing here touches the database. Formulas are never evaluated: a formula
cell gives the value Excel last saved for it, or nothing.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from plans.workbook import cells, examples
from plans.workbook.schema import Sheet, sheets
from plans.workbook.stamps import STAMP_HEADER

RESULT_HEADER = re.compile(r"^\s*(\d{4}\s*[/\-–]\s*\d{2})\s*(result)?\s*$", re.IGNORECASE)
MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Encrypted (password-protected) and old .xls files


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = self.sheet + (f", row {self.row}" if self.row else "") + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Row:
    number: int
    values: dict
    results: dict = field(default_factory=dict)  # Measures: {financial year: raw cell value}
    stamp: str = ""  # the "Row stamp" an export wrote; empty in rows typed into the template
    order: int | None = None  # the row's position, once the import has matched it with the plan's rows


@dataclass
class ParsedWorkbook:
    sheets: dict = field(default_factory=dict)  # sheet name -> list of Row
    problems: list = field(default_factory=list)
    examples_skipped: dict = field(default_factory=dict)  # sheet name -> how many example rows were left out
    derived: list = field(default_factory=list)  # values the import filled in (as Problems, for their place)

    @property
    def ok(self):
        return not self.problems


def read_upload(content, filename, *, on_row=None):
    """Read an uploaded file's bytes. Returns a ParsedWorkbook; it never raises for bad input."""
    parsed = ParsedWorkbook()
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        parsed.problems.append(
            Problem("File", None, "", f"The file is {_size(len(content))}; the limit is {_size(limit)}.")
        )
        return parsed
    name = filename.lower()
    if name.endswith(".csv"):
        return _read_csv(content, parsed)
    if not name.endswith(".xlsx"):
        parsed.problems.append(Problem("File", None, "", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return parsed
    if content.startswith(OLE_MAGIC):
        parsed.problems.append(
            Problem(
                "File",
                None,
                "",
                "The workbook is password-protected or an old .xls file. Save it as an "
                "unprotected .xlsx workbook and upload it again.",
            )
        )
        return parsed
    if not content.startswith(ZIP_MAGIC):
        parsed.problems.append(Problem("File", None, "", "The file is not a valid .xlsx workbook (it may be corrupt)."))
        return parsed
    refusal = _zip_refusal(content)
    if refusal:
        parsed.problems.append(Problem("File", None, "", refusal))
        return parsed
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        parsed.problems.append(
            Problem(
                "File",
                None,
                "",
                f"The workbook could not be opened ({error.__class__.__name__}); "
                "it may be corrupt. Save it again from Excel and retry.",
            )
        )
        return parsed
    try:
        _read_workbook(workbook, parsed, on_row)
    except (ParseError, zipfile.BadZipFile, EOFError, KeyError, ValueError) as error:
        parsed.problems.append(
            Problem(
                "File",
                None,
                "",
                f"Part of the workbook could not be read ({error.__class__.__name__}); "
                "save it again from Excel and retry.",
            )
        )
    finally:
        workbook.close()
    return parsed


def _zip_refusal(content):
    """Why the zip's central directory shows a workbook too big to unpack (a zip bomb), or "".

    Only the central directory is read, so nothing is decompressed. The sizes it declares are
    binding: Python's zipfile stops decompressing a part at its declared size, so a part cannot
    unpack to more than the directory says.
    """
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""  # not a readable zip: opening it reports that, without unpacking anything
    if len(parts) > settings.IMPORT_MAX_PARTS:
        return (
            f"The workbook has {len(parts):,} parts inside it; a plan workbook has far fewer "
            f"(the limit is {settings.IMPORT_MAX_PARTS:,}). Save it again from Excel and retry."
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        return (
            f"The workbook unpacks to {_size(unpacked)}; the limit is {_size(settings.IMPORT_MAX_UNPACKED_BYTES)}. "
            "Remove unused rows, columns and pictures, or split it into several files."
        )
    ratio_limit = settings.IMPORT_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size > ratio_limit * max(part.compress_size, 1):
            return (
                f"The workbook part {part.filename} is compressed more than {ratio_limit}:1, so it was refused "
                "as a possible zip bomb. If it is a genuine workbook, copy the sheets into a new one and retry."
            )
    return ""


def _size(size):
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


def _read_workbook(workbook, parsed, on_row):
    present = {title.strip().lower(): title for title in workbook.sheetnames}
    for sheet in sheets():
        if sheet.name.lower() not in present:
            if sheet.required:
                parsed.problems.append(Problem(sheet.name, None, "", f"The workbook has no '{sheet.name}' sheet."))
            continue
        worksheet = workbook[present[sheet.name.lower()]]
        merged = MERGE_REF.findall(worksheet._get_source().read())
        if merged:
            ranges = ", ".join(ref.decode() for ref in merged[:5])
            parsed.problems.append(
                Problem(sheet.name, None, "", f"Merged cells ({ranges}): unmerge them and fill in each cell.")
            )
            continue
        # The stored dimension can be stale (rows past it would be dropped), so read to the real end.
        worksheet.reset_dimensions()
        parsed.sheets[sheet.name] = _read_rows(sheet, worksheet.iter_rows(values_only=True), parsed, on_row)


def _read_csv(content, parsed):
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = content.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(decoded)))
    if not rows:
        parsed.problems.append(Problem("File", None, "", "The CSV file is empty."))
        return parsed
    headers = {cells.text(header).lower() for header in rows[0]}
    sections = sheets()[1:]
    best = max(sections, key=lambda s: len({h.lower() for h in s.headers} & headers))
    missing = [c.header for c in best.columns if c.required and c.header.lower() not in headers]
    if missing or not {h.lower() for h in best.headers} & headers:
        parsed.problems.append(
            Problem("CSV", 1, ", ".join(missing), f"The headings match no section fully; for {best.name}, add them.")
        )
        return parsed
    sheet = best
    parsed.sheets[sheet.name] = _read_rows(sheet, iter(rows), parsed, None)
    return parsed


def _read_rows(sheet: Sheet, rows, parsed, on_row):
    header_row = next(rows, None)
    if header_row is None:
        parsed.problems.append(Problem(sheet.name, None, "", "The sheet is empty: it needs its header row."))
        return []
    headers = [cells.text(h) for h in header_row]
    positions = {h.lower(): i for i, h in enumerate(headers) if h}
    missing = [c.header for c in sheet.columns if c.required and c.header.lower() not in positions]
    if missing:
        parsed.problems.append(Problem(sheet.name, 1, ", ".join(missing), "Required column missing."))
        return []
    stamp_position = positions.get(STAMP_HEADER.lower())
    result_positions = {}
    if sheet.result_columns:
        for index, header in enumerate(headers):
            match = RESULT_HEADER.match(header)
            if match:
                try:
                    result_positions[cells.financial_year(match.group(1).replace(" ", ""))] = index
                except cells.CellError as error:
                    parsed.problems.append(Problem(sheet.name, 1, header, str(error)))
    limit = settings.IMPORT_MAX_ROWS
    marker = positions.get(examples.EXAMPLE_HEADER.lower())
    max_lengths = sheet.max_lengths()
    parsed_rows = []
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(cells.text(value) == "" for value in raw):
            continue  # empty rows are skipped, and do not count towards the limit
        if len(parsed_rows) >= limit:
            parsed.problems.append(
                Problem(
                    sheet.name,
                    number,
                    "",
                    f"The sheet has more than {limit:,} rows, the most one import takes. Split it into several files.",
                )
            )
            return []
        values, problems = _parse_row(sheet, raw, positions, number, max_lengths)
        marked = marker is not None and marker < len(raw) and examples.is_marked(raw[marker])
        kind, leftovers = examples.classify(sheet, values, marked=marked, has_marker_column=marker is not None)
        if kind == "example":
            parsed.examples_skipped[sheet.name] = parsed.examples_skipped.get(sheet.name, 0) + 1
            continue
        problems += [Problem(sheet.name, number, header, examples.LEFTOVER_MESSAGE) for header in leftovers]
        if sheet.derive and not problems:
            parsed.derived += [Problem(sheet.name, number, header, note) for header, note in sheet.derive(values)]
        parsed.problems += problems
        results = {year: raw[i] if i < len(raw) else None for year, i in result_positions.items()}
        stamp = cells.text(raw[stamp_position]) if stamp_position is not None and stamp_position < len(raw) else ""
        parsed_rows.append(Row(number, values, results, stamp))
        if on_row:
            on_row(sheet.name, number)
    _check_duplicates(sheet, parsed_rows, parsed)
    return parsed_rows


def _parse_row(sheet, raw, positions, number, max_lengths):
    """One row's values {column key: parsed value} and the problems its cells have.

    A cell that cannot be read is None (or empty), so later checks still see the rest of the row.
    """
    values, problems = {}, []
    for column in sheet.columns:
        index = positions.get(column.header.lower())
        raw_value = raw[index] if index is not None and index < len(raw) else None
        blank = cells.text(raw_value) == ""
        if blank and column.parse not in cells.TEXT_PARSERS and not column.choices:
            values[column.key] = None  # an empty optional number or date
            if column.required:
                problems.append(Problem(sheet.name, number, column.header, "This cell is required."))
            continue
        try:
            values[column.key] = column.parse(raw_value)
        except cells.CellError as error:
            values[column.key] = None
            problems.append(Problem(sheet.name, number, column.header, str(error)))
            continue
        if column.required and values[column.key] in ("", None, []):
            problems.append(Problem(sheet.name, number, column.header, "This cell is required."))
    headers_by_key = {column.key: column.header for column in sheet.columns}
    for key, longest in max_lengths.items():
        value = values.get(key)
        if isinstance(value, str) and len(value) > longest:
            problems.append(
                Problem(sheet.name, number, headers_by_key[key], f"{len(value)} characters; the most is {longest}.")
            )
    return values, problems


def _check_duplicates(sheet, rows, parsed):
    """Two rows with the same natural key (ignoring case) would be one record: report the later one."""
    if not sheet.natural_key:
        return
    header = next(column.header for column in sheet.columns if column.key == sheet.natural_key[0])
    seen = {}
    for row in rows:
        key = tuple(row.values.get(name) for name in sheet.natural_key)
        if any(part in (None, "") for part in key):
            continue
        key = tuple(part.lower() if isinstance(part, str) else part for part in key)
        if key in seen:
            parsed.problems.append(Problem(sheet.name, row.number, header, f"Duplicate of row {seen[key]}."))
        else:
            seen[key] = row.number
