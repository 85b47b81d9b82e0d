import django_tables2 as tables
from django.utils.html import format_html

from dashboard.choices import ResultState
from dashboard.models import QualityMeasure
from plans.periods import financial_year_label
from plans.tables import with_withdrawn_badge


class ResultColumn(tables.Column):
    """One financial year's result, read from the measure's prefetched results."""

    def __init__(self, year, **kwargs):
        self.year = year
        super().__init__(accessor="pk", verbose_name=f"{financial_year_label(year)} result", orderable=False, **kwargs)

    def render(self, record):
        result = next((r for r in record.results.all() if r.financial_year == self.year), None)
        if result is None:
            return "—"
        if result.state != ResultState.VALUE:
            return format_html('<span class="text-body-secondary fst-italic">{}</span>', result.value_text)
        return result.value_text

    def value(self, record):
        result = next((r for r in record.results.all() if r.financial_year == self.year), None)
        return result.value_text if result else ""


class MeasureTable(tables.Table):
    theme = tables.Column(default="Not stated")
    title = tables.Column(verbose_name="Measure")
    target_text = tables.Column(verbose_name="Target")
    direction = tables.Column()

    def render_title(self, record, value):
        return with_withdrawn_badge(record, value)

    def value_title(self, value):
        return value

    def render_direction(self, record):
        return record.direction_label()

    def value_direction(self, record):
        return record.direction_label()

    class Meta:
        model = QualityMeasure
        fields = ["theme", "title", "target_text", "direction"]
        empty_text = "This plan has no quality measures."

    def __init__(self, *args, years=(), **kwargs):
        extra = [(f"result_{year}", ResultColumn(year)) for year in years]
        sequence = ["theme", "title", *(name for name, _ in extra), "..."]
        super().__init__(*args, extra_columns=extra, sequence=sequence, **kwargs)
