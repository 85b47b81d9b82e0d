"""Every problem in one preview: cell problems do not hide the ones only the database can find.

When some cells cannot be read, the import still runs (always rolled back) over the rows that
could, so an unknown partnership, an unknown national outcome or a duplicate shows up beside the
cell problems instead of in the next round.
"""

from plans.workbook.schema import sheets

FILE_LEVEL = {"File", "CSV"}


def checkable(parsed, *, has_plan):
    """Whether the database checks can run: the file was read, and there is a plan to check against."""
    if not parsed.problems:
        return True
    if any(problem.sheet in FILE_LEVEL for problem in parsed.problems):
        return False
    return has_plan or "Plan" in parsed.sheets


def rows_with_problems(parsed):
    return {(problem.sheet, problem.row) for problem in parsed.problems if problem.row}


def sheet_has_problems(parsed, sheet_name):
    return any(problem.sheet == sheet_name for problem in parsed.problems)


def rows_without_problems(parsed):
    """{sheet: rows} leaving out the rows whose cells have problems (the Plan row is kept: see PlanImporter)."""
    bad = rows_with_problems(parsed)
    return {
        name: rows if name == "Plan" else [row for row in rows if (name, row.number) not in bad]
        for name, rows in parsed.sheets.items()
    }


def in_workbook_order(problems):
    """File problems first, then sheet by sheet in workbook order, row by row; a row's own order is kept."""
    position = {sheet.name: sheet.position for sheet in sheets()}
    return sorted(problems, key=lambda problem: (position.get(problem.sheet, -1), problem.row or 0))
