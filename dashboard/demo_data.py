"""Synthetic quality measures and quarterly reports for the demo plans (`manage.py generate_demo`).

Each plan's measures report a result for each of the seven years up to the plan's, the latest
sometimes "not yet available". Last year's final quarter is signed off through the service, so its
snapshot is what sign-off really stores; this year's latest quarter has a draft report.
"""

from decimal import Decimal

from django.db import transaction

from dashboard.choices import DashboardTheme, MeasureDirection, MeasureUnit, ResultState
from dashboard.models import MeasureResult, QualityMeasure, QuarterlyReport
from dashboard.services import report_sign_off
from plans.demo_data import CHANGE_REASON, create_with_history
from plans.periods import FinancialQuarter, financial_year_of

MEASURE_TITLES = [
    "Children seen within 10 days of referral", "Reviews held on time", "Staff completing core training",
    "Days from referral to assessment", "Adults with a protection plan reviewed", "Delayed discharges",
    "Carers with a support plan", "Unpaid work orders completed on time",
]  # fmt: skip
RESULT_YEARS = 7


@transaction.atomic
def generate_measures(*, world, rng, measures_per_plan=16):
    measures = create_with_history(
        QualityMeasure,
        [_measure(plan, number, rng) for plan in world.plans for number in range(1, measures_per_plan + 1)],
    )
    results = []
    for measure in measures:
        value = Decimal(rng.randint(40, 90))
        for year in range(measure.plan.start_year - RESULT_YEARS + 1, measure.plan.start_year + 1):
            value = max(Decimal(0), value + rng.randint(-6, 8))
            latest_pending = year == measure.plan.start_year and rng.random() < 0.3
            results.append(_result(measure, year, None if latest_pending else value))
    create_with_history(MeasureResult, results, batch_size=5000)


def _measure(plan, number, rng):
    unit = MeasureUnit.PERCENT if number % 3 else MeasureUnit.DAYS
    direction = MeasureDirection.REDUCE if unit == MeasureUnit.DAYS else MeasureDirection.INCREASE
    target = Decimal(rng.choice([80, 85, 90, 95])) if unit == MeasureUnit.PERCENT else None
    return QualityMeasure(
        plan=plan, theme=DashboardTheme.values[number % 4], title=MEASURE_TITLES[number % len(MEASURE_TITLES)],
        unit=unit, direction=direction, target_value=target, order=number,
        target_text=f"{target}%" if target is not None else "Reduce",
    )  # fmt: skip


def _result(measure, year, value):
    if value is None:
        return MeasureResult(measure=measure, financial_year=year, state=ResultState.NOT_YET_AVAILABLE,
                             value_text="Final result not yet available")  # fmt: skip
    text = f"{value}%" if measure.unit == MeasureUnit.PERCENT else f"{value} days"
    return MeasureResult(measure=measure, financial_year=year, value=value, value_text=text)


def generate_reports(*, world):
    """A draft for this year's latest quarter; last year's Q4 signed off, with its frozen snapshot."""
    this_year = financial_year_of(world.today)
    current = world.current_quarter
    for plan in world.plans:
        if plan.start_year == this_year:
            quarter = current if current.start_year == this_year else FinancialQuarter(this_year, 4)
            QuarterlyReport.objects.create(plan=plan, period_year=quarter.start_year, period_quarter=quarter.quarter,
                                           period_text=str(quarter))  # fmt: skip
        elif plan.start_year == this_year - 1:
            report = QuarterlyReport.objects.create(
                plan=plan,
                period_year=plan.start_year,
                period_quarter=4,
                period_text=str(FinancialQuarter(plan.start_year, 4)),
            )
            report_sign_off(report=report, user=world.managers[plan.partnership_id], note=CHANGE_REASON)
