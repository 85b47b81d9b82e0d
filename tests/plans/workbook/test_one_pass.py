"""Every problem in one preview: bad cells do not hide the problems only the database finds."""

import pytest

from plans.workbook.schema import ACTIONS
from tests.plans.workbook.test_bad_input import (
    GOOD_ACTION,
    assert_refused,
    book,
    plan_rows,
    rows_for,
    run,
    snapshot,
)

UNKNOWN = "Nowhere Health and Social Care Partnership"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_unknown_partnership_is_reported_with_the_cell_problems(partnership_admin):
    """The reported round: 9 cell problems first, the missing partnership only after they were fixed."""
    actions = rows_for(
        ACTIONS,
        GOOD_ACTION | {"RAG status": "Purple"},
        GOOD_ACTION | {"Reference": "A02", "Due date": "next spring"},
    )
    before = snapshot()
    result = run(book(Plan=plan_rows(Partnership=UNKNOWN), Actions=actions), partnership_admin)
    assert_refused(
        result,
        before,
        ("Plan", 2, "Partnership", f"You are not a partnership admin of {UNKNOWN}"),
        ("Actions", 2, "RAG status", "'Purple' is not a RAG status"),
        ("Actions", 3, "Due date", "'next spring' is not a date"),
    )


def test_a_superuser_sees_the_missing_partnership_beside_cell_problems(superuser):
    actions = rows_for(ACTIONS, GOOD_ACTION | {"RAG status": "Purple"})
    before = snapshot()
    result = run(book(Plan=plan_rows(Partnership=UNKNOWN), Actions=actions), superuser)
    assert_refused(
        result,
        before,
        ("Plan", 2, "Partnership", f"There is no partnership called '{UNKNOWN}'"),
        ("Actions", 2, "RAG status", "'Purple' is not a RAG status"),
    )


def test_database_checks_duplicates_and_cell_problems_come_together_in_row_order(partnership_admin):
    actions = rows_for(
        ACTIONS,
        GOOD_ACTION | {"National outcomes": "99"},
        GOOD_ACTION | {"Reference": "A02", "% complete": "lots"},
        GOOD_ACTION | {"Reference": "a01"},
    )
    before = snapshot()
    result = run(book(Actions=actions), partnership_admin)
    assert_refused(
        result,
        before,
        ("Actions", 2, "National outcomes", "No national outcome 99."),
        ("Actions", 3, "% complete", "'lots' is not a percentage"),
        ("Actions", 4, "Reference", "Duplicate of row 2."),
    )


def test_a_plan_row_with_a_bad_cell_still_has_its_partnership_checked(partnership_admin):
    before = snapshot()
    result = run(book(Plan=plan_rows(Partnership=UNKNOWN, Kind="Wish list")), partnership_admin)
    assert_refused(
        result,
        before,
        ("Plan", 2, "Kind", "'Wish list' is not a plan kind"),
        ("Plan", 2, "Partnership", f"You are not a partnership admin of {UNKNOWN}"),
    )
