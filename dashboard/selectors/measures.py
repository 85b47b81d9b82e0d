"""Quality measures, money (budgets and efficiencies) and indicators, summarised for the dashboards."""

from decimal import Decimal

from django.db.models import Prefetch, Q

from dashboard.models import Indicator, IndicatorValue, MeasureResult, QualityMeasure
from plans.models import BudgetLine, PlannedEfficiency
from plans.periods import financial_year_label


def measures_for_list():
    return QualityMeasure.objects.prefetch_related(
        Prefetch("results", queryset=MeasureResult.objects.order_by("financial_year"))
    )


def result_years(*, plan):
    """The financial years in which the plan's measures report results, oldest first."""
    return sorted(set(MeasureResult.objects.filter(measure__plan=plan).values_list("financial_year", flat=True)))


# --- measures, money, risks, indicators -----------------------------------------------------------


def measure_summary(*, plans):
    measures = measures_for_list().in_force().filter(plan__in=plans).order_by("plan", "order")
    summary = []
    for measure in measures:
        results = list(measure.results.all())
        numeric = measure.numeric_results()
        latest = results[-1] if results else None
        latest_numeric = numeric[-1] if numeric else None
        status = measure.assess()
        summary.append(
            {
                "pk": measure.pk,
                "title": measure.title,
                "theme": measure.get_theme_display() or "Not stated",
                "target": measure.target_text,
                "target_value": float(measure.target_value) if measure.target_value is not None else None,
                "latest": (
                    f"{latest_numeric.value_text} ({latest_numeric.period_label})" if latest_numeric else "None yet"
                ),
                "latest_stated": f"{latest.value_text} ({latest.period_label})" if latest else "",
                "status": status.value,
                "status_label": status.label,
                "reasons": measure.comparison_problems(),
                "series": [(r.period_label, float(r.value)) for r in numeric],
                "unit": measure.unit,
            }
        )
    return summary


def money_summary(*, plans):
    efficiencies = list(PlannedEfficiency.objects.in_force().filter(plan__in=plans).order_by("plan", "number"))
    budget = BudgetLine.objects.in_force().filter(plan__in=plans).select_related("service").order_by("plan", "order")
    budget = list(budget)
    planned = sum((e.planned_saving for e in efficiencies), Decimal(0))
    delivered = sum((e.delivered_saving or Decimal(0) for e in efficiencies), Decimal(0))
    return {
        "efficiencies": [
            {
                "number": e.number,
                "option": e.option,
                "division": e.division,
                "planned": e.planned_saving,
                "delivered": e.delivered_saving,
                "status": e.get_delivery_status_display(),
            }
            for e in efficiencies
        ],
        "planned_total": planned,
        "delivered_total": delivered,
        "budget": [
            {"service": line.service.name, "amount": line.amount, "year": financial_year_label(line.financial_year)}
            for line in budget
        ],
        "budget_total": sum((line.amount for line in budget), Decimal(0)),
    }


def indicator_summary(*, partnerships, plans=None, with_unplanned=False):
    """The indicators of `plans` if given (and then of no plan too, `with_unplanned`), else of the partnerships."""
    indicators = Indicator.objects.filter(partnership__in=partnerships)
    if plans is not None:
        indicators = indicators.filter(
            Q(plan__in=plans) | Q(plan__isnull=True) if with_unplanned else Q(plan__in=plans)
        )
    indicators = indicators.prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("order")))
    return [
        {
            "pk": indicator.pk,
            "title": indicator.title,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "notes": indicator.notes,
            "points": [
                {"label": v.label, "value": float(v.value) if v.value is not None else None, "text": v.value_text}
                for v in indicator.values.all()
            ],
        }
        for indicator in indicators
    ]
