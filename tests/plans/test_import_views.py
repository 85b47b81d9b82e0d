"""A new partnership through the import: a superuser creates it from the preview; anyone else is told who can."""

import pytest
from django.urls import reverse

from plans.models import Partnership, Plan, PlanImport, PlanImportStatus
from tests.plans.test_imports import GOOD, named, workbook

NEW = "Brand New Health and Social Care Partnership"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, partnership_name):
    client.post(reverse("plans:import_start"), {"file": named(workbook(partnership_name, [GOOD]), "p.xlsx")})
    return PlanImport.objects.latest("pk")


def create_url(plan_import):
    return reverse("plans:import_create_partnership", kwargs={"pk": plan_import.pk})


def test_a_superuser_creates_the_partnership_from_the_preview_and_the_import_continues(login, superuser):
    client = login(superuser)
    plan_import = upload(client, NEW)
    assert plan_import.status == PlanImportStatus.HAS_PROBLEMS
    page = client.get(plan_import.get_absolute_url()).text
    assert f"There is no partnership called &#x27;{NEW}&#x27;" in page
    assert create_url(plan_import) in page and '<option value="hscp" selected>' in page

    client.post(create_url(plan_import), {"kind": "hscp"})
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.PREVIEWED
    assert plan_import.preview["counts"]["Partnership"]["created"] == 1
    assert not Partnership.objects.filter(name=NEW).exists()  # still only a preview
    assert "Importing creates the partnership" in client.get(plan_import.get_absolute_url()).text

    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    created = Partnership.objects.get(name=NEW)
    assert created.kind == "hscp"
    assert Plan.objects.get(partnership=created).actions.count() == 1


def test_the_kind_must_be_chosen(login, superuser):
    client = login(superuser)
    plan_import = upload(client, NEW)
    response = client.post(create_url(plan_import), {"kind": "council"}, follow=True)
    assert "Choose whether the new partnership is an HSCP or a CPP" in response.text
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.HAS_PROBLEMS


@pytest.mark.parametrize("who", ["anonymous", "partnership_admin", "viewer", "outsider"])
def test_only_a_superuser_may_create_a_partnership(request, client, superuser, who):
    plan_import = upload(client_as(client, superuser), NEW)
    client.logout()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(create_url(plan_import), {"kind": "hscp"})
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert "login" in response["Location"]
    plan_import.refresh_from_db()
    assert "create_partnership" not in plan_import.preview
    assert not Partnership.objects.filter(name=NEW).exists()


def client_as(client, user):
    client.force_login(user)
    return client


def test_anyone_else_is_told_who_can_create_it_without_learning_other_partnerships(
    login, partnership_admin, superuser, other_partnership
):
    superuser.first_name, superuser.last_name = "Sam", "Root"
    superuser.save()
    client = login(partnership_admin)
    for name in (NEW, other_partnership.name):
        page = client.get(upload(client, name).get_absolute_url()).text
        problems = page.split('id="problems"')[1].split("</table>")[0]
        assert f"You are not a partnership admin of {name}" in problems
        assert "a site administrator (Sam Root) can create it" in problems
        assert "new-partnership-kind" not in page
    messages = [p["message"] for i in PlanImport.objects.order_by("pk") for p in i.preview["problems"]]
    assert messages[0].replace(NEW, "X") == messages[1].replace(other_partnership.name, "X")  # the same answer
