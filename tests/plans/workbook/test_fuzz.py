"""Fuzzing the plan-year workbook import: whatever the cells hold, an import never errors and is all or nothing.

Hypothesis writes real .xlsx workbooks (a valid Plan sheet, an Actions sheet and, sometimes, Measures, Budget,
Efficiencies and Risks sheets) whose cells mix valid values with anything a spreadsheet can hold, and imports
each one for real (dry_run=False). The property: `plan_import` never raises, and either it reports no problem,
has written the plan and what it wrote reads back, or it reports why not and the database is exactly as it was.

The cells that crash the import today are kept out of the generated workbooks by `known_bug()`, so that the
property guards everything else; each has a strict xfail test at the end. Fix one, and its test starts to pass
(strict xfail turns that into a failure): then delete its case there and its exclusion in `known_bug()`.
"""

import datetime
import gc
import io
import itertools
import os
import zipfile
from decimal import Decimal, DecimalException
from functools import partial

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dashboard.models import MeasureResult, QualityMeasure
from dashboard.workbook import MEASURES
from plans.import_services import plan_import
from plans.models import (
    ActionStep,
    BudgetLine,
    ImprovementAction,
    NationalOutcome,
    Partnership,
    Plan,
    PlannedEfficiency,
    Service,
)
from plans.workbook import cells
from plans.workbook.schema import ACTIONS, BUDGET, EFFICIENCIES
from risks.models import Mitigation, Risk
from risks.workbook import RISKS

PARTNERSHIP = "East Ayrshire Test HSCP"  # the `partnership` fixture's name
COUNTED = (
    Partnership,
    Plan,
    ImprovementAction,
    ActionStep,
    QualityMeasure,
    MeasureResult,
    BudgetLine,
    PlannedEfficiency,
    Risk,
    Mitigation,
    Service,
)
TITLES = itertools.count(1)
RESULT = "result"  # stands for a Measures result column ("2020/21 result") in known_bug()

# Characters a worksheet can hold: openpyxl refuses C0 controls, and XML 1.0 has no surrogates, U+FFFE or U+FFFF.
CELL_CHARACTERS = st.characters(
    exclude_categories=("Cs",),
    exclude_characters="".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])),
)
# Cells people (and spreadsheets) really produce, that are easy to get wrong.
AWKWARD = [
    "=1+1",
    "=SUM(A1:A3)",
    "+44 1563 576000",
    "-",
    "- ",
    "--",
    "@risk",
    "•",
    "• Develop blended learning\n• Deliver placements",
    "○ sub-point\r\n▪ another\r- third",
    "-5",
    "- 5",
    "* starred",
    "\n\n",
    "   ",
    "\u00a0",
    "a\u2028b",
    "A01",
    "a01",
    "A01 ",
    "R1",
    "0",
    "1",
    "3",
    "5",
    "6",
    "3.7",
    "1,5",
    "40%",
    "0.4",
    "100%",
    "101%",
    "-1%",
    "£120,000",
    "£18.085m",
    "12k",
    "£-5",
    "1e5",
    "1e30",
    "1e5000",
    "1e999999999",
    "NaN",
    "-Infinity",
    "31/03/2022",
    "31 March 2022",
    "2022-03-31",
    "31/02/2022",
    "2021/22",
    "2021-22",
    "2021/23",
    "２０２１/２２",
    "Green",
    "green",
    "COMPLETE",
    "Recovery and Renewal",
    "recovery_renewal",
    "Quarterly",
    "Other",
    "n/a",
    "TBC",
    "Final result not yet available",
    "1, 3, 14",
    "1;2",
    "16",
    "one",
    "x" * 301,
]

texts = st.text(CELL_CHARACTERS, max_size=40)
dates = st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31))
datetimes = st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31))
any_cell = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    dates,
    datetimes,
    texts,
    st.sampled_from(AWKWARD),
)


def spellings(choices):
    """Every right way to name a choice: its label or code, in any case, with '&' or 'and'."""
    names = [name for pair in choices for name in pair]
    return st.sampled_from([*names, *(n.upper() for n in names), *(n.replace("&", "and") for n in names)])


