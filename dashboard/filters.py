import django_filters

from dashboard.choices import DashboardTheme, MeasureDirection
from dashboard.models import QualityMeasure


class MeasureFilterSet(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Measure")
    theme = django_filters.ChoiceFilter(choices=DashboardTheme.choices, empty_label="Any theme")
    direction = django_filters.ChoiceFilter(choices=MeasureDirection.choices, empty_label="Any direction")

    class Meta:
        model = QualityMeasure
        fields = ["title", "theme", "direction"]
