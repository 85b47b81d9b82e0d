import re

from django import forms

from sipportal.widgets import QuickSelect


def tags(html):
    """The markup without the whitespace between tags, which Django's templates and QuickSelect lay out differently."""
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [
    ("", "Any"),
    (1, "Children & families <new>"),
    ("Ayrshire", [("ea", "East Ayrshire"), ("sa", 'South "Ayrshire"')]),
    (False, "No"),
]


def test_quick_select_writes_what_djangos_select_template_writes():
    attrs = {"id": "id_area", "class": "select form-select", "required": True, "disabled": False, "data-x": '"q"'}
    for value in ("", 1, "sa", None, False):
        expected = forms.Select(choices=CHOICES).render("area", value, attrs=attrs)
        assert tags(QuickSelect(choices=CHOICES).render("area", value, attrs=attrs)) == tags(expected)


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = QuickSelect(choices=CHOICES).render("area", "sa", attrs={"id": "id_area"})
    assert '<option value="sa" selected>South &quot;Ayrshire&quot;</option>' in html
    assert "Children &amp; families &lt;new&gt;" in html
    assert '<optgroup label="Ayrshire">' in html