def parser(column):
    return column.parse.func if isinstance(column.parse, partial) else column.parse


def valid(column, index):
    """A value this column accepts, as someone filling it in might type it; keys are unique per row."""
    parse = parser(column)
    if column.key == "reference":
        return st.sampled_from([f"A{index:02}", f"R{index}", f"{index}.1"])
    if column.key == "number":
        return st.sampled_from([index, float(index), str(index)])
    if column.key == "service" or column.header == "Measure":
        return st.just(f"Key {index:02}")
    if column.choices:
        return spellings(column.choices)
    if parse is cells.lines:
        lines = st.lists(
            st.sampled_from(["Develop", "Deliver placements", "Review", "○ Audit", "- Report"]), max_size=4
        )
        return lines.map(lambda items: "\n".join(f"• {item}" for item in items))
    if parse is cells.date:
        return st.one_of(dates, datetimes, dates.map(lambda d: d.strftime("%d/%m/%Y")), st.just("31 March 2022"))
    if parse is cells.financial_year:
        return st.integers(1990, 2040).flatmap(
            lambda year: st.sampled_from([year, f"{year}/{(year + 1) % 100:02}", f"{year}-{year + 1}"])
        )
    if parse in (cells.money, cells.number):
        amounts = st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False)
        if parse is cells.number:
            return st.one_of(amounts.map("{:,}".format), amounts.map(float), st.sampled_from(["30.7%", "-2", "0.67"]))
        return st.one_of(
            amounts.map("£{:,}".format),
            amounts.map(float),
            st.integers(0, 10**9),
            st.sampled_from(["£18.085m", "12k", "120000"]),
        )
    if parse is cells.percent:
        return st.one_of(st.none(), st.integers(0, 100), st.floats(0, 1), st.integers(0, 100).map("{}%".format))
    if parse is cells.whole_number:
        return st.integers(column.parse.keywords.get("low", 1), column.parse.keywords.get("high", 1000))
    if column.key == "national_outcomes":
        return st.lists(st.integers(1, 15), max_size=3).map(lambda numbers: ", ".join(map(str, numbers)))
    if column.required:
        return texts.map("Stated: {}".format)
    return st.one_of(texts, st.just("Senior Manager (Protection & Learning)"))


