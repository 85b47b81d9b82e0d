from django import template

from dashboard.choices import MeasureUnit

register = template.Library()


@register.filter
def in_unit(value, unit):
    """{{ value|in_unit:measure.unit }}: 75 for a count, 30.7% for a percentage."""
    return MeasureUnit(unit).format(value)
