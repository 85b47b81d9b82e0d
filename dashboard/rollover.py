"""The dashboard's roll-over step: measures carry forward with last year's result as their baseline."""

from simple_history.utils import bulk_create_with_history

from dashboard.choices import ResultState
from dashboard.models import MeasureResult, QualityMeasure
from plans.rollover import RolloverStep, register

COPIED_MEASURE_FIELDS = ("theme", "title", "unit", "direction", "target_value", "target_text", "order")


def _measures(plan):
    measures = QualityMeasure.objects.filter(plan=plan).in_force().prefetch_related("results")
    return list(measures.order_by("order"))


def _latest_result(measure):
    values = (r for r in measure.results.all() if r.state == ResultState.VALUE)
    return max(values, key=lambda r: r.financial_year, default=None)


def _copy(measure, new_plan, latest):
    return QualityMeasure(
        plan=new_plan,
        target_year=measure.target_year + 1 if measure.target_year else None,
        baseline_note=f"Baseline: {latest.period_label} result {latest.value_text}" if latest else "",
        **{name: getattr(measure, name) for name in COPIED_MEASURE_FIELDS},
    )


def _carry(plan, new_plan):
    """Targets are kept for review; last year's result becomes the new measure's baseline."""
    measures = _measures(plan)
    latest = [_latest_result(m) for m in measures]
    copies = bulk_create_with_history(
        [_copy(m, new_plan, r) for m, r in zip(measures, latest, strict=True)], QualityMeasure
    )
    if any(copy.pk is None for copy in copies):  # a backend that does not return keys from bulk inserts
        copies = list(QualityMeasure.objects.filter(plan=new_plan).order_by("order", "pk"))
    bulk_create_with_history(
        [
            MeasureResult(
                measure=copy,
                financial_year=r.financial_year,
                state=r.state,
                value=r.value,
                value_text=r.value_text,
            )
            for copy, r in zip(copies, latest, strict=True)
            if r
        ],
        MeasureResult,
    )


register(RolloverStep("measures", lambda plan: {"measures": len(_measures(plan))}, _carry, position=20))
