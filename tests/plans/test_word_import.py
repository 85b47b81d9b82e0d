"""Importing a plan from its Word document: each layout, tolerant headers, and what is not read."""

import io
import zipfile
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_BREAK
from openpyxl import load_workbook

from dashboard.models import QualityMeasure
from plans.import_services import plan_import_word, word_conversion
from plans.models import NationalOutcome, Plan
from plans.wordimport.sample import plan_document, sample_document
from plans.workbook.writer import export_plan
from tests.plans.workbook.test_round_trip import EA_SIP, describe, empty_the_database

PARTNERSHIP = "East Ayrshire Test HSCP"
OPENING = "Children's Services Improvement Plan 2022/23"


def document(*parts, opening=OPENING):
    """A .docx: a str is a paragraph ("PAGE" a page break); a list is a table, its first row the header.

    In a table, a str row runs across the whole table; a cell that is a list holds Word bullets.
    """
    word = docx.Document()
    if opening:
        word.add_heading(opening, level=0)
    for part in parts:
        if part == "PAGE":
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(part, str):
            word.add_paragraph(part)
        else:
            _table(word, part)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _table(container, rows):
    table = container.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
            continue
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, list):
                cell.paragraphs[0].text = value[0]
                cell.paragraphs[0].style = "List Bullet"
                for item in value[1:]:
                    cell.add_paragraph(item, style="List Bullet")
            else:
                cell.text = value
    return table


