import django_filters
from django.db.models import Q

from plans.choices import ActionCategory, ActionStatus
from plans.models import BudgetLine, CommissionedService, ImprovementAction, PlannedEfficiency


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ChoiceFilter(choices=ActionCategory.choices, empty_label="Any category")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label="RAG status", empty_label="Any status")
    responsible = django_filters.CharFilter(lookup_expr="icontains", label="Responsible officer")

    class Meta:
        model = ImprovementAction
        fields = ["q", "category", "status", "responsible"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(outcome__icontains=value)
            | Q(reference__iexact=value)
            | Q(steps__text__icontains=value)
        ).distinct()


class BudgetLineFilterSet(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__name", lookup_expr="icontains", label="Service")

    class Meta:
        model = BudgetLine
        fields = ["service", "financial_year"]


class EfficiencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")

    class Meta:
        model = PlannedEfficiency
        fields = ["q", "management_action", "delivery_status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(option__icontains=value) | Q(comments__icontains=value) | Q(division__icontains=value))


class ContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")

    class Meta:
        model = CommissionedService
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(provider__icontains=value) | Q(service_name__icontains=value) | Q(description__icontains=value)
        )
