"""A whole plan year in a real browser (issue 10): import, two quarters of updates, sign-off, a stale
re-import, roll-over and publish, and year two's changes. Nothing newer is lost and nothing counts twice."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from plans.choices import ActionStatus, MembershipRole, PlanStatus
from plans.models import ImprovementAction, Plan, ProgressUpdate
from plans.periods import FinancialQuarter, financial_year_label
from risks.models import RiskReview
from risks.services import risk_review
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
from tests.plans.workbook.books import edit_workbook

pytestmark = pytest.mark.e2e

PARTNERSHIP = "Glen Test HSCP"
ACTIONS = {
    "A01": "Safe virtual learning for every school-age child",
    "A02": "Publish the corporate parenting plan",
    "A03": "Recruit two foster carers a quarter",
    "A04": "Review the throughcare pathway",
}


def year_one_workbook(template, year):
    """What the admin types into the template: the plan, four actions and two risks; examples deleted."""
    book = load_workbook(io.BytesIO(template))
    for sheet in book.worksheets[1:]:
        sheet.delete_rows(2, sheet.max_row)
    fill(
        book["Plan"],
        {
            "Partnership": PARTNERSHIP,
            "Kind": "Service improvement plan",
            "Title": f"Glen Children's Services Improvement Plan {financial_year_label(year)}",
            "First financial year": financial_year_label(year),
            "Status": "Published",
        },
    )
    for reference, title in ACTIONS.items():
        fill(
            book["Actions"],
            {
                "Reference": reference,
                "Theme & outcome": title,
                "Responsible": "Service manager",
                "Timescale as stated": financial_year_label(year),
            },
        )
    for reference, title in {"R1": "Foster carer shortage", "R2": "Loss of grant funding"}.items():
        fill(book["Risks"], {"Reference": reference, "Title": title, "Likelihood (1-5)": 3, "Impact (1-5)": 4})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill(sheet, values):
    headers = [cell.value for cell in sheet[1]]
    sheet.append([values.get(header, "") for header in headers])


def person(username, partnership, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=partnership, role=role)
    return user


def upload(page, path, *, tick=()):
    page.goto("/imports/new/")
    page.get_by_label("Workbook or CSV").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#problems")).to_have_count(0)
    for label in tick:
        page.get_by_label(label).first.check()


def confirm_import(page):
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_contain_text("Imported")


def update(page, action, status, quarter, commentary):
    page.goto(f"/actions/{action.pk}/update/")
    page.get_by_label(ActionStatus(status).label, exact=True).check()
    page.get_by_label("Reporting quarter").select_option(str(quarter))
    page.get_by_label("Commentary").fill(commentary)
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(lambda url: "/update/" not in url)


def sign_off(page, plan, quarter):
    page.goto(f"/plans/{plan.slug}/dashboard/?quarter={quarter}")
    page.get_by_role("link", name=f"Prepare the {quarter} report").click()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name=f"Sign off {quarter}").click()
    page.get_by_role("button", name=f"Sign off {quarter}").click()
    expect(page.locator("#report-status")).to_contain_text("Signed off")


def history_snapshot():
    updates = list(ProgressUpdate.objects.order_by("pk").values_list("pk", "action_id", "status", "commentary"))
    reviews = list(RiskReview.objects.order_by("pk").values_list("pk", "risk_id", "scores", "changes"))
    return updates, reviews


def test_a_whole_plan_year_loses_nothing_and_counts_nothing_twice(db, new_signed_in_page, tmp_path):
    now = FinancialQuarter.current()
    earlier = now.previous()
    year = earlier.start_year
    partnership = PartnershipFactory(name=PARTNERSHIP, slug="glen-test-hscp")
    admin = person("glen.admin", partnership, MembershipRole.PARTNERSHIP_ADMIN)
    manager = person("glen.manager", partnership, MembershipRole.MANAGER)
    board = person("glen.board", partnership, MembershipRole.VIEWER)
    page = new_signed_in_page(admin, 1366, 900)

    # 1. The admin imports the plan year from the template.
    page.goto("/imports/new/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    (tmp_path / "year-one.xlsx").write_bytes(year_one_workbook(download.value.path().read_bytes(), year))
    upload(page, tmp_path / "year-one.xlsx")
    confirm_import(page)
    plan = Plan.objects.get(partnership=partnership)
    assert plan.actions.count() == 4 and plan.risks.count() == 2

    # The admin keeps an export; the work below happens after it.
    page.goto(plan.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as workbook").click()
    old_export = download.value.path().read_bytes()

    # 2. The manager updates actions in two quarters.
    for action in plan.actions.all():
        action.responsible_users.add(manager)
    actions = {action.reference: action for action in plan.actions.all()}
    desk = new_signed_in_page(manager)
    update(desk, actions["A01"], ActionStatus.AMBER, earlier, "Two schools still without devices.")
    update(desk, actions["A01"], ActionStatus.GREEN, now, "Every school now has devices.")
    update(desk, actions["A02"], ActionStatus.COMPLETE, now, "Published in the autumn.")
    desk.goto("/my-actions/")
    expect(desk.get_by_text(f"A01 · {plan.period_label}").first).to_be_visible()

    # The risk owner reviews R1 at 4 x 4 (the old export says 3 x 4).
    r1 = plan.risks.get(reference="R1")
    risk_review(risk=r1, reviewer=admin, note="Two carers left.", likelihood=4, impact=4)

    # 3. The earlier quarter is signed off.
    sign_off(page, plan, earlier)

    # 4. A colleague changes A04 in the app; the admin edits the old export and imports it again.
    a04 = actions["A04"]
    a04.responsible = "Head of children's services"  # as the Django admin would save it
    a04.save()
    stale = edit_workbook(
        old_export,
        "Actions",
        edits={"A03": {"Responsible": "Fostering team leader"}, "A04": {"Responsible": "Throughcare lead"}},
    )
    (tmp_path / "stale.xlsx").write_bytes(stale)
    before = history_snapshot()
    upload(page, tmp_path / "stale.xlsx")
    diff = page.locator("#diff-actions")
    expect(diff).to_contain_text("Changed in SIP Portal")
    expect(diff).to_contain_text("Head of children's services")
    expect(diff).to_contain_text("Throughcare lead")
    expect(diff).to_contain_text("Fostering team leader")
    expect(diff).to_contain_text("Not imported")
    confirm_import(page)
    assert history_snapshot() == before
    a01, a03, a04 = (ImprovementAction.objects.get(plan=plan, reference=r) for r in ("A01", "A03", "A04"))
    assert a01.status == ActionStatus.GREEN
    assert a03.responsible == "Fostering team leader"
    assert a04.responsible == "Head of children's services"
    r1.refresh_from_db()
    assert (r1.likelihood, r1.impact) == (4, 4)

    # 5. Roll over and publish: one current year everywhere.
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Roll over to next year").click()
    expect(page.locator("#rollover-not-carried")).to_contain_text("A02")
    title = page.get_by_label("Title of the new plan")
    expect(title).to_have_value(f"Glen Children's Services Improvement Plan {financial_year_label(year + 1)}")
    page.get_by_role("button", name=f"Create the {financial_year_label(year + 1)} draft").click()
    page.get_by_role("link", name="Publish this draft…").click()
    page.get_by_role("button", name="Publish this plan").click()
    plan.refresh_from_db()
    successor = Plan.objects.get(predecessor=plan)
    assert (plan.status, successor.status) == (PlanStatus.SUPERSEDED, PlanStatus.PUBLISHED)
    assert_counted_once(new_signed_in_page, board, manager, partnership, successor, actions=3, risks=2)
    page.goto(plan.get_absolute_url())
    expect(page.get_by_text(f"superseded by {successor.period_label}")).to_be_visible()

    # 6. Year two's changes come in from its own export: one new action, nothing else touched.
    page.goto(successor.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as workbook").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    fill(book["Actions"], {"Reference": "A05", "Theme & outcome": "Open a family centre", "RAG status": ""})
    book.save(tmp_path / "year-two.xlsx")
    before = history_snapshot()
    upload(page, tmp_path / "year-two.xlsx")
    expect(page.get_by_text(f"Plan: {successor.title}")).to_be_visible()
    expect(page.locator("#changes")).to_contain_text("Actions103")
    confirm_import(page)
    assert history_snapshot() == before
    assert sorted(successor.actions.values_list("reference", flat=True)) == ["A01", "A03", "A04", "A05"]
    assert not Plan.objects.filter(partnership=partnership).exclude(pk__in=[plan.pk, successor.pk]).exists()
    assert_counted_once(new_signed_in_page, board, manager, partnership, successor, actions=4, risks=2)


def assert_counted_once(new_signed_in_page, board, manager, partnership, plan, *, actions, risks):
    """Every page counts the single current year: the overview, the dashboards, My actions and the register."""
    page = new_signed_in_page(board)
    page.goto("/overview/")
    row = page.locator("tr", has_text=partnership.name)
    expect(row.locator("[data-count=actions]")).to_have_text(str(actions))
    expect(row.locator("[data-count=open-risks]")).to_have_text(str(risks))
    page.goto(f"/plans/{plan.slug}/dashboard/")
    expect(page.locator("[data-count=actions]").first).to_have_text(str(actions))
    page.goto(f"/partnerships/{partnership.slug}/risks/")
    expect(page.get_by_role("link", name="R1", exact=True)).to_have_count(1)
    desk = new_signed_in_page(manager)
    desk.goto("/my-actions/")
    expect(desk.get_by_text(f"A01 · {plan.period_label}").first).to_be_visible()
    expect(desk.get_by_text(f"A01 · {plan.predecessor.period_label}")).to_have_count(0)
