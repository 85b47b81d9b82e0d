"""Reads for the dashboard app. They return querysets or plain data."""

from django.db.models import Prefetch

from dashboard.models import MeasureResult, QualityMeasure


def measures_for_list():
    return QualityMeasure.objects.prefetch_related(
        Prefetch("results", queryset=MeasureResult.objects.order_by("financial_year"))
    )


def result_years(*, plan):
    """The financial years in which the plan's measures report results, oldest first."""
    return sorted(set(MeasureResult.objects.filter(measure__plan=plan).values_list("financial_year", flat=True)))
