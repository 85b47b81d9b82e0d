import django_filters
from django.db.models import Q

from risks.choices import RiskStatus
from risks.models import Risk


class RiskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any status")

    class Meta:
        model = Risk
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value) | Q(reference__iexact=value))
