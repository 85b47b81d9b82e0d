"""Stated timescales read as the end of their period; the import fills an empty due date from them."""

import datetime

import pytest

from plans.models import ImprovementAction
from plans.workbook.schema import ACTIONS
from plans.workbook.timescales import period_end
from tests.plans.workbook.test_bad_input import GOOD_ACTION, book, rows_for, run


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    ("stated", "end"),
    [
        ("2017/18", datetime.date(2018, 3, 31)),
        ("2017-18", datetime.date(2018, 3, 31)),
        ("2017/2018", datetime.date(2018, 3, 31)),
        ("2017-20", datetime.date(2020, 3, 31)),
        ("2017–20", datetime.date(2020, 3, 31)),
        ("2017 - 2020", datetime.date(2020, 3, 31)),
        ("2099/00", datetime.date(2100, 3, 31)),
        ("March 2021", datetime.date(2021, 3, 31)),
        ("Feb 2024", datetime.date(2024, 2, 29)),
        ("Sept 2021", datetime.date(2021, 9, 30)),
        ("Q2 2021/22", datetime.date(2021, 9, 30)),
        ("Q4 2021/22", datetime.date(2022, 3, 31)),
        ("2021/22 Q3", datetime.date(2021, 12, 31)),
        ("By March 2022", datetime.date(2022, 3, 31)),
        ("End of 2022/23", datetime.date(2023, 3, 31)),
        ("31 March 2021 (three monthly review of progress)", datetime.date(2021, 3, 31)),
        ("31/03/2022", datetime.date(2022, 3, 31)),
        ("April 2021 - March 2022", datetime.date(2022, 3, 31)),
        ("  2017/18 \n", datetime.date(2018, 3, 31)),
    ],
)
def test_a_stated_period_ends_on_its_last_day(stated, end):
    assert period_end(stated) == end


@pytest.mark.parametrize(
    "stated",
    [
        "Ongoing",
        "",
        None,
        "Quarterly",
        "TBC",
        "2021",
        "2019-17",
        "2017-45",
        "Q5 2021/22",
        "Q2 2021/23",
        "Smarch 2021",
        "30/02/2021",
        "next spring",
        "1e999",
        "2017/18/19",
    ],
)
def test_words_that_name_no_period_give_no_date(stated):
    assert period_end(stated) is None


def action_with(**cells):
    return rows_for(ACTIONS, GOOD_ACTION | cells)


def test_an_empty_due_date_is_filled_from_the_timescale_and_the_words_kept(partnership_admin):
    result = run(book(Actions=action_with(**{"Timescale as stated": "2017-20"})), partnership_admin)
    assert result.problems == []
    action = ImprovementAction.objects.get()
    assert action.due_date == datetime.date(2020, 3, 31)
    assert action.timescale_text == "2017-20"
    assert [(d.sheet, d.row, d.column) for d in result.derived] == [("Actions", 2, "Due date")]
    assert "31 March 2020" in result.derived[0].message and "2017-20" in result.derived[0].message


def test_a_stated_due_date_is_never_replaced_by_the_timescale(partnership_admin):
    cells = {"Due date": "30/06/2019", "Timescale as stated": "2017-20"}
    result = run(book(Actions=action_with(**cells)), partnership_admin)
    assert ImprovementAction.objects.get().due_date == datetime.date(2019, 6, 30)
    assert result.derived == []


def test_an_ongoing_action_keeps_an_empty_due_date(partnership_admin):
    result = run(book(Actions=action_with(**{"Timescale as stated": "Ongoing"})), partnership_admin)
    action = ImprovementAction.objects.get()
    assert action.due_date is None and action.timescale_text == "Ongoing"
    assert result.derived == []


def test_the_preview_shows_the_derived_date(login, partnership_admin):
    import io

    from django.urls import reverse

    upload = io.BytesIO(book(Actions=action_with(**{"Timescale as stated": "Q2 2021/22"})))
    upload.name = "plan.xlsx"
    response = login(partnership_admin).post(reverse("plans:import_start"), {"file": upload}, follow=True)
    assert "30 September 2021, the end of the timescale &#x27;Q2 2021/22&#x27;" in response.text
