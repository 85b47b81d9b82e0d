"""Turn the rows of a recognised Word table into workbook records, one function per section.

A record is {workbook column key: text}, plus "results" ({financial year: text}) for a measure
and "source" (where in the document it came from). Rows that run across the whole table, or
have only their first cell filled, are outline: a theme, "Local Outcome 1: ...", "Priority 1.1 ...",
a dashboard theme ("Customers") or a division of service.
"""

import re
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache

from plans.wordimport.document import normalise
from plans.workbook import cells
from plans.workbook.schema import sheet_named

# A row that continues the last one after a page break is empty in these columns.
IDENTITY = {
    "Actions": ("title", "responsible", "timescale_text", "reference"),
    "Measures": ("title",),
    "Budget": ("service",),
    "Efficiencies": ("option",),
    "Risks": ("title",),
    "Contracts": ("provider",),
    "Highlights": ("section",),
}
DIRECTED = re.compile(r"^(?P<title>.*?)\s*\((?P<direction>increase|reduction|reduce|decrease)\)\s*\.?$", re.I)
LEADING_DATE = re.compile(r"^\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})")


@cache
def labels(sheet, key):
    """{normalised label: label} of a choice column, as the workbook declares it (plans imports no other app)."""
    column = next(column for column in sheet_named(sheet).columns if column.key == key)
    return {normalise(label): label for _, label in column.choices}


@dataclass
class Tally:
    """What one table gave: rows read, rows that became records, outline rows and skipped totals."""

    read: int = 0
    matched: int = 0
    outline: int = 0
    totals: int = 0
    continued: int = 0  # rows that ran on past a page break, joined to the row before
    measures_from_indicators: int = 0


@dataclass
class Records:
    """Every record the document gave, by workbook sheet, and the numbering of generated references."""

    sheets: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def add(self, sheet, record):
        self.sheets.setdefault(sheet, []).append(record)

    def count(self, sheet):
        return len(self.sheets.get(sheet, []))


def events(grid, layout, tally):
    """("outline" or "row", {key: text, "results": {year: text}, "source": ...}) for each row below the header."""
    header = [normalise(text) for text in grid.rows[layout.header_row]]
    previous = None
    for index in range(layout.header_row + 1, len(grid.rows)):
        row = grid.rows[index]
        if not any(row) or [normalise(text) for text in row] == header:
            continue
        tally.read += 1
        values = {key: row[i] for i, key in layout.columns.items() if i < len(row)}
        values["results"] = {year: row[i] for i, year in layout.result_years.items() if i < len(row)}
        values["source"] = f"{grid.label}, row {index + 1}"
        filled = [text for i, text in enumerate(row) if text and (i == 0 or text != row[i - 1])]
        if grid.spanning[index] or (len(filled) == 1 and row[0] and grid.width > 1):
            values["outline"] = row[0]
            yield "outline", values
            continue
        identity = [values.get(key, "") for key in IDENTITY[layout.section] if key in layout.columns.values()]
        if index in grid.continues_at and previous is not None and not any(identity):
            _append(previous, values)  # the row ran on past a page break
            tally.continued += 1
            continue
        previous = values
        yield "row", values


def _append(record, more):
    for key, text in more.items():
        if key == "results":
            for year, result in text.items():
                record["results"][year] = "\n".join(filter(None, [record["results"].get(year, ""), result]))
        elif key != "source" and text:
            record[key] = "\n".join(filter(None, [record.get(key, ""), text]))


def _is_total(values, key):
    return normalise(values.get(key, "")).startswith("total")


def actions(grid, layout, records, tally, context):
    outline = {"theme": "", "outcome": "", "priority": ""}
    for kind, values in events(grid, layout, tally):
        if kind == "outline":
            _outline(outline, values["outline"])
            tally.outline += 1
            continue
        _action(values, outline, layout.columns.values())
        if "reference" not in layout.columns.values() or not values.get("reference"):
            values["reference"] = f"A{records.count('Actions') + 1:02d}"
        indicators = values.pop("indicators", "")
        records.add("Actions", values)
        tally.matched += 1
        for line in cells.lines(indicators):
            tally.measures_from_indicators += _indicator(line, values["source"], records)


def _outline(outline, text):
    words = normalise(text)
    if re.match(r"(local )?outcome\b", words):
        outline.update(outcome=text, priority="")
    elif words.startswith("priority"):
        outline["priority"] = text
    else:
        outline.update(theme=text.rstrip(": "), outcome="", priority="")


