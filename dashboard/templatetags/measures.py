from django import template

from dashboard.choices import MeasureUnit

register = template.Library()


@register.filter
def in_unit(value, unit):
    """{{ value|in_unit:measure.unit }}: 75 for a count, 30.7% for a percentage."""
    # A measure may state no unit (a CPP's often do): its results are plain figures.
    return MeasureUnit(unit or MeasureUnit.COUNT).format(value)
