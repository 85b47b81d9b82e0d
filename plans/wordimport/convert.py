"""Turn a Word plan into a plan-year workbook in the template format, with a report of what was read.

The workbook then goes through the ordinary reader, preview and confirm, so a Word upload gets the
same checks, problems list and all-or-nothing import as an .xlsx, and can be downloaded to fix by hand.
"""

import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from plans.choices import PlanKind
from plans.wordimport import layouts, sections
from plans.wordimport.document import DocumentError, normalise, read_document
from plans.workbook import cells
from plans.workbook.reader import Problem
from plans.workbook.schema import sheets

WORD = "Word document"
ROW_COUNTS = ("read", "matched", "outline", "totals", "continued")
SOURCE_HEADER = "From the Word document"
REQUIRED_FACTS = {"partnership": "partnership", "kind": "kind of plan", "title": "title", "start_year": "first year"}
# Phrases (in normalised text) that name a kind of plan, the most specific first.
KIND_WORDS = {
    r"local outcomes? improvement plan|loip": PlanKind.LOIP_PERFORMANCE_REPORT,
    r"services? improvement plan|sip": PlanKind.SERVICE_IMPROVEMENT_PLAN,
    r"inspection": PlanKind.INSPECTION_IMPROVEMENT_PLAN,
    r"promise": PlanKind.PROMISE_PLAN,
    r"transformation(al)? (programme|activity|plan)": PlanKind.TRANSFORMATION_PROGRAMME,
}
PARTNERSHIP_NAME = re.compile(r"((?:[A-Z][\w'’&-]*\s+)+(?:(?:and|of|&)\s+(?:[A-Z][\w'’&-]*\s+)+)*Partnership)\b")


@dataclass
class Conversion:
    workbook: bytes | None = None
    problems: list = field(default_factory=list)
    tables: list = field(default_factory=list)  # one dict per table read: label, section, header, counts
    unmapped: list = field(default_factory=list)  # one dict per table not read: label, header, rows
    facts: dict = field(default_factory=dict)  # plan key -> {"value": text, "from": where}
    notes: list = field(default_factory=list)

    def summary(self):
        """Plain data for the preview page."""
        rows = {key: sum(table[key] for table in self.tables) for key in ROW_COUNTS}
        return {
            "tables": self.tables,
            "unmapped": self.unmapped,
            "facts": self.facts,
            "notes": self.notes,
            "rows": rows,
            "has_workbook": self.workbook is not None,
        }


def is_word_document(filename):
    return filename.lower().endswith(".docx")


def convert(content, *, chosen=None, partnerships=()):
    """Read a .docx upload into a Conversion. `chosen` holds plan facts picked on the upload form."""
    conversion = Conversion()
    try:
        document = read_document(content)
    except DocumentError as error:
        conversion.problems.append(Problem(WORD, None, "", str(error)))
        return conversion
    records = sections.Records()
    details = {}
    grids = list(document.grids)
    while grids:
        grid = grids.pop(0)
        if (facts := layouts.plan_details(grid)) is not None:
            details |= {key: value for key, value in facts.items() if key not in details}
            conversion.tables.append(_table(grid, "Plan details", 0, sections.Tally(len(facts), len(facts))))
            continue
        if (layout := layouts.recognise(grid)) is None:
            if grid.nested:
                grids[:0] = grid.nested  # a layout table: look inside it
            else:
                conversion.unmapped.append(_unmapped(grid))
            continue
        tally = sections.Tally()
        sections.READERS[layout.section](grid, layout, records, tally, details)
        conversion.tables.append(_table(grid, layout.section, layout.header_row, tally))
    if not conversion.tables:
        count = len(document.grids)
        message = f"None of the document's {count} tables is one SIP Portal reads." if count else "It has no tables."
        conversion.problems.append(Problem(WORD, None, "", f"{message} The sample document shows the layouts read."))
        return conversion
    _plan_facts(conversion, document, details, chosen or {}, partnerships)
    if indicators := sum(table["measures_from_indicators"] for table in conversion.tables):
        conversion.notes.append(
            f"{indicators} measure{'s' if indicators > 1 else ''} made from performance indicators "
            "are under the Outcome dashboard theme; download the workbook to choose another."
        )
    conversion.workbook = build_workbook(conversion.facts, records)
    return conversion