def _action(values, outline, mapped):
    lines = cells.lines(values.get("title", ""))
    if len(lines) > 1 and lines[0].endswith(":") and "category_text" not in mapped:
        values["category_text"] = lines[0].rstrip(": ")
        values["title"] = " ".join(lines[1:])
        if "outcome" not in mapped:
            values["outcome"] = values["title"]
    elif (outline["theme"] or outline["priority"]) and "category_text" not in mapped:
        values["category_text"] = " – ".join(filter(None, [outline["theme"], outline["priority"]]))
    if "category" not in mapped and values.get("category_text"):
        values["category"] = labels("actions", "category").get(normalise(values["category_text"]), "")
    if not values.get("title"):
        steps = cells.lines(values.get("steps", ""))
        values["title"] = outline["priority"] or outline["outcome"] or (steps[0] if steps else "")
    if outline["theme"] and "theme" not in mapped:
        values["theme"] = outline["theme"]
    if outline["outcome"] and "outcome" not in mapped and values["title"] != outline["outcome"]:
        values["outcome"] = outline["outcome"]
    if "due_date" not in mapped and (match := LEADING_DATE.match(values.get("timescale_text", ""))):
        with suppress(cells.CellError):  # otherwise the timescale is kept as stated and the due date stays empty
            values["due_date"] = cells.date(match.group(1)).strftime("%d/%m/%Y")


def _indicator(line, source, records):
    """A performance indicator with its direction in brackets becomes a measure with that target."""
    match = DIRECTED.match(line)
    title = match.group("title") if match else line
    if any(normalise(m["title"]) == normalise(title) for m in records.sheets.get("Measures", [])):
        return 0
    increase = match and match.group("direction").lower() == "increase"
    direction = ("Increase" if increase else "Reduce") if match else ""
    measure = {"theme": "Outcome", "title": title, "unit": _unit(title, ""), "direction": direction}
    records.add("Measures", measure | {"target_text": direction, "results": {}, "source": source})
    return 1


def _unit(title, figures):
    words = normalise(title).split()
    if "%" in figures or "%" in title or {"percentage", "proportion", "percent"} & set(words):
        return "Percentage"
    if "rate" in words:
        return "Rate"
    return "Days" if "days" in words and "within" not in words else "Number"


def measures(grid, layout, records, tally, context):
    theme = ""
    for kind, values in events(grid, layout, tally):
        if kind == "outline" and normalise(values["outline"]) in labels("measures", "theme"):
            theme = labels("measures", "theme")[normalise(values["outline"])]
            tally.outline += 1
            continue
        values.pop("outline", None)  # a measure whose other cells are empty
        theme = values.get("theme") or theme
        values["theme"] = theme
        figures = " ".join([values.get("target_text", ""), *values["results"].values()])
        values.setdefault("unit", _unit(values.get("title", ""), figures))
        values.setdefault("direction", _direction(values.get("target_text", "")))
        if layout.target_year and "target_year" not in layout.columns.values():
            values["target_year"] = str(layout.target_year)
        records.add("Measures", values)
        tally.matched += 1


def _direction(target):
    words = normalise(target)
    if words in ("increase", "higher", "more"):
        return "Increase"
    if words in ("reduce", "reduction", "decrease", "lower", "less", "fewer"):
        return "Reduce"
    try:
        return "Reach target" if cells.number(target) is not None else ""
    except cells.CellError:
        return ""


def budget(grid, layout, records, tally, context):
    year = layout.budget_year or context.get("start_year")
    for kind, values in events(grid, layout, tally):
        if kind == "outline":
            tally.outline += 1
            continue
        if _is_total(values, "service"):
            tally.totals += 1
            continue
        if "amount_text" not in layout.columns.values():
            values["amount_text"] = values.get("amount", "")
        if "financial_year" not in layout.columns.values() and year:
            values["financial_year"] = str(year)
        records.add("Budget", values)
        tally.matched += 1


def efficiencies(grid, layout, records, tally, context):
    division = ""
    for kind, values in events(grid, layout, tally):
        if kind == "outline":
            division = values["outline"]
            tally.outline += 1
            continue
        if _is_total(values, "number") or _is_total(values, "option"):
            tally.totals += 1
            continue
        values["division"] = values.get("division") or division
        if not values.get("number"):
            values["number"] = str(records.count("Efficiencies") + 1)
        records.add("Efficiencies", values)
        tally.matched += 1


def risks(grid, layout, records, tally, context):
    for kind, values in events(grid, layout, tally):
        if kind == "outline":
            tally.outline += 1
            continue
        lines = values.get("title", "").split("\n")
        if "description" not in layout.columns.values() and len(lines) > 1:
            values["title"], values["description"] = lines[0], "\n".join(lines[1:])
        if not values.get("reference"):
            values["reference"] = f"R{records.count('Risks') + 1}"
        records.add("Risks", values)
        tally.matched += 1


def plain(section):
    def read(grid, layout, records, tally, context):
        for kind, values in events(grid, layout, tally):
            if kind == "outline":
                tally.outline += 1
                continue
            records.add(section, values)
            tally.matched += 1

    return read


READERS = {
    "Actions": actions,
    "Measures": measures,
    "Budget": budget,
    "Efficiencies": efficiencies,
    "Risks": risks,
    "Contracts": plain("Contracts"),
    "Highlights": plain("Highlights"),
}
