"""Which quarters a dashboard can show, and which it shows first."""

from django.db.models import Exists, Max, Min, OuterRef

from dashboard.models import QuarterlyReport
from plans import periods
from plans.choices import PlanStatus
from plans.models import Plan, ProgressUpdate
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


# --- plan years (the partnership dashboard shows one at a time) ---------------------------------------


def _shown_plans(plans):
    """A rolled-over year still in draft is nobody's figures yet."""
    return plans.exclude(status=PlanStatus.DRAFT, predecessor__isnull=False)


def year_choices(*, plans):
    """The financial years (start years) that `plans` cover, newest first."""
    spans = _shown_plans(plans).values_list("start_year", "end_year")
    return sorted({year for first, last in spans for year in range(first, last + 1)}, reverse=True)


def default_year(*, years, today=None):
    """This financial year if a plan covers it; else the latest year before it; else the first after."""
    this_year = periods.financial_year_of(today or periods.today())
    earlier = [year for year in years if year <= this_year]
    if earlier:
        return max(earlier)
    return min(years) if years else this_year


def plans_of_year(*, plans, year):
    """`plans` covering the financial year, less any whose successor covers it too (the same work twice)."""
    covering = {"start_year__lte": year, "end_year__gte": year}
    replaced = _shown_plans(Plan.objects.filter(predecessor=OuterRef("pk"), **covering))
    return _shown_plans(plans).filter(**covering).exclude(Exists(replaced))


def year_quarters(*, year, today=None):
    """The quarters of the financial year up to the current one (at least its first), newest first."""
    current = FinancialQuarter.containing(today or periods.today())
    quarters = [FinancialQuarter(year, quarter) for quarter in range(1, 5)]
    return list(reversed([q for q in quarters if q <= current] or quarters[:1]))
