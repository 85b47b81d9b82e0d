import datetime

import django_filters
from django import forms
from django.db.models import Q

from plans import selectors
from plans.choices import ActionCategory, ActionStatus
from plans.models import BudgetLine, CommissionedService, ImprovementAction, PlannedEfficiency, Service
from plans.permissions import readable_partnerships


def yes_no_any():
    """A yes/no filter widget whose empty choice reads 'Any' rather than 'Unknown'."""
    return forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def readable_plans(request):
    return selectors.readable_plans(user=request.user)


def readable_services(request):
    return Service.objects.filter(partnership__in=readable_partnerships(request.user))


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    plan = django_filters.ModelChoiceFilter(queryset=readable_plans, empty_label="Any plan")
    category = django_filters.ChoiceFilter(choices=ActionCategory.choices, empty_label="Any category")
    service = django_filters.ModelChoiceFilter(queryset=readable_services, empty_label="Any service")
    responsible = django_filters.CharFilter(lookup_expr="icontains", label="Responsible officer")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label="RAG status", empty_label="Any status")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue", widget=yes_no_any())
    not_updated = django_filters.BooleanFilter(
        method="filter_not_updated", label="Not updated this quarter", widget=yes_no_any()
    )

    class Meta:
        model = ImprovementAction
        fields = ["q", "plan", "category", "service", "responsible", "status", "overdue", "not_updated"]

    def search(self, queryset, name, value):
        matching = ImprovementAction.objects.filter(
            Q(title__icontains=value)
            | Q(outcome__icontains=value)
            | Q(reference__istartswith=value)
            | Q(steps__text__icontains=value)
        )
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(today=datetime.date.today())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_not_updated(self, queryset, name, value):
        # `updated_in_quarter` is annotated by selectors.actions_for_list for the current quarter.
        return queryset.filter(updated_in_quarter=not value)


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
