import datetime

import pytest

from plans import periods
from plans.periods import FinancialQuarter, financial_year_label, financial_year_of


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2021, 4, 1), "2021/22 Q1"),
        (datetime.date(2021, 6, 30), "2021/22 Q1"),
        (datetime.date(2021, 7, 1), "2021/22 Q2"),
        (datetime.date(2021, 9, 30), "2021/22 Q2"),
        (datetime.date(2021, 10, 1), "2021/22 Q3"),
        (datetime.date(2021, 12, 31), "2021/22 Q3"),
        (datetime.date(2022, 1, 1), "2021/22 Q4"),
        (datetime.date(2022, 3, 31), "2021/22 Q4"),
        (datetime.date(2022, 4, 1), "2022/23 Q1"),
        (datetime.date(1999, 12, 31), "1999/00 Q3"),
    ],
)
def test_quarter_containing_a_day_respects_the_april_year_start(day, expected):
    assert str(FinancialQuarter.containing(day)) == expected


def test_financial_year_of_january_to_march_is_the_previous_april():
    assert financial_year_of(datetime.date(2021, 3, 31)) == 2020
    assert financial_year_of(datetime.date(2021, 4, 1)) == 2021


def test_quarter_boundaries_cover_the_year_without_gaps():
    quarter = FinancialQuarter(2020, 1)
    assert quarter.first_day == datetime.date(2020, 4, 1)
    for _ in range(8):
        following = quarter.next()
        assert following.first_day == quarter.last_day + datetime.timedelta(days=1)
        quarter = following
    assert FinancialQuarter(2020, 4).first_day == datetime.date(2021, 1, 1)
    assert FinancialQuarter(2020, 4).last_day == datetime.date(2021, 3, 31)


def test_next_and_previous_cross_the_year_boundary():
    assert FinancialQuarter(2021, 4).next() == FinancialQuarter(2022, 1)
    assert FinancialQuarter(2022, 1).previous() == FinancialQuarter(2021, 4)


def test_parse_round_trips_the_printed_form():
    assert FinancialQuarter.parse("2021/22 Q1") == FinancialQuarter(2021, 1)
    assert str(FinancialQuarter.parse(" 2023/24 q4 ")) == "2023/24 Q4"


@pytest.mark.parametrize("text", ["2021 Q5", "Q1", "", "2021/22 first"])
def test_parse_rejects_what_is_not_a_quarter(text):
    with pytest.raises(ValueError):
        FinancialQuarter.parse(text)


def test_financial_year_labels():
    assert financial_year_label(2020) == "2020/21"
    assert financial_year_label(1999) == "1999/00"
    assert financial_year_label(2021, 2023) == "2021/22 to 2023/24"


def test_span_lists_every_quarter_between_two_both_included():
    quarters = FinancialQuarter.span(FinancialQuarter(2021, 3), FinancialQuarter(2022, 2))

    assert [str(q) for q in quarters] == ["2021/22 Q3", "2021/22 Q4", "2022/23 Q1", "2022/23 Q2"]
    assert FinancialQuarter.span(FinancialQuarter(2022, 2), FinancialQuarter(2021, 3)) == []


def test_today_is_the_date_in_london_not_on_the_server(monkeypatch):
    # 23:30 UTC on 31 March 2022 is already 1 April in London (BST): a new financial year.
    late_evening_utc = datetime.datetime(2022, 3, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(periods.timezone, "now", lambda: late_evening_utc)

    assert periods.today() == datetime.date(2022, 4, 1)
    assert FinancialQuarter.current() == FinancialQuarter(2022, 1)


def test_closed_quarters_joins_what_every_registered_source_reports(monkeypatch):
    monkeypatch.setattr(periods, "_closed_quarter_sources", [])
    periods.register_closed_quarters(lambda *, plan: {FinancialQuarter(2021, 1)})
    periods.register_closed_quarters(lambda *, plan: {FinancialQuarter(2021, 2), FinancialQuarter(2021, 1)})

    assert set(periods.closed_quarters(plan=None)) == {FinancialQuarter(2021, 1), FinancialQuarter(2021, 2)}


def test_closed_quarters_keep_a_source_s_note_of_who_closed_them(monkeypatch):
    monkeypatch.setattr(periods, "_closed_quarter_sources", [])
    periods.register_closed_quarters(lambda *, plan: {FinancialQuarter(2021, 1)})
    periods.register_closed_quarters(lambda *, plan: {FinancialQuarter(2021, 1): "signed off by Ann on 2 May 2021"})
    assert periods.closed_quarters(plan=None) == {FinancialQuarter(2021, 1): "signed off by Ann on 2 May 2021"}


def test_the_reporting_quarter_moves_on_once_the_current_one_is_signed_off():
    q3 = FinancialQuarter(2026, 3)
    assert periods.reporting_quarter(closed={}, today_quarter=q3) == q3
    assert periods.reporting_quarter(closed={FinancialQuarter(2026, 2): ""}, today_quarter=q3) == q3
    assert periods.reporting_quarter(closed={q3: ""}, today_quarter=q3) == FinancialQuarter(2026, 4)