def read(content, **facts):
    """The workbook the document was read into: {sheet: [{header: value}]}, and the conversion."""
    conversion = word_conversion(content=content, plan_facts={"partnership": PARTNERSHIP} | facts)
    sheets = {}
    if conversion.workbook:
        for sheet in load_workbook(io.BytesIO(conversion.workbook)).worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            sheets[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return sheets, conversion


EA_ACTIONS = [
    ["Theme & Outcome", "Actions", "Responsible", "Timescale"],
    [
        "Recovery & Renewal:\nSafe virtual learning",
        ["Deliver blended learning", "Support placements"],
        "Senior Manager (Protection & Learning)",
        "31 March 2023 (three monthly review of progress)",
    ],
    ["Transformation:\nFamilies stay together", "• Extend family group meetings • Recruit kinship carers", "", ""],
]


@pytest.mark.django_db
def test_the_east_ayrshire_layout_reads_outcomes_bulleted_steps_and_timescales():
    sheets, conversion = read(document(EA_ACTIONS))
    first, second = sheets["Actions"]
    assert first["Reference"] == "A01" and first["Category"] == "Recovery & Renewal"
    assert first["Theme & outcome"] == "Safe virtual learning"
    assert first["Action steps"] == "Deliver blended learning\nSupport placements"
    assert first["Responsible"] == "Senior Manager (Protection & Learning)"
    assert first["Due date"] == "31/03/2023"
    assert first["Timescale as stated"] == "31 March 2023 (three monthly review of progress)"
    assert second["Action steps"] == "• Extend family group meetings\n• Recruit kinship carers"  # typed bullets split
    assert second["Due date"] is None  # no timescale stated: none invented
    assert conversion.tables[0]["section"] == "Actions" and conversion.unmapped == []


@pytest.mark.parametrize(
    ("lead", "when", "area"),
    [
        ("Lead Responsibility", "Target date", "Area for improvement"),
        ("RESPONSIBLE OFFICER:", "By when?", "Outcome"),
        ("Lead", "Timescale (quarter)", "Priority"),
        ("Lead officer(s)", "Target Date", "Theme \u2013 Outcome"),
    ],
)
@pytest.mark.django_db
def test_headers_are_matched_by_meaning_whatever_their_wording(lead, when, area):
    sheets, _ = read(
        document([[area, "Action", lead, when], ["Safer homes", "Fit smoke alarms", "Fire Officer", "June 2023"]])
    )
    (action,) = sheets["Actions"]
    assert (action["Theme & outcome"], action["Action steps"]) == ("Safer homes", "Fit smoke alarms")
    assert (action["Responsible"], action["Timescale as stated"]) == ("Fire Officer", "June 2023")


@pytest.mark.django_db
def test_spanning_rows_give_the_outline_and_directed_indicators_become_measures():
    sheets, conversion = read(
        document(
            [
                ["Area for improvement", "Action", "Lead Responsibility", "Target date", "Performance indicator"],
                "Local Outcome 1: Children are safe",
                "Priority 1.1 Fewer children looked after away from home",
                ["Family support", "Open a hub", "Head of Service", "30/09/2022", "Children looked after (Reduction)"],
                ["", "Train staff", "L&D Manager", "31/03/2023", "Percentage of staff trained (Increase)"],
            ]
        )
    )
    hub, training = sheets["Actions"]
    assert hub["Outcome statement"] == "Local Outcome 1: Children are safe"
    assert hub["Category as stated"] == "Priority 1.1 Fewer children looked after away from home"
    assert training["Theme & outcome"] == "Priority 1.1 Fewer children looked after away from home"
    looked_after, trained = sheets["Measures"]
    assert (looked_after["Measure"], looked_after["Direction"], looked_after["Target"]) == (
        "Children looked after",
        "Reduce",
        "Reduce",
    )
    assert (trained["Unit"], trained["Direction"]) == ("Percentage", "Increase")
    assert conversion.tables[0]["outline"] == 2 and conversion.tables[0]["measures_from_indicators"] == 2
    assert conversion.notes == [
        "2 measures made from performance indicators are under the Outcome dashboard theme; "
        "download the workbook to choose another."
    ]


@pytest.mark.django_db
def test_measures_are_grouped_by_their_theme_rows():
    sheets, _ = read(
        document(
            [
                ["Measure", "2018/19 result", "2019/20 result", "2020/21 target"],
                "Customers",
                ["Number of complaints", "75", "Final Result Not Yet Available", "Reduce"],
                "Process",
                ["% of decisions in time", "75%", "80%", "90%"],
            ]
        )
    )
    complaints, decisions = sheets["Measures"]
    assert (complaints["Dashboard theme"], complaints["Unit"], complaints["Direction"]) == (
        "Customers",
        "Number",
        "Reduce",
    )
    assert complaints["2018/19 result"] == "75" and complaints["2019/20 result"] == "Final Result Not Yet Available"
    assert (decisions["Dashboard theme"], decisions["Unit"], decisions["Direction"]) == (
        "Process",
        "Percentage",
        "Reach target",
    )
    assert (decisions["Target"], decisions["Target year"]) == ("90%", "2020")


@pytest.mark.django_db
def test_budget_efficiencies_and_risks_import(partnership_admin):
    content = document(
        ["Service", "Budget 2022 \u2013 2023"],
        [["Service", "Budget 2022 - 2023"], ["Children & Families", "£ 18.085m"], ["Total", "£ 18.085m"]],
        [["Option", "Saving"], "Locality Services", ["Kinship Care Review", "120,000"]],
        [["Risk", "Mitigation"], ["Failure to protect\nComplex needs", ["Training", "Oversight group"]]],
    )
    result, _ = plan_import_word(
        content=content,
        filename="plan.docx",
        user=partnership_admin,
        dry_run=False,
        plan_facts={"partnership": PARTNERSHIP},
    )
    assert result.problems == []
    plan = result.plan
    (line,) = plan.budget_lines.all()
    assert (line.service.name, line.financial_year, line.amount, line.amount_text) == (
        "Children & Families",
        2022,
        Decimal("18085000"),
        "£ 18.085m",
    )  # the total row is not a budget line
    (efficiency,) = plan.efficiencies.all()
    assert (efficiency.number, efficiency.division, efficiency.planned_saving) == (1, "Locality Services", 120000)
    (risk,) = plan.risks.all()
    assert (risk.reference, risk.title, risk.description) == ("R1", "Failure to protect", "Complex needs")
    assert [m.text for m in risk.mitigations.order_by("order")] == ["Training", "Oversight group"]


@pytest.mark.django_db
def test_a_table_split_by_a_page_break_is_merged_and_its_running_row_joined():
    header = EA_ACTIONS[0]
    first = [header, ["Outcome one", ["Step 1", "Step 2"], "Manager", "March 2023"]]
    second = [header, ["", ["Step 3"], "", ""], ["Outcome two", ["Step A"], "Manager", "June 2023"]]
    sheets, conversion = read(document(first, "PAGE", second))
    one, two = sheets["Actions"]
    assert one["Action steps"] == "Step 1\nStep 2\nStep 3"
    assert two["Theme & outcome"] == "Outcome two"
    assert len(conversion.tables) == 1 and conversion.tables[0]["continued"] == 1


@pytest.mark.django_db
def test_tables_with_text_between_them_are_not_merged():
    header = EA_ACTIONS[0]
    sheets, conversion = read(
        document([header, ["Outcome one", "Step 1", "M", ""]], "Section 7", [header, ["", "Step 2", "", ""]])
    )
    assert [a["Action steps"] for a in sheets["Actions"]] == ["Step 1", "Step 2"]
    assert len(conversion.tables) == 2


@pytest.mark.django_db
def test_en_dashes_and_curly_quotes_survive_and_do_not_upset_header_matching():
    sheets, _ = read(
        document(
            [
                ["Theme \u2013 \u201cOutcome\u201d", "Actions", "Responsible Officer\u2019s name", "Timescale"],
                [
                    "Children\u2019s health \u2013 2022\u201323",
                    "Audit \u201cTeam Around the Child\u201d plans",
                    "Nurse",
                    "",
                ],
            ]
        )
    )
    (action,) = sheets["Actions"]
    assert action["Theme & outcome"] == "Children\u2019s health \u2013 2022\u201323"
    assert action["Action steps"] == "Audit \u201cTeam Around the Child\u201d plans"
    assert action["Responsible"] == "Nurse"


@pytest.mark.django_db
def test_a_table_with_an_unknown_header_is_listed_and_nothing_is_guessed():
    sheets, conversion = read(
        document(EA_ACTIONS, [["Provider name", "Contract value"], ["Barnardo\u2019s", "£132,870"]])
    )
    assert conversion.unmapped == [{"label": "Table 2", "header": "Provider name | Contract value", "rows": 1}]
    assert conversion.problems == []  # listed, not blocking
    assert set(sheets) == {"Plan", "Actions"}


@pytest.mark.django_db
def test_tables_nested_in_a_layout_table_are_read_and_a_table_inside_a_cell_gives_its_lines():
    word = docx.Document()
    word.add_heading(OPENING, level=0)
    layout = word.add_table(rows=1, cols=1)
    _table(layout.cell(0, 0), EA_ACTIONS[:2])
    action_cell = layout.cell(0, 0).tables[0].cell(1, 1)
    _table(action_cell, [["Extra step in a nested table"]])
    buffer = io.BytesIO()
    word.save(buffer)
    sheets, conversion = read(buffer.getvalue())
    (action,) = sheets["Actions"]
    assert action["Action steps"].split("\n")[-1] == "Extra step in a nested table"
    assert conversion.tables[0]["label"] == "Table 1.1" and conversion.unmapped == []


@pytest.mark.django_db
def test_an_empty_document_says_it_has_no_tables():
    sheets, conversion = read(document(opening=""))
    assert sheets == {} and conversion.workbook is None
    assert "It has no tables" in conversion.problems[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a word document at all", "not a valid .docx"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "password-protected or an old .doc"),
        (b"PK\x03\x04" + b"\0" * 100, "could not be opened"),
    ],
)
@pytest.mark.django_db
def test_a_corrupt_file_is_a_problem_not_a_crash(content, message, partnership_admin):
    result, _ = plan_import_word(content=content, filename="plan.docx", user=partnership_admin, dry_run=False)
    assert not result.written and message in result.problems[0].message