def _table(grid, section, header_row, tally):
    counts = {key: getattr(tally, key) for key in (*ROW_COUNTS, "measures_from_indicators")}
    return {"label": grid.label, "section": section, "header": _header(grid.rows[header_row])} | counts


def _unmapped(grid):
    header = _header(grid.rows[0]) if grid.rows else "(empty table)"
    return {"label": grid.label, "header": header, "rows": max(len(grid.rows) - 1, 0)}


def _header(row):
    distinct = [text for i, text in enumerate(row) if i == 0 or text != row[i - 1]]
    return " | ".join(" ".join(text.split()) for text in distinct)


def _plan_facts(conversion, document, details, chosen, partnerships):
    """The plan's partnership, kind, title and year: from the form, the details table or the opening text."""
    opening = [document.title, *document.paragraphs[:12]]
    found = _from_opening(opening, partnerships)
    for key in layouts.PLAN_LABELS:
        if chosen.get(key):
            conversion.facts[key] = {"value": chosen[key], "from": "the upload form"}
        elif details.get(key):
            conversion.facts[key] = {"value": details[key], "from": "the plan details table"}
        elif found.get(key):
            conversion.facts[key] = {"value": found[key], "from": "the document's opening"}
    for key, label in REQUIRED_FACTS.items():
        if key not in conversion.facts:
            message = f"The document does not say the plan's {label}: choose it on the upload form."
            conversion.problems.append(Problem(WORD, None, label.capitalize(), message))


def _from_opening(lines, partnerships):
    lines = [line for line in lines if line]
    text = "\n".join(lines)
    found = {}
    known = [name for name in partnerships if normalise(name) in normalise(text)]
    if known:
        found["partnership"] = max(known, key=len)
    elif match := PARTNERSHIP_NAME.search(text):
        found["partnership"] = " ".join(match.group(1).split())
    words = normalise(text)
    kind = next((kind for phrase, kind in KIND_WORDS.items() if re.search(rf"\b({phrase})\b", words)), None)
    if kind:
        found["kind"] = kind.label
    for match in layouts.YEAR.finditer(text):
        try:
            found["start_year"] = _year_label(cells.financial_year(match.group(0)))
            break
        except cells.CellError:
            continue
    title = next((line for line in lines if "plan" in normalise(line).split()), "")
    title = layouts.YEAR.sub("", title).strip(" -–:,")
    if title and normalise(title) != normalise(found.get("partnership", "")):
        found["title"] = title
    return found


def _year_label(year):
    return f"{year}/{(year + 1) % 100:02d}"


def build_workbook(facts, records):
    """An .xlsx in the template format: a Plan row from the facts, then each section's records."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets():
        rows = records.sheets.get(sheet.name, [])
        if sheet.name == "Plan":
            sources = ", ".join(dict.fromkeys(fact["from"] for fact in facts.values()))
            rows = [{key: fact["value"] for key, fact in facts.items()} | {"source": sources}]
        elif not rows and not sheet.required:
            continue
        years = sorted({year for row in rows for year in row.get("results", {})})
        headers = [*sheet.headers, *(f"{_year_label(year)} result" for year in years), SOURCE_HEADER]
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            results = row.get("results", {})
            values = [row.get(column.key, "") for column in sheet.columns]
            worksheet.append([*values, *(results.get(year, "") for year in years), row.get("source", "")])
        for row_cells in worksheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
        for letter in "ABCDEFGH":
            worksheet.column_dimensions[letter].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
