"""A stated timescale ("2017/18", "2017-20", "March 2021", "Q2 2021/22") read as the date its period ends.

Plans state when an action is due in the words of the period, not as a date. The import keeps
those words (the action's timescale as stated) and, where the due date cell is empty, fills the
due date with the end of the period they name. Words that name no period ("Ongoing",
"Quarterly review") give no date: the due date stays empty rather than a guess.
"""

import calendar
import datetime
import re

from plans.periods import FinancialQuarter
from plans.workbook import cells

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
# Words around a period that do not change it: "by March 2022", "end of 2021/22", "31 March 2021 (reviewed quarterly)".
PREFIX = re.compile(
    r"^(?:(?:to\s+be\s+)?(?:completed?|due|delivered)\s+)?(?:by|before|until|to)?\s*(?:the\s+)?(?:end\s+of\s+)?"
)
NOTE = re.compile(r"\s*\([^)]*\)\s*$")
DASH = r"\s*[/\-–—]\s*"
FINANCIAL_YEARS = re.compile(rf"(?:fy\s*)?(\d{{4}}){DASH}(\d{{2}}|\d{{4}})")
QUARTER_FIRST = re.compile(rf"q([1-4])\s*,?\s*(\d{{4}}){DASH}(\d{{2}}|\d{{4}})")
QUARTER_LAST = re.compile(rf"(\d{{4}}){DASH}(\d{{2}}|\d{{4}})\s*,?\s*q([1-4])")
MONTH_YEAR = re.compile(r"([a-z]+)\.?\s*,?\s*(\d{4})")


def _end_year(start, end_text):
    """The calendar year a span's second part names: '20' after 2017 is 2020, '2020' is 2020."""
    if len(end_text) == 4:
        return int(end_text)
    century = start - start % 100
    end = century + int(end_text)
    return end + 100 if end < start else end


def _financial_years(start, end_text):
    end = _end_year(start, end_text)
    if not start < end <= start + 10:
        return None
    return datetime.date(end, 3, 31)


def _quarter(quarter, start, end_text):
    if _end_year(start, end_text) != start + 1:
        return None
    return FinancialQuarter(start, quarter).last_day


def _month(name, year):
    month = MONTHS.get(name)
    if month is None:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


RANGE = re.compile(r"\s+(?:-|–|—|to)\s+")


def period_end(stated):
    """The last day of the period a timescale states, or None if it states none we can read.

    A range of periods ("April 2021 - March 2022") ends with its last.
    """
    raw = NOTE.sub("", cells.text(stated).lower().replace("\u00a0", " "))
    raw = PREFIX.sub("", raw.strip(), count=1).strip().rstrip(".")
    parts = RANGE.split(raw)
    if len(parts) == 2 and _single_period_end(parts[0]) is not None:
        return _single_period_end(parts[1])
    return _single_period_end(raw)


def _single_period_end(raw):
    if not raw:
        return None
    if match := QUARTER_FIRST.fullmatch(raw):
        return _quarter(int(match[1]), int(match[2]), match[3])
    if match := QUARTER_LAST.fullmatch(raw):
        return _quarter(int(match[3]), int(match[1]), match[2])
    if match := FINANCIAL_YEARS.fullmatch(raw):
        return _financial_years(int(match[1]), match[2])
    if match := MONTH_YEAR.fullmatch(raw):
        return _month(match[1], int(match[2]))
    try:
        return cells.date(raw)
    except cells.CellError:
        return None


def derive_due_date(values):
    """Fill an action's empty due date from its stated timescale. Returns [(column header, note)] for the preview."""
    if values.get("due_date") is not None or not values.get("timescale_text"):
        return []
    derived = period_end(values["timescale_text"])
    if derived is None:
        return []
    values["due_date"] = derived
    return [("Due date", f"{derived:%-d %B %Y}, the end of the timescale '{values['timescale_text']}'")]
