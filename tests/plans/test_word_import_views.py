"""The import page takes a Word document to the same preview and confirm as a workbook."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import ImprovementAction, PlanImport, PlanImportStatus
from tests.plans.test_word_import import EA_ACTIONS, document


def named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def upload(client, content, name="plan.docx", **fields):
    return client.post(reverse("plans:import_start"), {"file": named(content, name)} | fields)


def test_a_word_document_goes_to_the_preview_then_imports(
    login, partnership_admin, partnership, django_assert_max_num_queries
):
    client = login(partnership_admin)
    content = document(EA_ACTIONS, [["Provider name", "Contract value"], ["Barnardo\u2019s", "£1"]])
    response = upload(client, content, partnership=partnership.pk)
    plan_import = PlanImport.objects.get()
    assert response["Location"] == plan_import.get_absolute_url()
    assert plan_import.status == PlanImportStatus.PREVIEWED, plan_import.preview["problems"]
    with django_assert_max_num_queries(6):
        page = client.get(plan_import.get_absolute_url()).text
    assert "What was read from the Word document" in page
    assert "Theme &amp; Outcome | Actions | Responsible | Timescale" in page
    assert "Provider name | Contract value" in page  # the table not read is listed
    assert "What the import will do" in page and "Download as a workbook" in page

    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert ImprovementAction.objects.filter(plan=plan_import.plan).count() == 2
    assert plan_import.plan.partnership == partnership


def test_the_workbook_read_from_a_word_document_downloads_for_its_uploader_only(
    login, partnership_admin, partnership, outsider
):
    upload(login(partnership_admin), document(EA_ACTIONS), partnership=partnership.pk)
    url = reverse("plans:import_workbook", kwargs={"pk": PlanImport.objects.get().pk})
    response = login(partnership_admin).get(url)
    assert response["Content-Disposition"] == 'attachment; filename="plan.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Actions"]["D2"].value == "Safe virtual learning"
    assert workbook["Plan"]["A2"].value == partnership.name
    assert login(outsider).get(url).status_code == 404  # someone else's upload is "not found"


def test_an_anonymous_visitor_gets_neither_the_workbook_nor_the_sample(client, login, partnership_admin, partnership):
    upload(login(partnership_admin), document(EA_ACTIONS), partnership=partnership.pk)
    client.logout()
    url = reverse("plans:import_workbook", kwargs={"pk": PlanImport.objects.get().pk})
    assert client.get(url).status_code == 302
    assert client.get(reverse("plans:import_word_sample")).status_code == 302


@pytest.mark.django_db
def test_a_workbook_upload_has_no_word_workbook(login, partnership_admin, partnership):
    from tests.plans.test_imports import GOOD, workbook

    upload(login(partnership_admin), workbook(partnership.name, [GOOD]), name="p.xlsx")
    url = reverse("plans:import_workbook", kwargs={"pk": PlanImport.objects.get().pk})
    assert login(partnership_admin).get(url).status_code == 404


def test_a_document_that_does_not_name_its_partnership_asks_for_it(login, partnership_admin):
    client = login(partnership_admin)
    upload(client, document(EA_ACTIONS))
    plan_import = PlanImport.objects.get()
    assert plan_import.status == PlanImportStatus.HAS_PROBLEMS
    page = client.get(plan_import.get_absolute_url()).text
    assert "does not say the plan&#x27;s partnership: choose it on the upload form" in page


def test_a_corrupt_word_document_is_listed_as_a_problem(login, partnership_admin, partnership):
    client = login(partnership_admin)
    upload(client, b"PK\x03\x04 broken", partnership=partnership.pk)
    plan_import = PlanImport.objects.get()
    assert plan_import.status == PlanImportStatus.HAS_PROBLEMS
    assert "could not be opened" in client.get(plan_import.get_absolute_url()).text


def test_the_upload_form_refuses_a_year_that_is_not_a_financial_year(login, partnership_admin, partnership):
    response = upload(login(partnership_admin), document(EA_ACTIONS), start_year="2022/25")
    assert response.status_code == 200 and "the second year must follow the first" in response.text
    assert not PlanImport.objects.exists()


def test_the_upload_form_offers_only_partnerships_the_user_administers(
    login, partnership_admin, partnership, other_partnership
):
    response = upload(login(partnership_admin), document(EA_ACTIONS), partnership=other_partnership.pk)
    assert response.status_code == 200 and "Select a valid choice" in response.text


def test_the_sample_document_downloads_from_the_import_page(login, partnership_admin):
    client = login(partnership_admin)
    assert reverse("plans:import_word_sample") in client.get(reverse("plans:import_start")).text
    response = client.get(reverse("plans:import_word_sample"))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content.startswith(b"PK\x03\x04")
