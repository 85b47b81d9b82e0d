"""Bad uploads get a clear problem (sheet, row, column) and write nothing; tolerant parsing still succeeds.

Every failing import here runs with dry_run=False, so "nothing written" is a real claim: a
failed import rolls back whatever it had begun to write.
"""

import csv
import datetime
import io
import random
import re
import zipfile
from collections import Counter
from decimal import Decimal

import pytest
from openpyxl import Workbook

from dashboard.models import MeasureResult, QualityMeasure
from dashboard.workbook import MEASURES
from plans.choices import ActionCategory, ActionStatus
from plans.import_services import plan_import
from plans.models import (
    ActionStep,
    BudgetLine,
    ImprovementAction,
    Partnership,
    Plan,
    PlannedEfficiency,
    Service,
)
from plans.workbook import reader
from plans.workbook.reader import Problem
from plans.workbook.schema import ACTIONS, BUDGET, EFFICIENCIES, PLAN
from risks.models import Risk

PARTNERSHIP = "East Ayrshire Test HSCP"  # the `partnership` fixture's name
TITLE = "Bad Input Test Plan"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RAG_CHOICES = "Not yet assessed, Red, Amber, Green, Complete"
DATE_HELP = "Use 31/03/2021, 31 March 2021 or 2021-03-31."

GOOD_ACTION = {"Reference": "A01", "Theme & outcome": "Children are safe", "RAG status": "Amber"}
GOOD_MEASURE = {
    "Dashboard theme": "Process",
    "Measure": "Child protection decisions within timescales",
    "Unit": "Percentage",
    "Direction": "Reach target",
    "Target": "90%",
}
GOOD_EFFICIENCY = {"No": 1, "Division of service": "Locality Services", "Option": "Kinship", "Planned saving £": 5000}


# --- building workbooks ---------------------------------------------------------------------------


def make_workbook(sheets: dict[str, list[list]], *, merges: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx with one sheet per key, in order (so sheet n is xl/worksheets/sheet{n}.xml)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            worksheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_for(sheet, *rows, headers=None):
    """A header row (the schema's headers, in order) and one list per dict of header -> value.

    A row that is None stays an empty spreadsheet row.
    """
    headers = headers or sheet.headers
    for row in rows:
        assert row is None or set(row) <= set(headers), set(row) - set(headers)  # no misspelt headers
    return [headers, *([] if row is None else [row.get(header) for header in headers] for row in rows)]


def plan_rows(**overrides):
    plan = {"Partnership": PARTNERSHIP, "Kind": "Service improvement plan", "Title": TITLE}
    return rows_for(PLAN, plan | {"First financial year": "2022/23"} | overrides)


def base_sheets(*actions, **sheets):
    """Plan, Actions (default: one good action), an empty Measures, and any other sheets as lists of rows."""
    return {
        "Plan": plan_rows(),
        "Actions": rows_for(ACTIONS, *(actions or [GOOD_ACTION])),
        "Measures": [MEASURES.headers],  # a required sheet, though it may have no rows
    } | sheets


def book(*actions, merges=None, **sheets):
    return make_workbook(base_sheets(*actions, **sheets), merges=merges)


def write_only_book(actions_rows):
    """Plan, Actions and an empty Measures, streamed with a write-only workbook (fast for big sheets)."""
    workbook = Workbook(write_only=True)
    for name, rows in base_sheets(Actions=actions_rows).items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_letter(sheet, header):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sheet.headers.index(header)]


def patch_sheet(content, sheet_number, pattern, replacement):
    """Rewrite sheet n's XML inside the zip (one regex substitution, which must match)."""
    member = f"xl/worksheets/sheet{sheet_number}.xml"
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                text, replaced = re.subn(pattern, lambda _: replacement, data.decode(), count=1)
                assert replaced == 1, f"{pattern!r} not in {member}"
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