def broken_xml():
    """A real document whose main part is not well-formed XML."""
    source, buffer = zipfile.ZipFile(io.BytesIO(document(EA_ACTIONS))), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = b"<w:document><unclosed>" if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_document_with_broken_xml_is_refused():
    _, conversion = read(broken_xml())
    assert conversion.workbook is None and "could not be opened" in conversion.problems[0].message


@pytest.mark.django_db
def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    _, conversion = read(buffer.getvalue())
    assert conversion.workbook is None and "could not be opened" in conversion.problems[0].message


@pytest.mark.django_db
def test_plan_facts_come_from_the_opening_or_the_upload_form_never_guessed():
    content = document(EA_ACTIONS, opening="Improvement actions")
    _, conversion = read(content)
    missing = {problem.column for problem in conversion.problems}
    assert missing == {"Kind of plan", "Title", "First year"}  # the form gave the partnership
    _, chosen = read(content, kind="Service improvement plan", title="Children's Plan", start_year="2022/23")
    assert chosen.problems == [] and chosen.facts["title"] == {"value": "Children's Plan", "from": "the upload form"}
    _, opening = read(document(EA_ACTIONS))
    assert opening.facts["start_year"] == {"value": "2022/23", "from": "the document's opening"}
    assert opening.facts["kind"]["value"] == "Service improvement plan"
    assert opening.facts["title"]["value"] == "Children's Services Improvement Plan"


@pytest.mark.django_db
def test_a_document_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    _, conversion = read(document(EA_ACTIONS))
    assert "the limit is" in conversion.problems[0].message


@pytest.mark.django_db
def test_the_sample_document_imports_without_problems(partnership_admin):
    result, _ = plan_import_word(
        content=sample_document(),
        filename="sample.docx",
        user=partnership_admin,
        dry_run=False,
        plan_facts={"partnership": PARTNERSHIP},
    )
    assert result.problems == []
    plan = Plan.objects.get()
    assert plan.actions.count() == 5 and QualityMeasure.objects.filter(plan=plan).count() == 5
    assert plan.budget_lines.count() == 2 and plan.efficiencies.count() == 2 and plan.risks.count() == 1


def test_the_east_ayrshire_plan_as_a_word_document_imports_to_the_same_plan(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    before = describe(plan)
    content = plan_document(export_plan(plan))  # the plan written as Word, its actions split by a page break
    conversion = word_conversion(content=content)
    assert conversion.unmapped == [] and conversion.problems == []
    actions = next(table for table in conversion.tables if table["section"] == "Actions")
    assert (actions["read"], actions["matched"], actions["continued"]) == (21, 20, 1)

    empty_the_database()
    result, _ = plan_import_word(
        content=content, filename="ea-sip.docx", user=superuser, dry_run=False, allow_new_partnership=True
    )
    assert result.problems == []
    assert describe(result.plan) == before  # 0 differences
    assert NationalOutcome.objects.count() == 15
