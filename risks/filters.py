import django_filters
from django.db.models import Q

from plans import periods, selectors
from plans.filters import readable_plans, yes_no_any
from plans.models import Plan
from risks.choices import RiskLevel, RiskStatus
from risks.models import Risk
from risks.scoring import risk_level, risk_score
from sipportal.filters import SearchFilterSet

SCORES = [(n, str(n)) for n in range(1, 6)]


class RiskFilterSet(SearchFilterSet):
    """Risks of the current plans (and those of no plan) unless the user picks a year."""

    year = django_filters.ChoiceFilter(method="filter_year", label="Plan year", empty_label="Current plans")
    plan = django_filters.ModelChoiceFilter(queryset=readable_plans, empty_label="Any plan")
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any status")
    level = django_filters.ChoiceFilter(
        choices=[*RiskLevel.choices, ("unscored", "Not yet scored")],
        method="filter_level",
        empty_label="Any level",
        label="Level",
    )
    likelihood = django_filters.ChoiceFilter(choices=SCORES, empty_label="Any likelihood")
    impact = django_filters.ChoiceFilter(choices=SCORES, empty_label="Any impact")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Review overdue", widget=yes_no_any())

    class Meta:
        model = Risk
        fields = ["q", "year", "plan", "status", "level", "likelihood", "impact", "overdue"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        # Always bound: an unbound FilterSet skips filter_queryset, and so the current-plans default.
        super().__init__({} if data is None else data, queryset, request=request, **kwargs)
        # Only the plans the listed risks belong to: one partnership's, not every readable plan.
        plans = readable_plans(request).filter(pk__in=self.queryset.values("plan"))
        self.filters["plan"].queryset = plans
        if "year" in self.filters:
            self.filters["year"].extra["choices"] = selectors.plan_year_choices(plans)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "year" in self.filters and not self.form.cleaned_data.get("year") and not self.form.cleaned_data.get("plan"):
            queryset = queryset.filter(Q(plan__isnull=True) | Q(plan__in=Plan.objects.current()))
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(plan__in=selectors.plans_in_year(Plan.objects.all(), value))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(reference__iexact=value)
            | Q(owner__icontains=value)
            | Q(mitigations__text__icontains=value)
        ).distinct()

    def filter_level(self, queryset, name, value):
        if value == "unscored":
            return queryset.filter(Q(likelihood__isnull=True) | Q(impact__isnull=True))
        # Which likelihood x impact pairs fall in the level, from the one matrix in risks.scoring.
        pairs = [
            (likelihood, impact)
            for likelihood in range(1, 6)
            for impact in range(1, 6)
            if risk_level(risk_score(likelihood, impact)) == value
        ]
        condition = Q(pk__in=[])
        for likelihood, impact in pairs:
            condition |= Q(likelihood=likelihood, impact=impact)
        return queryset.filter(condition)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.review_overdue(periods.today())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class PlanRiskFilterSet(RiskFilterSet):
    """One plan's risks: the plan is chosen already, whatever its year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["year"], self.filters["plan"]
