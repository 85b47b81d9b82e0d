"""Downloads of the actions list: a workbook a manager can hand to a committee, and a CSV."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from plans.periods import FinancialQuarter
from sipportal.exports import ExportColumn, write_xlsx
from tests.factories import ActionFactory, record_progress

QUARTER = FinancialQuarter.current()


def download(client, export_format, **filters):
    response = client.get(reverse("plans:action_list"), {**filters, "export": export_format})
    assert response.status_code == 200
    assert response.streaming  # written as it is read, never built whole in memory
    return response


def test_the_xlsx_has_typed_cells_widths_a_frozen_header_and_a_filter(login, owner, plan, action):
    action.due_date = datetime.date(2022, 3, 31)
    action.save()
    record_progress(action, owner, "amber", QUARTER.previous(), percent=20, commentary="Older note.")
    record_progress(action, owner, "green", QUARTER, percent=60, commentary="Panel recruited.")
    ActionFactory(plan=plan, reference="A02", title="No date yet", due_date=None)

    response = download(login(owner), "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="improvement-actions.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Ref",
        "Action",
        "Partnership",
        "Plan",
        "Plan year",
        "Category",
        "Responsible",
        "Due",
        "RAG status",
        "Withdrawn",
        "% complete",
        "Updated this quarter",
        "Latest update",
        "Latest commentary",
    ]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    first, second = rows["A01"], rows["A02"]
    assert first["Due"].value == datetime.datetime(2022, 3, 31)
    assert first["Due"].is_date and first["Due"].number_format == "dd/mm/yyyy"
    assert second["Due"].value is None  # a missing date is empty, not a dash
    assert first["% complete"].value == 60 and first["% complete"].data_type == "n"
    assert first["Updated this quarter"].value == "Yes" and second["Updated this quarter"].value == "No"
    assert first["Latest commentary"].value == "Panel recruited."
    assert first["Latest update"].value == str(QUARTER)
    assert first["Plan year"].value == plan.period_label
    assert first["RAG status"].value == "Green" and first["Withdrawn"].value == "No"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N3"
    assert sheet.column_dimensions["B"].width == 50
    assert sheet.column_dimensions["H"].width == 12
    assert all(cell.font.b for cell in sheet[1])


def test_the_csv_streams_the_same_columns_as_text(login, owner, plan, action):
    action.due_date = None
    action.save()
    record_progress(action, owner, "red", QUARTER, commentary="Post vacant,\nadvert out.")
    response = download(login(owner), "csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:2] == ["Ref", "Action"] and rows[0][-1] == "Latest commentary"
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Ref"] == "A01"
    assert record["Latest commentary"] == "Post vacant,\nadvert out."
    assert record["Updated this quarter"] == "Yes"
    assert record["Due"] == ""


def test_an_export_runs_a_fixed_number_of_queries(login, owner, plan, django_assert_max_num_queries):
    for number in range(30):
        ActionFactory(plan=plan, reference=f"B{number:02d}")
    client = login(owner)
    with django_assert_max_num_queries(12):
        download(client, "xlsx").getvalue()


def test_write_xlsx_neutralises_formulas_and_keeps_numbers():
    columns = [ExportColumn("Text", lambda r: r[0]), ExportColumn("Number", lambda r: r[1], kind="number")]
    buffer = io.BytesIO()
    write_xlsx(columns, [("=1+2", 3), ("-5", -5)], buffer, sheet_title="Risk register: East Ayrshire")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == "Risk register East Ayrshire"  # no ':' (Excel refuses it)
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [["'=1+2", 3], ["'-5", -5]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
