"""Financial years and quarters.

Scottish public bodies report by financial year, April to March. Quarter 1 is
April to June, so January to March belongs to Q4 of the year that started the
previous April. Every date-to-period conversion in the project goes through
here.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone


def today() -> datetime.date:
    """Today in the project's time zone (Europe/London), not the server's."""
    return timezone.localdate()


def financial_year_label(start_year: int, end_year: int | None = None) -> str:
    """'2020/21' for one year; '2021/22 to 2023/24' for a span."""
    label = f"{start_year}/{(start_year + 1) % 100:02d}"
    if end_year is None or end_year == start_year:
        return label
    return f"{label} to {financial_year_label(end_year)}"


def financial_year_of(day: datetime.date) -> int:
    """The calendar year in which the financial year containing `day` began."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    start_year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"Quarter must be 1 to 4, not {self.quarter!r}")

    @classmethod
    def containing(cls, day: datetime.date) -> "FinancialQuarter":
        # April-June is Q1, ..., January-March is Q4.
        return cls(financial_year_of(day), (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def current(cls) -> "FinancialQuarter":
        return cls.containing(today())

    @classmethod
    def parse(cls, text: str) -> "FinancialQuarter":
        """Read '2021/22 Q1' (the form this class prints)."""
        try:
            year_part, quarter_part = text.strip().split()
            start_year = int(year_part.split("/")[0])
            quarter = int(quarter_part.upper().removeprefix("Q"))
        except ValueError as error:
            raise ValueError(f"Not a financial quarter like '2021/22 Q1': {text!r}") from error
        return cls(start_year, quarter)

    @property
    def first_day(self) -> datetime.date:
        month = (self.quarter - 1) * 3 + 4
        year = self.start_year + (month > 12)
        return datetime.date(year, (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    @classmethod
    def span(cls, first: "FinancialQuarter", last: "FinancialQuarter") -> list["FinancialQuarter"]:
        """Every quarter from `first` to `last`, both included, oldest first."""
        quarters = []
        quarter = first
        while quarter <= last:
            quarters.append(quarter)
            quarter = quarter.next()
        return quarters

    def next(self) -> "FinancialQuarter":
        if self.quarter == 4:
            return FinancialQuarter(self.start_year + 1, 1)
        return FinancialQuarter(self.start_year, self.quarter + 1)

    def previous(self) -> "FinancialQuarter":
        if self.quarter == 1:
            return FinancialQuarter(self.start_year - 1, 4)
        return FinancialQuarter(self.start_year, self.quarter - 1)

    def __str__(self) -> str:
        return f"{financial_year_label(self.start_year)} Q{self.quarter}"


class QuarterSignedOff(Exception):
    """The quarter is signed off, so it takes no more changes until it is reopened."""


# Whatever closes a quarter of a plan (the dashboard's signed-off quarterly report) registers a
# source here; plans refuses updates to any quarter a source reports closed.
_closed_quarter_sources = []


_closed_since_sources = []


def register_closed_quarters(source, *, since=None):
    """`source(plan=...)` returns the set of FinancialQuarters of the plan that are closed.

    `since(quarter=...)`, if given, returns {plan id: its closed quarters from `quarter` on} for every
    plan at once, so that a list of many plans' actions reads them in one query.
    """
    if source not in _closed_quarter_sources:
        _closed_quarter_sources.append(source)
    if since is not None and since not in _closed_since_sources:
        _closed_since_sources.append(since)
    return source


def moved_on_reporting_quarters(*, today_quarter=None) -> dict:
    """{plan id: its reporting quarter} for the plans whose current quarter is signed off (so updates go later).

    Every other plan's reporting quarter is the current one.
    """
    current = today_quarter or FinancialQuarter.current()
    closed = {}
    for source in _closed_since_sources:
        for plan_id, quarters in source(quarter=current).items():
            closed.setdefault(plan_id, set()).update(quarters)
    moved_on = {
        plan_id: reporting_quarter(closed=quarters, today_quarter=current) for plan_id, quarters in closed.items()
    }
    return {plan_id: quarter for plan_id, quarter in moved_on.items() if quarter != current}


def closed_quarters(*, plan) -> dict:
    """{quarter: how it was closed} for the plan's closed (signed-off) quarters, which take no more updates.

    A source may return a mapping of quarter to a note saying who closed it and when, or just a set.
    """
    closed = {}
    for source in _closed_quarter_sources:
        found = source(plan=plan)
        for quarter in found:
            note = found[quarter] if isinstance(found, dict) else ""
            closed[quarter] = closed.get(quarter) or note
    return closed


def reporting_quarter(*, closed, today_quarter=None) -> FinancialQuarter:
    """The quarter updates go to now: the current one, or once that is signed off, the next open one."""
    quarter = today_quarter or FinancialQuarter.current()
    while quarter in closed:
        quarter = quarter.next()
    return quarter


def recent_quarters(today_quarter, count=4):
    """The current quarter and the few before it: late updates for last quarter are common."""
    first = today_quarter
    for _ in range(count - 1):
        first = first.previous()
    return list(reversed(FinancialQuarter.span(first, today_quarter)))


def quarters_open_for_updates(current_quarter, closed):
    """The quarters an update may go to, newest (the default) first, and what to tell the manager.

    Updates go to the reporting quarter: the current one, or the next open one once it is signed off.
    Late updates for the few quarters before it are accepted, but never for a quarter signed off or
    for one before the latest signed-off quarter: the board has moved on from those.
    """
    closed = closed if isinstance(closed, dict) else dict.fromkeys(closed, "")
    reporting = reporting_quarter(closed=closed, today_quarter=current_quarter)
    window = recent_quarters(current_quarter)
    latest_closed = max((q for q in closed if q <= reporting), default=None)
    candidates = sorted({reporting, *window}, reverse=True)
    open_quarters = [
        q for q in candidates if q <= reporting and q not in closed and (latest_closed is None or q > latest_closed)
    ]
    notice = None
    if latest_closed is not None and latest_closed >= window[-1]:
        how = closed[latest_closed]
        notice = f"{latest_closed} is closed{': ' + how if how else ''}. Updates now go to {reporting}."
    return open_quarters, notice
