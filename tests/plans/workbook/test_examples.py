"""The template's example rows are never imported, and cells left over from them are reported."""

import io

import pytest
from openpyxl import load_workbook

from dashboard.workbook import MEASURES
from plans.models import BudgetLine, ImprovementAction, PlannedEfficiency
from plans.workbook import examples
from plans.workbook.schema import ACTIONS, BUDGET, EFFICIENCIES, PLAN
from plans.workbook.writer import template_workbook
from risks.models import Risk
from risks.workbook import RISKS
from tests.plans.workbook.test_bad_input import (
    GOOD_ACTION,
    GOOD_MEASURE,
    PARTNERSHIP,
    TITLE,
    assert_refused,
    base_sheets,
    make_workbook,
    plan_rows,
    rows_for,
    run,
    snapshot,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def headers_of(worksheet):
    return [cell.value for cell in worksheet[1]]


def fill(worksheet, row, values):
    """Type values into a row of the template, under their headers."""
    headers = headers_of(worksheet)
    for header, value in values.items():
        worksheet.cell(row=row, column=headers.index(header) + 1, value=value)


def save(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def officers_template():
    """What the officer did: typed their plan, actions and a measure in; left the other sheets as downloaded."""
    book = load_workbook(io.BytesIO(template_workbook()))
    for name in ("Plan", "Actions", "Measures"):
        book[name].delete_rows(2)
    book["Plan"].append([PARTNERSHIP, "Service improvement plan", TITLE, "2022/23"])
    fill(book["Actions"], 2, GOOD_ACTION)
    fill(book["Measures"], 2, GOOD_MEASURE)
    return book


def test_the_template_marks_each_example_row(db):
    book = load_workbook(io.BytesIO(template_workbook()))
    for name in ("Plan", "Actions", "Measures", "Budget", "Efficiencies", "Risks"):
        sheet = book[name]
        assert headers_of(sheet)[-1] == examples.EXAMPLE_HEADER, name
        marker = sheet.cell(row=2, column=sheet.max_column)
        assert marker.value == examples.EXAMPLE_MARK
        assert "never imported" in marker.comment.text or "not imported" in marker.comment.text
        assert sheet["A2"].font.italic and sheet["A2"].comment is not None
    assert "never imported" in " ".join(str(row[0].value) for row in book["Read me"].iter_rows())


def test_example_rows_left_as_downloaded_are_skipped_and_counted(partnership_admin):
    result = run(save(officers_template()), partnership_admin)
    assert result.problems == []
    assert result.examples_skipped == {"Budget": 1, "Efficiencies": 1, "Risks": 1}
    assert {"Budget", "Efficiencies", "Risks"}.isdisjoint(result.counts)
    assert not BudgetLine.objects.exists() and not PlannedEfficiency.objects.exists() and not Risk.objects.exists()


def test_example_rows_of_a_template_downloaded_before_they_were_marked_are_skipped(partnership_admin):
    """An old template has no Example column; its untouched example rows are recognised by their cells."""
    old = {
        "Plan": plan_rows(),
        "Actions": rows_for(ACTIONS, GOOD_ACTION),
        "Measures": [MEASURES.headers],
        "Budget": rows_for(BUDGET, BUDGET.example),
        "Efficiencies": rows_for(EFFICIENCIES, EFFICIENCIES.example),
        "Risks": rows_for(RISKS, RISKS.example),
    }
    result = run(make_workbook(old), partnership_admin)
    assert result.problems == []
    assert result.examples_skipped == {"Budget": 1, "Efficiencies": 1, "Risks": 1}
    assert not BudgetLine.objects.exists() and not Risk.objects.exists()


def test_cells_left_over_from_a_typed_over_example_are_problems(partnership_admin):
    book = load_workbook(io.BytesIO(template_workbook()))
    book["Plan"].delete_rows(2)
    book["Plan"].append([PARTNERSHIP, "Service improvement plan", TITLE, "2022/23"])
    # The officer typed a reference and an outcome over the example, and never touched the rest.
    fill(book["Actions"], 2, {"Reference": "B7", "Theme & outcome": "Fewer children wait for a service"})
    before = snapshot()
    result = run(save(book), partnership_admin)
    leftovers = ["Category", "Action steps", "Responsible", "Due date", "Review frequency", "RAG status"]
    assert_refused(result, before, *[("Actions", 2, header, "template's example value") for header in leftovers])
    assert not ImprovementAction.objects.exists()


def test_a_typed_over_row_whose_example_cell_is_cleared_is_the_users_own(partnership_admin):
    book = officers_template()
    actions = book["Actions"]
    actions.delete_rows(2)
    fill(actions, 2, ACTIONS.example | {"Reference": "B7", "Theme & outcome": "Fewer children wait"})
    result = run(save(book), partnership_admin)
    assert result.problems == []
    action = ImprovementAction.objects.get(reference="B7")
    assert action.category == "recovery_renewal"  # typed (or kept) knowingly: the row is not marked


def test_the_preview_says_how_many_example_rows_were_skipped(login, partnership_admin):
    from django.urls import reverse

    upload = io.BytesIO(save(officers_template()))
    upload.name = "plan.xlsx"
    client = login(partnership_admin)
    response = client.post(reverse("plans:import_start"), {"file": upload}, follow=True)
    assert "3 example rows skipped" in response.text
    assert "Budget, Efficiencies and Risks" in response.text


@pytest.mark.parametrize("sheet", [ACTIONS, BUDGET, EFFICIENCIES, MEASURES, RISKS], ids=lambda s: s.name)
def test_every_examples_own_cells_read_without_problems(sheet):
    """A marked example is recognised by its parsed cells, so each must parse."""
    values = examples._parsed_example(sheet)
    assert any(value not in (None, "", []) for value in values.values())
    assert examples.classify(sheet, values, marked=True) == ("example", [])
    assert examples.classify(sheet, values, marked=False) == ("example", [])  # a template without marks
    assert examples.classify(sheet, values, marked=False, has_marker_column=True) == ("data", [])


def test_an_unmarked_plan_row_like_the_example_is_the_users_plan(partnership_admin, partnership):
    """The Plan example is a real plan: the admin of that partnership may be importing exactly it."""
    example = PLAN.example | {"Partnership": PARTNERSHIP}
    result = run(make_workbook(base_sheets() | {"Plan": rows_for(PLAN, example)}), partnership_admin)
    assert result.problems == []
    assert result.plan.title == PLAN.example["Title"]


def test_a_still_marked_plan_example_is_skipped_and_the_problem_says_so(partnership_admin):
    before = snapshot()
    result = run(template_workbook(), partnership_admin)  # uploaded as downloaded
    assert result.examples_skipped["Plan"] == 1
    assert "clear its Example cell if it is your plan" in result.problems[0].message
    assert snapshot() == before


def test_a_row_like_the_example_in_a_marked_template_is_data(partnership_admin):
    """In a template with the Example column, only a marked row is an example."""
    book = officers_template()
    book["Budget"].delete_rows(2)
    fill(book["Budget"], 2, BUDGET.example)
    result = run(save(book), partnership_admin)
    assert result.problems == []
    assert BudgetLine.objects.get().amount == 2717000
