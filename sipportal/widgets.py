"""Form widgets shared by every app."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def attributes(attrs):
    """As django/forms/widgets/attrs.html: True a bare attribute, False none at all."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A <select> written out in Python, with the markup of Django's own templates.

    Django renders every <option> through a template include of its own: for the hundreds of plans,
    themes and services a filter offers at national scale, that cost more than the 50-row table beside it.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