def figure(value):
    """The number a cell holds, if it holds one (as a number or as text), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        found = Decimal(cells.text(value).replace("£", "").replace(",", ""))
        return found.copy_abs() if found.is_finite() else None  # copy_abs: no context, so no Overflow
    except DecimalException:
        return None


def rarely(draw, n):
    """True one time in 2**n (Hypothesis favours the ends of an integer range, so that is not used for this)."""
    return all(draw(st.booleans()) for _ in range(n))


@st.composite
def cell(draw, column, chaos, index=0):
    """A valid cell or, chaos times in a hundred, anything at all (but never a known bug's trigger)."""
    wild = draw(st.integers(0, 99)) < chaos
    value = draw(any_cell if wild or column == RESULT else valid(column, index))
    return value


@st.composite
def rows_for(draw, sheet, chaos, *, min_size=0, max_size=6):
    key = next(column for column in sheet.columns if column.required)
    rows = []
    for index in range(1, draw(st.integers(min_size, max_size)) + 1):
        row = [draw(cell(column, chaos, index)) for column in sheet.columns]
        if rows and rarely(draw, 3):  # a duplicate key, perhaps in another case
            position = sheet.columns.index(key)
            copied = rows[-1][position]
            row[position] = copied.lower() if isinstance(copied, str) and draw(st.booleans()) else copied
        rows.append(row)
    return rows


@st.composite
def workbooks(draw):
    """A workbook's sheets as {sheet name: [header row, *rows]}, and whether '=' text is saved as a formula."""
    chaos = 0 if draw(st.booleans()) else draw(st.sampled_from([1, 3, 10, 50, 100]))
    title = f"Fuzzed plan {next(TITLES)}"
    plan_row = [PARTNERSHIP, draw(spellings([("sip", "Service improvement plan")])), title, "2021/22"]
    sheets = {
        "Plan": [
            ["Partnership", "Kind", "Title", "First financial year", "Summary", "Status"],
            plan_row + [draw(texts), draw(st.sampled_from(["", "Draft", "Published"]))],
        ]
    }
    optional = [sheet for sheet in (MEASURES, BUDGET, EFFICIENCIES, RISKS) if draw(st.booleans())]
    for sheet in [ACTIONS, *optional]:
        headers = list(sheet.headers)
        rows = draw(rows_for(sheet, chaos, min_size=1 if sheet is ACTIONS else 0))
        if sheet is MEASURES:
            years = draw(st.lists(st.integers(2018, 2023), max_size=2, unique=True))
            headers += [f"{year}/{(year + 1) % 100:02} result" for year in years]
            rows = [row + [draw(cell(RESULT, chaos)) for _ in years] for row in rows]
        if rarely(draw, 5):  # now and then a column is missing altogether
            headers[draw(st.integers(0, len(sheet.columns) - 1))] = ""
        sheets[sheet.name] = [headers, *rows]
    return sheets, draw(st.booleans())


def xlsx(sheets, *, formulas=False):
    """The workbook's bytes. Text starting '=' is a formula (no cached value) if formulas, else typed text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
        if not formulas:
            for row_cells in worksheet.iter_rows():
                for each in row_cells:
                    if isinstance(each.value, str) and each.value.startswith("="):
                        each.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def database_counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def read_everything_back():
    """Load every row of every counted model, converting each value from the database as a page would."""
    for model in COUNTED:
        list(model.objects.values_list())


@pytest.fixture
def outcomes(db):
    NationalOutcome.objects.bulk_create(
        NationalOutcome(number=n, group="Fuzz", text=f"National outcome {n}") for n in range(1, 16)
    )


@pytest.fixture
def users(superuser, partnership_admin):
    return {"superuser": superuser, "partnership admin": partnership_admin}


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=40,
    deadline=None,
    database=None,  # nothing saved under .hypothesis/ in the repository
    # CI replays one fixed set of examples so that a submission's result is repeatable; local runs explore.
    derandomize=bool(os.environ.get("CI")),
)
@given(workbook=workbooks(), who=st.sampled_from(["superuser", "partnership admin"]))
def test_an_import_never_errors_and_is_all_or_nothing(partnership, outcomes, users, workbook, who):
    sheets, formulas = workbook
    content = xlsx(sheets, formulas=formulas)
    with transaction.atomic():  # each example starts from the same database, and leaves it so
        before = database_counts()
        result = plan_import(content=content, filename="fuzz.xlsx", user=users[who], dry_run=False)
        after = database_counts()
        event("written" if result.written else "refused")
        if result.written:
            assert result.problems == []
            assert result.plan.partnership == partnership
            assert result.plan.actions.count() == result.counts.get("Actions", {}).get("created", 0)
            read_everything_back()
        else:
            assert result.problems, "a refused import says why"
            assert after == before
        transaction.set_rollback(True)


# --- edge cells Hypothesis found interesting ------------------------------------------------------------------------

PLAN_SHEET = [["Partnership", "Kind", "Title", "First financial year"], [PARTNERSHIP, "sip", "Edge cells", "2021/22"]]


def actions_sheet(*rows):
    """An Actions sheet from {header: value} rows."""
    return [list(ACTIONS.headers), *([row.get(header) for header in ACTIONS.headers] for row in rows)]


def run(superuser, **sheets):
    return plan_import(
        content=xlsx({"Plan": PLAN_SHEET, **sheets}), filename="edge.xlsx", user=superuser, dry_run=False
    )


def test_a_row_holding_only_a_false_cell_is_a_row_missing_its_required_cells(superuser, partnership):
    """A stray FALSE is not a blank cell, so its row is read, and refused for what it lacks; nothing is written."""
    before = database_counts()
    result = run(superuser, Actions=actions_sheet({"Reference": "A01", "Theme & outcome": "Safe"}, {"Category": False}))
    assert not result.written
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (3, "Reference", "This cell is required."),
        (3, "Category", "'False' is not a category. Use one of: Recovery & Renewal, Transformation, Ongoing."),
        (3, "Theme & outcome", "This cell is required."),
    ]
    assert database_counts() == before


def test_references_are_duplicates_whatever_their_cell_type_or_case(superuser, partnership):
    """1 (a number), 1.0 (a float) and '1' (text) are one reference, as are 'a01' and 'A01'."""
    before = database_counts()
    result = run(
        superuser,
        Actions=actions_sheet(
            {"Reference": 1, "Theme & outcome": "One"},
            {"Reference": 1.0, "Theme & outcome": "One again"},
            {"Reference": "1", "Theme & outcome": "One as text"},
            {"Reference": "A01", "Theme & outcome": "Two"},
            {"Reference": "a01", "Theme & outcome": "Two again"},
        ),
    )
    assert not result.written
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "Duplicate of row 2."),
        (4, "Duplicate of row 2."),
        (6, "Duplicate of row 5."),
    ]
    assert database_counts() == before


def test_bullets_line_breaks_and_leading_signs_in_action_steps(superuser, partnership):
    """Steps split on LF, CRLF and CR; bullets go, a hyphen only with a space after it; '=' text stays text."""
    steps = "• Develop\r\n○ Deliver\r▪ Review\n- Report\n-5 days\n•\n\n=1+1\n+44 1563\n@risk\na\u2028b"
    result = run(
        superuser, Actions=actions_sheet({"Reference": "A01", "Theme & outcome": "Safe", "Action steps": steps})
    )
    assert result.problems == []
    action = result.plan.actions.get()
    assert [step.text for step in action.steps.all()] == [
        "Develop",
        "Deliver",
        "Review",
        "Report",
        "-5 days",
        "=1+1",
        "+44 1563",
        "@risk",
        "a\u2028b",
    ]


# --- bugs found (strict xfail: each passes once its bug is fixed) ---------------------------------------------------

REFUSED_WITHOUT_A_CRASH = "refused"
WRITTEN_AND_READABLE = "readable"


def known(name, reason, sheets, expected, where=None):
    """A cell that once broke the import (`reason` says how), kept as a regression test."""
    return pytest.param(sheets, expected, where, id=name)


def row_of(sheet, **values):
    return [list(sheet.headers), [values.get(header) for header in sheet.headers]]


MEASURE = {"Dashboard theme": "Process", "Measure": "M1", "Unit": "Number", "Direction": "Increase", "Target": "90"}
EFFICIENCY = {"No": 1, "Division of service": "Locality", "Option": "Kinship", "Planned saving £": 100}
FIXED_BUGS = [
    known(
        "bool-in-money",
        "a TRUE/FALSE cell in a money or number column: cells.money and cells.number pass a bool (an int) to "
        "Decimal(str(value)) -> Decimal('True') -> decimal.InvalidOperation",
        {"Budget": row_of(BUDGET, Service="Justice", **{"Financial year": "2021/22", "Budget £": True})},
        REFUSED_WITHOUT_A_CRASH,
        ("Budget", "Budget £"),
    ),
    known(
        "bool-in-number",
        "the same, for the Measures 'Target figure' (cells.number)",
        {"Measures": row_of(MEASURES, **MEASURE, **{"Target figure": False})},
        REFUSED_WITHOUT_A_CRASH,
        ("Measures", "Target figure"),
    ),
    known(
        "money-exponent-overflow",
        "an exponent beyond Decimal's context: Decimal('1e999999999') * multiplier (cells.money) and abs() "
        "(cells.number) raise decimal.Overflow, which the 'except InvalidOperation' does not catch",
        {"Budget": row_of(BUDGET, Service="Justice", **{"Financial year": "2021/22", "Budget £": "1e999999999"})},
        REFUSED_WITHOUT_A_CRASH,
        ("Budget", "Budget £"),
    ),
    known(
        "score-1e5000",
        "a score like '1e5000': cells.whole_number builds a 5001-digit int and formatting it for the message "
        "raises ValueError (Python's int-to-str digit limit); '1e1000000' burns ~25 s of CPU first",
        {"Risks": row_of(RISKS, Reference="R1", Title="Risk", **{"Likelihood (1-5)": "1e5000"})},
        REFUSED_WITHOUT_A_CRASH,
        ("Risks", "Likelihood (1-5)"),
    ),
    known(
        "efficiency-no-overflow",
        "an efficiency number too big for the database: the No column has no upper bound, and 10**19 "
        "overflows SQLite's INTEGER (OverflowError at insert)",
        {"Efficiencies": row_of(EFFICIENCIES, **EFFICIENCY | {"No": 10**19})},
        REFUSED_WITHOUT_A_CRASH,
        ("Efficiencies", "No"),
    ),
    known(
        "efficiency-no-smallint",
        "an efficiency number beyond a PositiveSmallIntegerField (32767) is written on SQLite; PostgreSQL "
        "raises DataError (smallint out of range), a server error",
        {"Efficiencies": row_of(EFFICIENCIES, **EFFICIENCY | {"No": 40_000})},
        REFUSED_WITHOUT_A_CRASH,
        ("Efficiencies", "No"),
    ),
    known(
        "huge-measure-result",
        "a measure result too big for its column: importer._result_state takes Decimal(str(raw)) of a number "
        "cell unbounded; 1e30 is written, then every read of the result fails (decimal.InvalidOperation "
        "in the SQLite converter), and PostgreSQL raises DataError (numeric field overflow) at import",
        {"Measures": [[*MEASURES.headers, "2020/21 result"], [*row_of(MEASURES, **MEASURE)[1], 1e30]]},
        WRITTEN_AND_READABLE,
    ),
    known(
        "huge-efficiency-saving",
        "an efficiency saving too big for its column: cells.money allows up to 1e12, but planned_saving is "
        "max_digits=12 (below 1e10); £50bn is written and then every read of the efficiency fails",
        {"Efficiencies": row_of(EFFICIENCIES, **EFFICIENCY | {"Planned saving £": "£50,000,000,000"})},
        REFUSED_WITHOUT_A_CRASH,
        ("Efficiencies", "Planned saving £"),
    ),
    known(
        "reference-too-long",
        "text longer than its CharField (Reference is max_length=20) is written on SQLite, which ignores "
        "lengths; PostgreSQL raises DataError (value too long), a server error",
        {"Actions": actions_sheet({"Reference": "A" * 21, "Theme & outcome": "Safe"})},
        REFUSED_WITHOUT_A_CRASH,
        ("Actions", "Reference"),
    ),
]


@pytest.mark.parametrize(("sheets", "expected", "where"), FIXED_BUGS)
def test_cells_that_once_broke_the_import(superuser, partnership, sheets, expected, where):
    sheets = {"Actions": actions_sheet({"Reference": "A01", "Theme & outcome": "Safe"})} | sheets
    before = database_counts()
    try:
        result = run(superuser, **sheets)
    except Exception as error:  # any exception is the bug
        crash = f"plan_import raised {error.__class__.__module__}.{error!r}"
    else:
        crash = None
    finally:
        gc.collect()  # the half-read workbook of a crash is closed now, not noisily at exit
    assert crash is None, crash
    if expected == WRITTEN_AND_READABLE:
        assert result.written, result.problems
        read_everything_back()
    else:
        assert not result.written
        assert database_counts() == before
        if where:
            assert where in [(p.sheet, p.column) for p in result.problems], result.problems


def test_a_sheet_with_malformed_xml_is_refused_not_a_crash(superuser, partnership):
    """Once a ParseError escaped from reading a sheet; a control character in the XML stands in for any damage."""
    content = xlsx({"Plan": PLAN_SHEET, "Actions": actions_sheet({"Reference": "A01", "Theme & outcome": "MARKER"})})
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(b"MARKER", b"Safe \x01"))
    before = database_counts()
    result = plan_import(content=damaged.getvalue(), filename="damaged.xlsx", user=superuser, dry_run=False)
    assert not result.written
    assert database_counts() == before
    assert [(p.sheet, p.message) for p in result.problems] == [
        ("File", "Part of the workbook could not be read (ParseError); save it again from Excel and retry.")
    ]
