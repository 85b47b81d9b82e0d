"""Rows built by the table_row tag: what the template loop in django_tables2/sip.html rendered."""

import django_tables2 as tables
from django.test import RequestFactory


class Pupils(tables.Table):
    name = tables.Column(attrs={"td": {"class": "col-key", "data-kind": lambda record: record["kind"]}})
    count = tables.Column(verbose_name="Pupils & staff")
    note = tables.Column()

    def render_note(self, value):
        return f"<{value}>"


def rendered_rows(table):
    html = table.as_html(RequestFactory().get("/"))
    return [row.split("</tr>")[0] for row in html.split("<tbody")[1].split("<tr")[1:]]


def test_every_cell_names_its_column_and_row_specific_attributes_see_their_row():
    rows = rendered_rows(
        Pupils([{"name": "Ayr", "kind": "town", "count": 1200, "note": "big"}, {"name": "Troon", "kind": "burgh"}])
    )
    assert rows[0].startswith(' class="even">')
    assert '<td class="col-key" data-kind="town" data-label="Name">Ayr</td>' in rows[0]
    assert '<td class="col-key" data-kind="burgh" data-label="Name">Troon</td>' in rows[1]
    # Headers and values are escaped; a value django-tables2 finds empty shows its default.
    assert '<td  data-label="Pupils &amp; staff">1200</td>' in rows[0]
    assert '<td  data-label="Note">&lt;big&gt;</td>' in rows[0]
    assert '<td  data-label="Note">—</td>' in rows[1]


def test_a_table_may_render_a_cell_from_its_record():
    class Quick(Pupils):
        def cell_count(self, record):
            return f"{record.get('count', 0)} on roll"

    rows = rendered_rows(Quick([{"name": "Irvine", "kind": "town"}]))
    assert '<td  data-label="Pupils &amp; staff">0 on roll</td>' in rows[0]
