"""A partnership admin brings a new plan year in from the template, in a real browser."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from plans.choices import ActionStatus, MembershipRole
from plans.models import Partnership, Plan
from plans.periods import FinancialQuarter
from plans.workbook.writer import export_plan
from tests.factories import MembershipFactory, UserFactory, record_progress
from tests.plans.workbook.books import edit_workbook

pytestmark = pytest.mark.e2e


def person(username, role):
    user = UserFactory(username=username)
    partnership = Partnership.objects.get(slug="east-ayrshire-hscp")
    MembershipFactory(user=user, partnership=partnership, role=role)
    return user


def fill_in(template_path, out_path, rag_for_second_action):
    """What the admin does in Excel: fill the Plan and Actions sheets, delete the example rows."""
    book = load_workbook(template_path)
    plan = book["Plan"]
    plan.delete_rows(2)
    plan.append(
        [
            "East Ayrshire Health and Social Care Partnership",
            "Service improvement plan",
            "Children's Health, Care and Justice Service Improvement Plan",
            "2021/22",
            "",
            "Draft",
        ]
    )
    actions = book["Actions"]
    actions.delete_rows(2)
    headers = [cell.value for cell in actions[1]]
    rows = [
        {
            "Reference": "A01",
            "Category": "Recovery & Renewal",
            "Theme & outcome": "Safe virtual learning",
            "Action steps": "• Blended learning\n• Safe placements",
            "Due date": "31 March 2022",
            "RAG status": "Not yet assessed",
        },
        {
            "Reference": "A02",
            "Category": "Transformation",
            "Theme & outcome": "Keep The Promise",
            "Action steps": "- Identify local priorities",
            "Due date": "2022-03-31",
            "RAG status": rag_for_second_action,
        },
    ]
    for row in rows:
        actions.append([row.get(header, "") for header in headers])
    for name in ["Measures", "Budget", "Efficiencies", "Risks"]:
        book[name].delete_rows(2)
    book.save(out_path)


def test_admin_imports_a_plan_year_from_the_template(seeded, sign_in, tmp_path):
    page = sign_in(person("ea.admin", MembershipRole.PARTNERSHIP_ADMIN))
    page.get_by_role("link", name="Import", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    # First attempt: one row has a RAG status that does not exist.
    fill_in(template, tmp_path / "with-error.xlsx", "Purple")
    page.get_by_label("Workbook or CSV").set_input_files(tmp_path / "with-error.xlsx")
    page.get_by_role("button", name="Upload and preview").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Actions")
    expect(problems).to_contain_text("RAG status")
    expect(problems).to_contain_text("'Purple' is not a RAG status")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    # Fixed and uploaded again: the preview shows what will be created, then the import runs.
    fill_in(template, tmp_path / "fixed.xlsx", "Not yet assessed")
    page.get_by_role("link", name="Import a plan year").click()
    page.get_by_label("Workbook or CSV").set_input_files(tmp_path / "fixed.xlsx")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#changes")).to_contain_text("Actions")
    assert not Plan.objects.filter(start_year=2021, partnership__slug="east-ayrshire-hscp", kind="sip").exists()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_contain_text("Imported")
    page.locator("#import-status").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Health, Care and Justice Service Improvement Plan"
    )
    expect(page.get_by_text("2021/22 · Draft")).to_be_visible()
    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="Actions").click()
    expect(page.get_by_role("table").get_by_role("link", name="A02", exact=True)).to_be_visible()


def test_a_manager_cannot_reach_the_import_page(seeded, sign_in):
    page = sign_in(person("ea.manager2", MembershipRole.MANAGER))
    expect(page.get_by_role("link", name="Import", exact=True)).to_have_count(0)
    response = page.goto("/imports/new/")
    assert response.status == 403


def test_admin_reimports_an_older_export_keeping_newer_work(seeded, sign_in, tmp_path):
    """The issue's story: an older export, one cell changed, never undoes a newer progress update."""
    admin = person("ea.admin3", MembershipRole.PARTNERSHIP_ADMIN)
    plan = Plan.objects.get(slug="east-ayrshire-chcj-sip-2020-21")
    old_file = edit_workbook(
        export_plan(plan), "Actions", edits={"A01": {"Responsible": "Head of service"}}, delete=["A03"]
    )
    record_progress(plan.actions.get(reference="A09"), admin, ActionStatus.AMBER, FinancialQuarter(2020, 3), percent=40)
    (tmp_path / "old.xlsx").write_bytes(old_file)

    page = sign_in(admin)
    page.goto("/imports/new/")
    page.get_by_label("Workbook or CSV").set_input_files(tmp_path / "old.xlsx")
    page.get_by_role("button", name="Upload and preview").click()
    actions = page.locator("#diff-actions")
    expect(actions).to_contain_text("Head of service")
    expect(actions).to_contain_text("In the plan but not in this file")
    expect(actions).to_contain_text("Not imported")
    page.get_by_label("Withdraw").check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_contain_text("Imported")
    a09, a03 = plan.actions.get(reference="A09"), plan.actions.get(reference="A03")
    assert (a09.status, a09.percent_complete) == (ActionStatus.AMBER, 40)
    assert a03.withdrawn_at is not None
