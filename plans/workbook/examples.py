"""The template's example rows: marked so that they are never imported as data.

Each sheet of the template carries one example row, marked in its "Example" column (the sheet's
last) with EXAMPLE_MARK. The reader skips a row that is still the example, and reports the cells a
user left over when typing their own row over it: those are the template's words, not theirs.

A template downloaded before rows were marked has no "Example" column; its example row is still
recognised when every cell is exactly as downloaded, except on the Plan sheet: its one row is the plan
to import, and the example is a real plan, so a row that matches it is taken as meant.
"""

from plans.workbook import cells
from plans.workbook.schema import sheets

EXAMPLE_HEADER = "Example"
EXAMPLE_MARK = "Example – delete or type over"
EXAMPLE_NOTE = (
    "This row is an example. Delete it, or type your own row over it and clear this cell. "
    "A row still marked here is not imported."
)


def is_marked(marker_value):
    """Whether the row's Example cell still holds anything (the mark, or a user's 'yes')."""
    return cells.text(marker_value) != ""


_parsed_examples = {}


def _parsed_example(sheet):
    """{column key: the example's value, as the reader would parse it} for the sheet's example row."""
    if sheet.name in _parsed_examples:
        return _parsed_examples[sheet.name]
    values = _parsed_examples[sheet.name] = {}
    for column in sheet.columns:
        raw = sheet.example.get(column.header)
        try:
            values[column.key] = column.parse(raw) if raw not in (None, "") else None
        except cells.CellError:  # pragma: no cover - the schema's own examples always parse
            values[column.key] = None
    return values


def _blank(value):
    return value in (None, "", [])


def _same(example_value, value):
    return value == example_value or _blank(value) and _blank(example_value)


def _identity(sheet):
    """The columns that say which row this is: the natural key and the required columns."""
    keys = set(sheet.natural_key) | {column.key for column in sheet.columns if column.required}
    return [column.key for column in sheet.columns if column.key in keys]


def classify(sheet, values, *, marked, has_marker_column=False):
    """('example', []) for a row that is still the template's example; ('data', leftovers) otherwise.

    `leftovers` are the headers of cells still holding the example's value in a marked row the user
    typed their own row over: reported, never imported.
    """
    if not sheet.example:
        return "data", []
    example = _parsed_example(sheet)
    unchanged = {key for key, value in example.items() if _same(value, values.get(key))}
    if marked and all(key in unchanged for key in _identity(sheet)):
        return "example", []
    if not marked:
        unmarked_template = not has_marker_column and sheet.name != "Plan"
        return ("example", []) if unmarked_template and unchanged == set(example) else ("data", [])
    same = {key for key in unchanged if not _blank(example[key])}
    return "data", [column.header for column in sheet.columns if column.key in same]


LEFTOVER_MESSAGE = (
    "Still the template's example value. Type your own, or clear it; if it really is yours, "
    f"clear this row's '{EXAMPLE_HEADER}' cell."
)


def skipped_summary(skipped):
    """'3 example rows skipped (Budget, Efficiencies and Risks)' from {sheet: count}, or ''."""
    total = sum(skipped.values())
    if not total:
        return ""
    # In workbook order: PostgreSQL's JSON does not keep the order the keys were written in.
    position = {sheet.name: sheet.position for sheet in sheets()}
    names = sorted(skipped, key=lambda name: position.get(name, 0))
    where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{total} example row{'s' if total != 1 else ''} skipped ({where})"
