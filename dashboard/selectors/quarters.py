"""Which quarters a dashboard can show, and which it shows first."""

from django.db.models import Max, Min

from dashboard.models import QuarterlyReport
from plans import periods
from plans.models import ProgressUpdate
from plans.periods import FinancialQuarter

# --- quarters ------------------------------------------------------------------------------------


def quarter_choices(*, plans, today=None):
    """Quarters a dashboard can show: every quarter of the plans' periods, up to now, newest first."""
    current = FinancialQuarter.containing(today or periods.today())
    bounds = plans.aggregate(first=Min("start_year"), last=Max("end_year"))
    if bounds["first"] is None:
        return [current]
    last = max(current, FinancialQuarter(bounds["last"], 4))
    return list(reversed(FinancialQuarter.span(FinancialQuarter(bounds["first"], 1), last)))


def default_quarter(*, plans, today=None):
    """The latest quarter with data; else the last quarter of a finished plan; else the current one."""
    current = FinancialQuarter.containing(today or periods.today())
    update = (
        ProgressUpdate.objects.counted()
        .filter(action__plan__in=plans)
        .order_by("-period_year", "-period_quarter")
        .values_list("period_year", "period_quarter")
        .first()
    )
    report = (
        QuarterlyReport.objects.filter(plan__in=plans)
        .order_by("-period_year", "-period_quarter")
        .values_list("period_year", "period_quarter")
        .first()
    )
    with_data = [FinancialQuarter(*found) for found in (update, report) if found]
    if with_data:
        return min(max(with_data), current)
    last_year = plans.aggregate(last=Max("end_year"))["last"]
    if last_year is not None and FinancialQuarter(last_year, 4) < current:
        return FinancialQuarter(last_year, 4)
    return current