def patch_cell(content, sheet_number, ref, cell_xml):
    """Replace one cell's XML: openpyxl cannot write a formula together with its cached value."""
    return patch_sheet(content, sheet_number, rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', cell_xml)


def docx_bytes():
    """A minimal Word document: a zip, but with no workbook part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


# --- running imports and checking what happened ---------------------------------------------------


def snapshot():
    models = (
        Partnership,
        Plan,
        ImprovementAction,
        ActionStep,
        QualityMeasure,
        MeasureResult,
        BudgetLine,
        PlannedEfficiency,
        Service,
        Risk,
    )
    return {model.__name__: model.objects.count() for model in models}


def run(content, user, filename="plan.xlsx", **kwargs):
    return plan_import(content=content, filename=filename, user=user, dry_run=False, **kwargs)


def where(result):
    return [(p.sheet, p.row, p.column) for p in result.problems]


def assert_refused(result, before, *expected):
    """The import reports exactly these problems (sheet, row, column, message part) and wrote nothing."""
    assert where(result) == [(sheet, row, column) for sheet, row, column, _ in expected], result.problems
    for problem, (*_, message) in zip(result.problems, expected, strict=True):
        assert message in problem.message, (problem.message, message)
    assert result.written is False
    assert snapshot() == before


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The factories hash a password for every user; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(partnership_admin):
    return partnership_admin


@pytest.fixture
def before(admin):
    return snapshot()


# --- the file itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("notes.txt", b"Reference,Theme\nA01,Children are safe\n", "Upload an Excel workbook (.xlsx) or a CSV file"),
        ("plan.docx", docx_bytes(), "Upload an Excel workbook (.xlsx) or a CSV file"),
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "Upload an Excel workbook"),
        ("plan.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "is not a valid .xlsx workbook"),
        ("plan.xlsx", docx_bytes(), "could not be opened (OSError); it may be corrupt"),
        ("plan.xlsx", b"", "is not a valid .xlsx workbook"),
    ],
    ids=["txt", "docx", "pdf", "pdf-named-xlsx", "docx-named-xlsx", "empty-file"],
)
def test_a_file_that_is_not_a_workbook_is_refused(admin, before, filename, content, message):
    result = run(content, admin, filename=filename)
    assert_refused(result, before, ("File", None, "", message))
    assert result.plan is None and result.counts == {}


def test_a_real_workbook_with_a_non_excel_name_is_refused(admin, before):
    assert_refused(run(book(), admin, filename="plan.docx"), before, ("File", None, "", "Upload an Excel workbook"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (random.Random(1).randbytes(4096), "is not a valid .xlsx workbook (it may be corrupt)"),
        (b"PK\x03\x04" + random.Random(2).randbytes(4096), "could not be opened (BadZipFile); it may be corrupt"),
    ],
    ids=["random-bytes", "zip-magic-then-garbage"],
)
def test_a_corrupt_workbook_is_refused(admin, before, content, message):
    assert_refused(run(content, admin), before, ("File", None, "", message))


@pytest.mark.parametrize("keep", [0.5, 0.9], ids=["half", "most"])
def test_a_truncated_workbook_is_refused(admin, before, keep):
    content = book()
    truncated = content[: int(len(content) * keep)]
    result = run(truncated, admin)
    assert_refused(result, before, ("File", None, "", "could not be opened (BadZipFile); it may be corrupt"))
    assert run(content, admin).written  # the whole file imports: it was the truncation


def test_a_password_protected_workbook_is_refused(admin, before):
    encrypted = OLE_MAGIC + random.Random(3).randbytes(8192)  # what Excel saves when a password is set
    result = run(encrypted, admin)
    assert_refused(result, before, ("File", None, "", "password-protected or an old .xls file"))
    assert "Save it as an unprotected .xlsx workbook" in result.problems[0].message


def test_a_file_over_the_size_limit_is_refused(admin, before, settings):
    content = book()
    settings.IMPORT_MAX_BYTES = len(content) - 1
    result = run(content, admin)
    assert_refused(result, before, ("File", None, "", "the limit is"))
    assert result.problems[0].message.startswith("The file is ")

    settings.IMPORT_MAX_BYTES = len(content)  # exactly at the limit is allowed
    assert run(content, admin).written


def test_the_size_limit_message_states_a_limit_below_one_megabyte(admin, before, settings):
    settings.IMPORT_MAX_BYTES = 500_000
    result = run(b"PK\x03\x04" + bytes(600_000), admin)
    assert_refused(result, before, ("File", None, "", "the limit is 500 kB"))


def test_a_sheet_over_the_row_limit_is_refused_without_reading_the_rest(admin, before, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 100
    rows_read = Counter()
    read_rows = reader._read_rows

    def counting_read_rows(sheet, rows, parsed, on_row):
        def counted():
            for row in rows:
                rows_read[sheet.name] += 1
                yield row

        return read_rows(sheet, counted(), parsed, on_row)

    monkeypatch.setattr(reader, "_read_rows", counting_read_rows)
    rows = (["Reference", "Theme & outcome"], *([f"A{n:06d}", "Children are safe"] for n in range(1, 5_001)))
    content = write_only_book(rows)

    result = run(content, admin)
    assert_refused(result, before, ("Actions", 102, "", "The sheet has more than 100 rows"))
    assert "Split it into several files" in result.problems[0].message
    # The heading, the 100 rows allowed and the one over: the other 4,899 rows are never read.
    assert rows_read["Actions"] == 102


def test_blank_rows_do_not_count_towards_the_row_limit(admin, before, settings):
    settings.IMPORT_MAX_ROWS = 100
    # [] is written as <row r="n"/>: what a formatted but otherwise empty row looks like in the sheet XML
    content = write_only_book([*rows_for(ACTIONS, GOOD_ACTION, GOOD_ACTION | {"Reference": "A02"}), *[[]] * 200])

    result = run(content, admin)
    assert result.problems == []
    assert result.written


def test_a_stale_sheet_dimension_does_not_drop_rows(admin):
    content = book(GOOD_ACTION, GOOD_ACTION | {"Reference": "A02"}, GOOD_ACTION | {"Reference": "A03"})
    content = patch_sheet(content, 2, r'<dimension ref="[A-Z0-9:]+"\s*/>', '<dimension ref="A1:P2" />')
    result = run(content, admin)
    assert result.written
    assert sorted(result.plan.actions.values_list("reference", flat=True)) == ["A01", "A02", "A03"]


# --- sheets and columns ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["Plan", "Actions"])
def test_a_missing_required_sheet_is_named(admin, before, missing):
    sheets = base_sheets()
    del sheets[missing]
    result = run(make_workbook(sheets), admin)
    assert result.problems == [Problem(missing, None, "", f"The workbook has no '{missing}' sheet.")]
    assert_refused(result, before, (missing, None, "", "sheet."))


def test_a_workbook_with_only_plan_and_actions_imports_as_the_template_says(admin):
    sheets = base_sheets()
    del sheets["Measures"]
    result = run(make_workbook(sheets), admin)
    assert result.problems == []
    assert result.written


def test_a_missing_required_column_is_named(admin, before):
    headers = [h for h in ACTIONS.headers if h != "Reference"]
    content = book(Actions=rows_for(ACTIONS, {"Theme & outcome": "Children are safe"}, headers=headers))
    result = run(content, admin)
    assert_refused(result, before, ("Actions", 1, "Reference", "Required column missing."))


def test_every_missing_required_column_is_named_at_once(admin, before):
    headers = ["Reference", "Measure", "Unit"]
    content = book(Measures=rows_for(MEASURES, {"Measure": "Decisions on time", "Unit": "Percentage"}, headers=headers))
    result = run(content, admin)
    assert_refused(result, before, ("Measures", 1, "Direction, Target", "Required column missing."))


def test_an_optional_sheet_with_only_headers_imports_nothing_from_it(admin):
    result = run(book(Budget=[BUDGET.headers]), admin)
    assert result.problems == []
    assert result.written
    assert not BudgetLine.objects.exists()


# --- cell values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("RAG status", "Purple", f"'Purple' is not a RAG status. Use one of: {RAG_CHOICES}."),
        ("RAG status", "G", "'G' is not a RAG status."),
        ("Category", "Business as usual", "'Business as usual' is not a category. Use one of: Recovery & Renewal"),
        ("Review frequency", "Fortnightly", "'Fortnightly' is not a review frequency."),
    ],
)
def test_an_unknown_choice_on_actions_is_named(admin, before, header, value, message):
    result = run(book(GOOD_ACTION | {header: value}), admin)
    assert_refused(result, before, ("Actions", 2, header, message))


def test_an_unknown_direction_on_measures_is_named(admin, before):
    measures = rows_for(MEASURES, GOOD_MEASURE, GOOD_MEASURE | {"Measure": "Second", "Direction": "Upwards"})
    result = run(book(Measures=measures), admin)
    assert_refused(
        result, before, ("Measures", 3, "Direction", "'Upwards' is not a direction. Use one of: Increase, Reduce")
    )


def test_an_unknown_plan_kind_is_named(admin, before):
    content = book(Plan=plan_rows(Kind="Annual report"))
    assert_refused(run(content, admin), before, ("Plan", 2, "Kind", "'Annual report' is not a plan kind."))


@pytest.mark.parametrize("value", ["31/02/2021", "next spring", "2021-13-01", "March 2022", "31/03/2021 or later"])
def test_a_bad_date_is_named(admin, before, value):
    result = run(book(GOOD_ACTION | {"Due date": value}), admin)
    assert_refused(result, before, ("Actions", 2, "Due date", f"'{value}' is not a date. {DATE_HELP}"))


@pytest.mark.parametrize("value", ["-£5,000", "£-5,000", -5000, "-5k"])
def test_negative_money_in_the_budget_is_refused(admin, before, value):
    budget = rows_for(BUDGET, {"Service": "Justice Social Work", "Financial year": "2022/23", "Budget £": value})
    result = run(book(Budget=budget), admin)
    assert_refused(result, before, ("Budget", 2, "Budget £", "is negative; amounts must be zero or more."))


@pytest.mark.parametrize("header", ["Planned saving £", "Delivered saving £"])
def test_negative_money_in_efficiencies_is_refused(admin, before, header):
    efficiencies = rows_for(EFFICIENCIES, GOOD_EFFICIENCY | {header: "-£5,000"})
    result = run(book(Efficiencies=efficiencies), admin)
    assert_refused(result, before, ("Efficiencies", 2, header, "'-£5,000' is negative; amounts must be zero or more."))


def test_money_that_is_not_an_amount_is_named(admin, before):
    budget = rows_for(BUDGET, {"Service": "Justice", "Financial year": "2022/23", "Budget £": "about £2m"})
    result = run(book(Budget=budget), admin)
    assert_refused(result, before, ("Budget", 2, "Budget £", "'about £2m' is not an amount of money, like £120,000."))


def test_every_bad_cell_is_reported_with_its_row_and_column(admin, before):
    result = run(
        book(
            GOOD_ACTION | {"RAG status": "Purple"},
            GOOD_ACTION | {"Reference": "A02", "Due date": "next spring", "% complete": "140%"},
            {"Reference": "A03"},
        ),
        admin,
    )
    assert_refused(
        result,
        before,
        ("Actions", 2, "RAG status", "'Purple' is not a RAG status."),
        ("Actions", 3, "Due date", "'next spring' is not a date."),
        ("Actions", 3, "% complete", "140% is outside 0% to 100%."),
        ("Actions", 4, "Theme & outcome", "This cell is required."),
    )


@pytest.mark.parametrize("value", ["NaN", "1e40", "Infinity"])
def test_a_non_finite_or_huge_amount_is_a_problem_not_a_crash(admin, before, value):
    budget = rows_for(BUDGET, {"Service": "Justice", "Financial year": "2022/23", "Budget £": value})
    result = run(book(Budget=budget), admin)
    assert_refused(result, before, ("Budget", 2, "Budget £", "is not an amount of money"))


@pytest.mark.parametrize("value", ["NaN%", "nan"])
def test_a_nan_percentage_is_a_problem_not_a_crash(admin, before, value):
    result = run(book(GOOD_ACTION | {"% complete": value}), admin)
    assert_refused(result, before, ("Actions", 2, "% complete", "is not a percentage"))


def test_a_nan_efficiency_number_is_a_problem_not_a_crash(admin, before):
    efficiencies = rows_for(EFFICIENCIES, GOOD_EFFICIENCY | {"No": "NaN"})
    result = run(book(Efficiencies=efficiencies), admin)
    assert_refused(result, before, ("Efficiencies", 2, "No", "is not a whole number"))


def test_a_fractional_efficiency_number_is_refused(admin, before):
    efficiencies = rows_for(EFFICIENCIES, GOOD_EFFICIENCY | {"No": "1.5"})
    result = run(book(Efficiencies=efficiencies), admin)
    assert_refused(result, before, ("Efficiencies", 2, "No", "'1.5' is not a whole number."))


def test_a_result_column_with_an_impossible_year_is_a_problem_not_a_crash(admin, before):
    headers = [*MEASURES.headers, "2021/23 result"]
    measures = rows_for(MEASURES, GOOD_MEASURE | {"2021/23 result": "85%"}, headers=headers)
    result = run(book(Measures=measures), admin)
    assert_refused(result, before, ("Measures", 1, "2021/23 result", "is not a financial year"))


# --- duplicates -----------------------------------------------------------------------------------


def test_two_actions_with_the_same_reference_are_refused(admin, before):
    result = run(
        book(
            GOOD_ACTION,
            GOOD_ACTION | {"Reference": "A02"},
            GOOD_ACTION | {"Reference": "A01", "Theme & outcome": "Another outcome"},
            GOOD_ACTION | {"Reference": "a02"},  # references match whatever their case
        ),
        admin,
    )
    assert_refused(
        result,
        before,
        ("Actions", 4, "Reference", "Duplicate of row 2."),
        ("Actions", 5, "Reference", "Duplicate of row 3."),
    )


def test_two_efficiencies_with_the_same_number_are_refused(admin, before):
    efficiencies = rows_for(
        EFFICIENCIES, GOOD_EFFICIENCY, GOOD_EFFICIENCY | {"No": "1", "Option": "Residential care review"}
    )
    result = run(book(Efficiencies=efficiencies), admin)
    assert_refused(result, before, ("Efficiencies", 3, "No", "Duplicate of row 2."))


# --- formulas -------------------------------------------------------------------------------------

TITLE_REF = column_letter(ACTIONS, "Theme & outcome") + "2"  # D2
PERCENT_REF = column_letter(ACTIONS, "% complete") + "2"  # P2


def test_a_formula_gives_its_cached_value_and_is_never_evaluated(admin):
    content = book(GOOD_ACTION | {"Theme & outcome": "PLACEHOLDER", "% complete": "PLACEHOLDER"})
    content = patch_cell(content, 2, TITLE_REF, f'<c r="{TITLE_REF}" t="str"><f>1+1</f><v>Cached title</v></c>')
    content = patch_cell(content, 2, PERCENT_REF, f'<c r="{PERCENT_REF}"><f>0.2*2</f><v>0.75</v></c>')
    result = run(content, admin)
    assert result.problems == []
    action = result.plan.actions.get()
    assert action.title == "Cached title"  # not "=1+1", and not 2
    assert action.percent_complete == 75  # the cached 0.75, not the formula's 0.4


@pytest.mark.parametrize(
    "cell_xml",
    [f'<c r="{TITLE_REF}"><f>1+1</f></c>', f'<c r="{TITLE_REF}" t="str"><f>A1&amp;B1</f><v></v></c>'],
    ids=["no-v", "empty-v"],
)
def test_a_formula_without_a_cached_value_is_an_empty_cell(admin, before, cell_xml):
    content = patch_cell(book(GOOD_ACTION | {"Theme & outcome": "PLACEHOLDER"}), 2, TITLE_REF, cell_xml)
    result = run(content, admin)
    assert_refused(result, before, ("Actions", 2, "Theme & outcome", "This cell is required."))


def test_text_that_looks_like_a_formula_is_kept_as_text(admin):
    workbook_bytes = book(GOOD_ACTION | {"Theme & outcome": "PLACEHOLDER"})
    content = patch_cell(
        workbook_bytes, 2, TITLE_REF, f'<c r="{TITLE_REF}" t="inlineStr"><is><t>=SUM(A1:A2)</t></is></c>'
    )
    result = run(content, admin)
    assert result.problems == []
    assert result.plan.actions.get().title == "=SUM(A1:A2)"


# --- merged cells ---------------------------------------------------------------------------------


def test_merged_cells_are_refused_naming_the_range(admin, before):
    content = book(
        GOOD_ACTION,
        GOOD_ACTION | {"Reference": "A02"},
        merges={"Actions": ["D2:E2", "I2:I3"]},
    )
    result = run(content, admin)
    assert_refused(result, before, ("Actions", None, "", "): unmerge them and fill in each cell."))
    ranges = re.fullmatch(r"Merged cells \((.*)\): .*", result.problems[0].message).group(1)
    assert sorted(ranges.split(", ")) == ["D2:E2", "I2:I3"]  # in whatever order the sheet lists them


def test_merged_cells_on_an_optional_sheet_are_refused(admin, before):
    efficiencies = rows_for(EFFICIENCIES, GOOD_EFFICIENCY, GOOD_EFFICIENCY | {"No": 2})
    content = book(Efficiencies=efficiencies, merges={"Efficiencies": ["B2:B3"]})
    assert_refused(run(content, admin), before, ("Efficiencies", None, "", "Merged cells (B2:B3)"))


# --- empty rows -----------------------------------------------------------------------------------

BLANK = dict.fromkeys(ACTIONS.headers, "   ")  # a row of spaces counts as empty


def test_empty_rows_in_the_middle_are_skipped(admin):
    content = book(GOOD_ACTION, None, BLANK, GOOD_ACTION | {"Reference": "A02"}, None, None)
    result = run(content, admin)
    assert result.problems == []
    assert result.written
    assert result.counts["Actions"]["created"] == 2
    assert list(result.plan.actions.order_by("order").values_list("reference", flat=True)) == ["A01", "A02"]


def test_problems_after_empty_rows_name_the_spreadsheet_row(admin, before):
    content = book(
        GOOD_ACTION,  # row 2
        None,  # row 3
        BLANK,  # row 4
        GOOD_ACTION | {"Reference": "A02"},  # row 5
        None,  # row 6
        GOOD_ACTION | {"Reference": "A03", "RAG status": "Purple"},  # row 7
    )
    result = run(content, admin)
    assert_refused(result, before, ("Actions", 7, "RAG status", "'Purple' is not a RAG status."))

    duplicate_after_gaps = book(GOOD_ACTION, None, BLANK, GOOD_ACTION | {"Reference": "A02"}, None, None, GOOD_ACTION)
    result = run(duplicate_after_gaps, admin)  # the importer's problems count rows the same way
    assert_refused(result, before, ("Actions", 8, "Reference", "Duplicate of row 2."))


# --- who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "viewer", "outsider"])
def test_only_a_partnership_admin_may_import_a_plan(request, partnership, who):
    user = request.getfixturevalue(who)
    before = snapshot()
    result = run(book(), user)
    assert_refused(result, before, ("Plan", 2, "Partnership", f"You are not a partnership admin of {PARTNERSHIP}."))
    assert not Plan.objects.filter(title=TITLE).exists()


def test_a_manager_may_not_import_a_section_into_an_existing_plan(owner, plan):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ACTIONS.headers)
    writer.writerow([{"Reference": "A09", "Theme & outcome": "Children are safe"}.get(h, "") for h in ACTIONS.headers])
    before = snapshot()
    result = run(buffer.getvalue().encode(), owner, filename="actions.csv", plan=plan)
    assert_refused(result, before, ("File", None, "", f"You are not a partnership admin of {PARTNERSHIP}."))
    assert not plan.actions.filter(reference="A09").exists()


NEW_PARTNERSHIP = "Brand New Health and Social Care Partnership"


def test_a_partnership_admin_may_not_create_a_new_partnership(admin, before):
    result = run(book(Plan=plan_rows(Partnership=NEW_PARTNERSHIP)), admin, allow_new_partnership=True)
    assert_refused(result, before, ("Plan", 2, "Partnership", f"You are not a partnership admin of {NEW_PARTNERSHIP}"))
    assert not Partnership.objects.filter(name=NEW_PARTNERSHIP).exists()


def test_a_new_partnership_whose_kind_is_unclear_is_refused(superuser):
    before = snapshot()
    result = run(book(Plan=plan_rows(Partnership="Brand New Test Partnership")), superuser, allow_new_partnership=True)
    assert_refused(result, before, ("Plan", 2, "Partnership", "is new and its name says neither HSCP nor CPP."))


def test_a_new_partnership_named_with_hscp_gets_that_kind(superuser):
    result = run(book(Plan=plan_rows(Partnership="Brand New Test HSCP")), superuser, allow_new_partnership=True)
    assert result.problems == []
    assert result.plan.partnership.kind == "hscp"


def test_a_superuser_may_import(superuser, partnership):
    result = run(book(), superuser)
    assert result.problems == []
    assert result.written
    assert result.plan.partnership == partnership


# --- tolerant parsing -----------------------------------------------------------------------------

FANCY_TITLE = "Children\u2019s Health \u2013 \u201cCare\u201d & Justice"  # ’ – “ ” kept exactly


def test_tolerant_parsing_imports_what_people_type(admin, partnership):
    steps = "• Develop blended learning\n- Deliver safe placements\n○ Review \u2013 quarterly\n\n  •   Report  "
    actions = [
        GOOD_ACTION
        | {
            "Theme & outcome": FANCY_TITLE,
            "Outcome statement": "Families \u2018feel heard\u2019 \u2013 always",
            "Outcome points": "•First point\r\n○ Second point\r- Third point",
            "Action steps": steps,
            "Category": "recovery and renewal",
            "Responsible": "Senior Manager \u2013 Protection & Learning",
            "Due date": "31/03/2022",
            "RAG status": "green",
            "% complete": "90%",
        },
        GOOD_ACTION | {"Reference": "A02", "Due date": "31 March 2022", "% complete": 0.9},
        GOOD_ACTION | {"Reference": "A03", "Due date": "2022-03-31", "% complete": "40 %"},
        GOOD_ACTION | {"Reference": "A04", "Due date": datetime.datetime(2022, 3, 31), "% complete": 40},
        GOOD_ACTION | {"Reference": "A05", "Due date": datetime.date(2022, 3, 31), "% complete": 0.4},
        GOOD_ACTION | {"Reference": "A06", "Due date": "31 Mar 2022"},
    ]
    efficiencies = rows_for(
        EFFICIENCIES,
        GOOD_EFFICIENCY | {"Planned saving £": "£120,000", "Delivered saving £": "£1.2m"},
        GOOD_EFFICIENCY | {"No": 2, "Planned saving £": "120000", "Delivered saving £": "£85k"},
        GOOD_EFFICIENCY | {"No": "3", "Planned saving £": 120000, "Delivered saving £": " £ 120,000.50 "},
    )
    budget = rows_for(
        BUDGET,
        {"Service": "Justice Social Work", "Financial year": "2021/22", "Budget £": "£18,085,000"},
        {"Service": "Justice Social Work", "Financial year": "2022-23", "Budget £": "£18.085m"},
        {"Service": "Children\u2019s Services", "Financial year": 2023, "Budget £": 2717000},
    )
    measures = rows_for(
        MEASURES,
        GOOD_MEASURE | {"Measure": "Decisions \u2013 \u201con time\u201d", "Direction": "reach TARGET"},
        headers=[*MEASURES.headers, "2021/22 result"],
    )
    content = book(
        *actions,
        Plan=plan_rows(Title=FANCY_TITLE),
        Measures=measures,
        Budget=budget,
        Efficiencies=efficiencies,
    )

    result = run(content, admin)
    assert result.problems == []
    assert result.written
    assert result.plan.title == FANCY_TITLE
    assert result.plan.partnership == partnership
    assert result.counts["Actions"]["created"] == 6

    a01, *others = result.plan.actions.order_by("reference")
    assert a01.title == FANCY_TITLE
    assert a01.outcome == "Families \u2018feel heard\u2019 \u2013 always"
    assert a01.responsible == "Senior Manager \u2013 Protection & Learning"
    assert a01.outcome_points == ["First point", "Second point", "Third point"]
    assert [s.text for s in a01.steps.order_by("order")] == [
        "Develop blended learning",
        "Deliver safe placements",
        "Review \u2013 quarterly",
        "Report",
    ]
    assert a01.category == ActionCategory.RECOVERY_RENEWAL
    assert a01.status == ActionStatus.GREEN
    assert a01.percent_complete == 90
    march_31 = datetime.date(2022, 3, 31)
    assert [a.due_date for a in [a01, *others]] == [march_31] * 6
    assert [a.percent_complete for a in others] == [90, 40, 40, 40, None]

    assert list(result.plan.efficiencies.order_by("number").values_list("planned_saving", "delivered_saving")) == [
        (Decimal("120000.00"), Decimal("1200000.00")),
        (Decimal("120000.00"), Decimal("85000.00")),
        (Decimal("120000.00"), Decimal("120000.50")),
    ]
    budget_lines = result.plan.budget_lines.order_by("order")
    assert [(b.service.name, b.financial_year, b.amount) for b in budget_lines] == [
        ("Justice Social Work", 2021, Decimal("18085000.00")),
        ("Justice Social Work", 2022, Decimal("18085000.00")),
        ("Children\u2019s Services", 2023, Decimal("2717000.00")),
    ]
    measure = result.plan.measures.get()
    assert measure.title == "Decisions \u2013 \u201con time\u201d"
    assert measure.target_value == 90


def test_reimporting_a_tolerantly_parsed_workbook_changes_nothing(admin):
    content = book(
        GOOD_ACTION | {"Action steps": "• One\n- Two", "Due date": "31 March 2022", "% complete": "90%"},
        GOOD_ACTION | {"Reference": "A02", "Due date": datetime.datetime(2022, 3, 31), "% complete": 0.9},
    )
    assert run(content, admin).written
    before = snapshot()
    again = run(content, admin)
    assert again.problems == []
    assert again.counts["Actions"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert snapshot() == before


def test_an_excel_percentage_cell_of_100_percent_is_100(admin):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in base_sheets().items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    cell = workbook["Actions"][PERCENT_REF]
    cell.value, cell.number_format = 1, "0%"  # Excel stores 100% as 1 in a cell formatted as a percentage
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(buffer.getvalue(), admin)
    assert result.problems == []
    assert result.plan.actions.get().percent_complete == 100


def test_a_fraction_typed_as_text_is_a_percentage_like_the_same_number(admin, plan):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ACTIONS.headers)
    for reference, percent in [("C1", "0.9"), ("C2", "0.4")]:
        row = {"Reference": reference, "Theme & outcome": "Children are safe", "% complete": percent}
        writer.writerow([row.get(h, "") for h in ACTIONS.headers])
    result = run(buffer.getvalue().encode(), admin, filename="actions.csv", plan=plan)
    assert result.problems == []
    assert dict(plan.actions.values_list("reference", "percent_complete")) == {"C1": 90, "C2": 40}


def test_duplicates_and_cell_problems_are_reported_together(admin, before):
    """Every problem in one preview: a bad cell does not hide a duplicate row from the same upload."""
    actions = rows_for(
        ACTIONS,
        GOOD_ACTION,
        GOOD_ACTION | {"Reference": "a01", "RAG status": "Purple"},
    )
    result = run(book(Actions=actions), admin)
    assert_refused(
        result,
        before,
        ("Actions", 3, "RAG status", "'Purple' is not a RAG status"),
        ("Actions", 3, "Reference", "Duplicate of row 2."),
    )
