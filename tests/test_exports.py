"""Every list's CSV and XLSX downloads work for every role, and sheet titles are always ones Excel accepts."""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from plans.choices import MembershipRole
from plans.models import Partnership, Plan
from sipportal.exports import XLSX_CONTENT_TYPE, ExportColumn, safe_sheet_title, xlsx_response
from sipportal.views import ObjectListView
from tests.factories import MembershipFactory, UserFactory


def export_list_patterns(patterns=None, namespace=""):
    """(URL name, route) of every list page that offers downloads, found from the URLconf itself."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += export_list_patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "view_class", None)
            if view_class and issubclass(view_class, ObjectListView) and view_class.export_formats:
                found.append((namespace + entry.name, str(entry.pattern), view_class.export_formats))
    return found


def export_urls():
    """Every export URL for every plan and partnership in the seed data."""
    urls = []
    for name, route, formats in export_list_patterns():
        if route.startswith("plans/<slug:slug>"):
            pages = [reverse(name, kwargs={"slug": slug}) for slug in Plan.objects.values_list("slug", flat=True)]
        elif route.startswith("partnerships/<slug:slug>"):
            slugs = Partnership.objects.values_list("slug", flat=True)
            pages = [reverse(name, kwargs={"slug": slug}) for slug in slugs]
        else:
            pages = [reverse(name)]
        urls += [f"{page}?export={export_format}" for page in pages for export_format in formats]
    return urls


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_export_lists_are_found():
    names = {name for name, _, _ in export_list_patterns()}
    expected = {"plans:action_list", "plans:plan_actions", "risks:plan_risks", "risks:register"}
    assert expected <= names


@pytest.mark.parametrize("role", MembershipRole.values)
def test_every_export_of_every_list_downloads_for_every_role(seeded, client, role):
    user = UserFactory(username=f"export-{role}")
    for partnership in Partnership.objects.all():
        MembershipFactory(user=user, partnership=partnership, role=role)
    client.force_login(user)
    urls = export_urls()
    assert len(urls) > 2 * Plan.objects.count()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment; filename="), url
        if url.endswith("xlsx"):
            assert response["Content-Type"] == XLSX_CONTENT_TYPE, url
            sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
            rows = list(sheet.iter_rows(values_only=True))
        else:
            assert response["Content-Type"].startswith("text/csv"), url
            rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))
        assert rows and all(rows[0]), url  # a header row, every column named


def test_the_risk_register_export_names_its_sheet_safely(seeded, client, superuser):
    partnership = Partnership.objects.filter(risks__isnull=False).distinct().first()
    client.force_login(superuser)
    response = client.get(reverse("risks:register", kwargs={"slug": partnership.slug}) + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # a streamed file reads once
    assert sheet.title == f"Risk register {partnership.name}"[:31].strip()
    assert len(list(sheet.iter_rows())) > 1  # the risks are there


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Risk register: East Ayrshire", "Risk register East Ayrshire"),
        ("Q1/Q2 [draft] *final*? a\\b", "Q1 Q2 draft final a b"),
        ("'Quoted'", "Quoted"),
        ("Risk register: East Ayrshire Health and Social Care Partnership", "Risk register East Ayrshire Hea"),
        ("A title of exactly thirty-one 'x", "A title of exactly thirty-one"),
        (":/?*", "Export"),
        ("", "Export"),
    ],
)
def test_sheet_titles_are_made_safe(title, expected):
    assert safe_sheet_title(title) == expected
    load_workbook(
        io.BytesIO(xlsx_response([ExportColumn("Heading", str)], [], "file", sheet_title=title).getvalue())
    )  # Excel-valid
