"""The Measures sheet reads what real plans say: their direction words, and no theme or unit where they have none."""

import pytest
from django.urls import reverse

from dashboard.models import QualityMeasure
from dashboard.workbook import MEASURES
from tests.factories import MeasureFactory, MeasureResultFactory
from tests.plans.workbook.test_bad_input import (
    GOOD_MEASURE,
    assert_refused,
    base_sheets,
    make_workbook,
    rows_for,
    run,
    snapshot,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def import_measure(user, **cells):
    return run(make_workbook(base_sheets(Measures=rows_for(MEASURES, GOOD_MEASURE | cells))), user)


@pytest.mark.parametrize(
    ("stated", "direction"),
    [
        ("Reduction", "reduce"),
        ("Decrease", "reduce"),
        ("lower", "reduce"),
        ("Reduce", "reduce"),
        ("Increase", "increase"),
        ("Higher", "increase"),
        ("Improve", "reach_target"),
        ("Reach target", "reach_target"),
    ],
)
def test_a_direction_in_the_plans_own_word_is_read(partnership_admin, stated, direction):
    result = import_measure(partnership_admin, Direction=stated)
    assert result.problems == []
    assert QualityMeasure.objects.get().direction == direction


def test_an_unknown_direction_still_lists_the_choices(partnership_admin):
    before = snapshot()
    result = import_measure(partnership_admin, Direction="Sideways")
    assert_refused(result, before, ("Measures", 2, "Direction", "'Sideways' is not a direction"))


def test_a_measure_without_a_theme_or_unit_imports(partnership_admin):
    result = import_measure(partnership_admin, **{"Dashboard theme": None, "Unit": None})
    assert result.problems == []
    measure = QualityMeasure.objects.get()
    assert (measure.theme, measure.unit) == ("", "")


def test_pages_say_not_stated_for_a_measure_without_theme_or_unit(login, owner, plan):
    measure = MeasureFactory(plan=plan, theme="", unit="", title="Residents feel safe", target_text="Increase")
    MeasureResultFactory(measure=measure, financial_year=2021, value=71, value_text="71")
    client = login(owner)
    measures = client.get(reverse("dashboard:plan_measures", kwargs={"slug": plan.slug}))
    dashboard = client.get(reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}))
    assert measures.status_code == dashboard.status_code == 200
    assert "Not stated" in measures.text and "Not stated" in dashboard.text
    assert "Residents feel safe" in dashboard.text


def test_a_result_longer_than_its_field_is_a_problem_not_a_database_error(partnership_admin):
    """Found by the fuzz test on PostgreSQL: 1.0000000000000006e200 spelled out is 201 characters."""
    before = snapshot()
    headers = [*MEASURES.headers, "2018/19 result"]
    measures = rows_for(MEASURES, GOOD_MEASURE | {"2018/19 result": 1.0000000000000006e200}, headers=headers)
    result = run(make_workbook(base_sheets(Measures=measures)), partnership_admin)
    assert_refused(result, before, ("Measures", 2, "2018/19 result", "longer than 200 characters"))
