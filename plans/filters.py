import django_filters
from django.db.models import Q

from plans import periods, selectors
from plans.choices import ActionCategory, ActionStatus
from plans.models import (
    BudgetLine,
    CommissionedService,
    ImprovementAction,
    Plan,
    PlannedEfficiency,
    Service,
    Theme,
)
from sipportal.filters import SearchFilterSet
from sipportal.widgets import QuickSelect


def yes_no_any():
    """A yes/no filter widget whose empty choice reads 'Any' rather than 'Unknown'."""
    return QuickSelect(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def readable_plans(request):
    return selectors.readable_plans(user=request.user)


class ActionFilterSet(SearchFilterSet):
    """Actions of the current plans unless the user picks a year; drop-downs hold only what that shows."""

    year = django_filters.ChoiceFilter(
        method="filter_year", label="Plan year", empty_label="Current plans", widget=QuickSelect
    )
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.none(), empty_label="Any plan", widget=QuickSelect)
    category = django_filters.ChoiceFilter(
        choices=ActionCategory.choices, empty_label="Any category", widget=QuickSelect
    )
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.none(), empty_label="Any theme", widget=QuickSelect)
    # By name: a board member across partnerships picks "Justice Social Work" once, not once per partnership.
    service = django_filters.ChoiceFilter(field_name="service__name", empty_label="Any service", widget=QuickSelect)
    responsible = django_filters.CharFilter(lookup_expr="icontains", label="Responsible officer")
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label="RAG status", empty_label="Any status", widget=QuickSelect
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue", widget=yes_no_any())
    not_updated = django_filters.BooleanFilter(
        method="filter_not_updated", label="Not updated this quarter", widget=yes_no_any()
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "q",
            "year",
            "plan",
            "theme",
            "category",
            "service",
            "responsible",
            "status",
            "overdue",
            "not_updated",
        ]

    def __init__(self, data=None, *args, request=None, **kwargs):
        # Always bound: an unbound FilterSet skips filter_queryset, and so the current-plans default.
        data = {} if data is None else data
        super().__init__(data, *args, request=request, **kwargs)
        self.scope_choices(data, request.user)

    def scope_choices(self, data, user):
        """Offer the readable plans of the year chosen, and the services of their actions."""
        readable = selectors.readable_plans(user=user)
        self.filters["year"].extra["choices"] = selectors.plan_year_choices(readable)
        year = data.get("year", "")
        valid_year = year == selectors.ALL_YEARS or year.isdigit()
        shown = selectors.plans_in_year(readable, year if valid_year else "")
        self.filters["plan"].queryset = shown
        plan_id = data.get("plan", "")
        self.scope_services(self.queryset.filter(plan__in=shown.filter(pk=plan_id) if plan_id.isdigit() else shown))

    def scope_services(self, actions):
        """Offer the services, and the themes, of these actions."""
        self.filters["theme"].queryset = Theme.objects.filter(pk__in=actions.values("theme")).order_by("plan", "order")
        services = Service.objects.filter(pk__in=actions.values("service")).order_by("name")
        names = services.values_list("name", flat=True).distinct()
        self.filters["service"].extra["choices"] = [(name, name) for name in names]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("year"):
            queryset = queryset.filter(plan__in=selectors.current_plans(Plan.objects.all()))
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(plan__in=selectors.plans_in_year(Plan.objects.all(), value))

    def search(self, queryset, name, value):
        matching = ImprovementAction.objects.filter(
            Q(title__icontains=value)
            | Q(outcome__icontains=value)
            | Q(reference__istartswith=value)
            | Q(steps__text__icontains=value)
        )
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(today=periods.today())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_not_updated(self, queryset, name, value):
        # `updated_in_quarter` is annotated by selectors.actions_for_list for each plan's reporting quarter.
        return queryset.filter(updated_in_quarter=not value)


class PlanActionFilterSet(ActionFilterSet):
    """One plan's actions: the plan is chosen already, whatever its year."""

    def scope_choices(self, data, user):
        del self.filters["year"], self.filters["plan"]
        self.scope_services(self.queryset)

    def filter_queryset(self, queryset):
        return super(ActionFilterSet, self).filter_queryset(queryset)


class BudgetLineFilterSet(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__name", lookup_expr="icontains", label="Service")

    class Meta:
        model = BudgetLine
        fields = ["service", "financial_year"]


class EfficiencyFilterSet(SearchFilterSet):
    class Meta:
        model = PlannedEfficiency
        fields = ["q", "management_action", "delivery_status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(option__icontains=value) | Q(comments__icontains=value) | Q(division__icontains=value))


class ContractFilterSet(SearchFilterSet):
    class Meta:
        model = CommissionedService
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(provider__icontains=value) | Q(service_name__icontains=value) | Q(description__icontains=value)
        )
