import pytest

from dashboard.choices import MeasureStatus, MeasureUnit
from tests.factories import MeasureFactory, MeasureResultFactory


def measure_with(results, **fields):
    measure = MeasureFactory(**fields)
    for year, value, text in results:
        MeasureResultFactory(
            measure=measure,
            financial_year=year,
            value=value,
            value_text=text,
            state="value" if value is not None else "tbc",
        )
    return measure


@pytest.mark.parametrize(
    ("results", "fields", "expected"),
    [
        # A numeric target where higher is better: from 75% towards 90%.
        ([(2018, 75, "75%"), (2019, 92, "92%")], {"direction": "reach_target", "target_value": 90}, "on_target"),
        ([(2018, 75, "75%"), (2019, 80, "80%")], {"direction": "reach_target", "target_value": 90}, "off_target"),
        # A numeric target where lower is better: sickness absence from 4.49% towards 4.0%.
        ([(2018, 4.49, "4.49%"), (2019, 3.9, "3.9%")], {"direction": "reach_target", "target_value": 4}, "on_target"),
        ([(2018, 4.49, "4.49%"), (2019, 5.21, "5.21")], {"direction": "reach_target", "target_value": 4}, "off_target"),
        # Directional targets judge the trend.
        ([(2018, 75, "75"), (2019, 60, "60")], {"direction": "reduce", "target_value": None}, "improving"),
        ([(2018, 30.7, "30.7%"), (2019, 25, "25%")], {"direction": "increase", "target_value": None}, "worsening"),
        ([(2018, 10, "10"), (2019, 10, "10")], {"direction": "reduce", "target_value": None}, "unchanged"),
        ([(2018, 75, "75")], {"direction": "reduce", "target_value": None}, "no_trend"),
        ([(2018, None, "Final Result Not Yet Available")], {"direction": "reduce", "target_value": None}, "no_data"),
    ],
)
def test_measure_assessment(db, results, fields, expected):
    assert measure_with(results, **fields).assess() == MeasureStatus(expected)


def test_stated_absences_are_not_treated_as_zero(db):
    measure = measure_with(
        [(2018, 75, "75%"), (2019, None, "Final Result Not Yet Available"), (2020, None, "TBC")],
        direction="reach_target",
        target_value=90,
    )
    assert [r.value_text for r in measure.numeric_results()] == ["75%"]
    assert measure.assess() == MeasureStatus.OFF_TARGET


def test_a_result_from_another_period_is_not_comparable_with_the_target(db):
    measure = measure_with([(2018, 75, "75%"), (2019, 92, "92%")], target_value=90, target_year=2020)
    assert measure.assess() == MeasureStatus.NOT_COMPARABLE
    assert measure.comparison_problems() == ["The latest result is for 2019/20; the target is for 2020/21."]
    same_year = measure_with([(2019, 75, "75%"), (2020, 92, "92%")], target_value=90, target_year=2020)
    assert same_year.assess() == MeasureStatus.ON_TARGET


def test_a_target_in_another_unit_is_not_comparable(db):
    measure = measure_with(
        [(2019, 1.07, "1.07")], unit="days", target_value=0.67, target_text="0.67 per month", target_year=2019
    )
    assert measure.assess() == MeasureStatus.NOT_COMPARABLE
    assert "“0.67 per month”" in measure.comparison_problems()[0]


def test_reach_target_is_only_said_where_there_is_a_target(db):
    assert MeasureFactory(direction="reach_target", target_value=None, target_text="None").direction_label() == (
        "No target stated"
    )
    assert MeasureFactory(direction="reach_target").direction_label() == "Reach target"


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [("count", 75, "75"), ("percent", 30.7, "30.7%"), ("days", 1.07, "1.07 days"), ("rate", 6.5, "6.5")],
)
def test_results_are_shown_in_their_unit(unit, value, shown):
    assert MeasureUnit(unit).format(value) == shown
