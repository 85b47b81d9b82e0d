"""Table rows rendered in Python: what templates/django_tables2/sip.html's row loop did, without its cost.

The template loop resolved each cell's attributes, header and localisation again for every cell, and
django-tables2's `get_cell` inspected the render method's signature for every cell too. Together that was
most of a 50-row list's time. Here the parts that do not change from row to row are worked out once per
table, and a table may render a cell straight from its record with a `cell_<column name>(record)` method.
"""

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def has_callable_attrs(bound_column):
    """Whether the cell's attributes depend on the row (django-tables2 allows callables)."""
    attrs = dict(bound_column._table.attrs) | dict(bound_column.column.attrs)
    td = attrs.get("td", attrs.get("cell", {}))
    return any(callable(value) for value in td.values())


def column_layout(table):
    """Per visible column: the bound column, its opening <td> (None when it differs per row), its cell method."""
    layout = []
    for column in table.columns:
        opening = None
        if not has_callable_attrs(column):
            opening = format_html('<td {} data-label="{}">', column.attrs["td"].as_html(), column.header)
        layout.append((column, opening, getattr(table, f"cell_{column.name}", None)))
    return layout


def opening_for_row(column, record, cell):
    # As BoundRow.items() does: callable attributes see the row's record and value.
    column.current_value, column.current_record = cell, record
    return format_html('<td {} data-label="{}">', column.attrs["td"].as_html(), column.header)


def cell_html(column, cell, context):
    if column.localize is None:
        return conditional_escape(render_value_in_context(cell, context))
    return conditional_escape(localize(cell) if column.localize else unlocalize(cell))


@register.simple_tag(takes_context=True)
def table_row(context, row):
    """One <tr>: its attributes, and per column a <td> naming the column (data-label) for the stacked layout."""
    table = row.table
    layout = getattr(table, "_sip_row_layout", None)
    if layout is None:
        layout = table._sip_row_layout = column_layout(table)
    record = row.record
    parts = [format_html("<tr {}>", row.attrs.as_html())]
    for column, opening, cell_method in layout:
        cell = cell_method(record) if cell_method else row.get_cell(column.name)
        parts.append(opening or opening_for_row(column, record, cell))
        parts.append(cell_html(column, cell, context))
        parts.append("</td>")
    parts.append("</tr>")
    return mark_safe("".join(parts))
