"""Issue 11: the quarter close and the board's view. Movement pages, one set of figures, updates after sign-off."""

import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from docx import Document

from dashboard import selectors
from dashboard.models import QuarterlyReport
from dashboard.services import report_sign_off
from plans.models import Partnership, ProgressUpdate
from plans.periods import FinancialQuarter
from tests.factories import ActionFactory, MembershipFactory, PlanFactory, UserFactory, record_progress

Q1, Q2 = FinancialQuarter(2021, 1), FinancialQuarter(2021, 2)


@pytest.fixture
def board(seeded, client):
    """A board member who sits on every seeded partnership."""
    user = UserFactory(username="board-member")
    for partnership in Partnership.objects.all():
        MembershipFactory(user=user, partnership=partnership)
    client.force_login(user)
    return client


@pytest.fixture
def worsened(plan, owner, action):
    """A01 Green in Q1, Red in Q2, with the Q2 commentary a board needs to read."""
    record_progress(action, owner, "green", Q1, percent=40)
    record_progress(action, owner, "red", Q2, percent=45, commentary="Recruitment to two posts has failed.")
    return action


def dashboard_url(plan, quarter=Q2):
    return reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}) + f"?quarter={quarter}"


def movement_url(plan, key, quarter=Q2):
    return reverse("dashboard:plan_movement", kwargs={"slug": plan.slug, "movement": key}) + f"?quarter={quarter}"


def test_every_movement_count_links_to_the_actions_behind_it(login, viewer, plan, worsened):
    page = login(viewer).get(dashboard_url(plan)).text
    movement = page.split('id="movement"')[1].split("</dl>")[0]
    for key in ("improved", "worsened", "unchanged", "new"):
        assert f'href="{movement_url(plan, key).replace(" ", "%20")}"' in movement, key


def test_the_worsened_page_shows_previous_and_current_status_commentary_and_owner(
    login, viewer, plan, worsened, django_assert_max_num_queries
):
    client = login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(movement_url(plan, "worsened"))
    rows = response.text.split('id="moved-actions"')[1].split("</table>")[0]
    assert "Worsened since 2021/22 Q1: 1 action" in response.text
    assert f'href="{worsened.get_absolute_url()}"' in rows
    assert rows.index("rag-green") < rows.index("rag-red")  # Green → Red
    assert "Recruitment to two posts has failed." in rows
    assert "Senior Manager (Localities)" in rows
    assert "Improved since 2021/22 Q1: 0 actions" in client.get(movement_url(plan, "improved")).text


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 200)])
def test_movement_pages_are_for_the_partnership_s_readers(request, client, login, plan, worsened, who, status):
    if who != "anonymous":
        client = login(request.getfixturevalue(who))
    assert client.get(movement_url(plan, "worsened")).status_code == status
    report = QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
    report_url = reverse(
        "dashboard:report_movement", kwargs={"slug": plan.slug, "year": 2021, "quarter": 2, "movement": "worsened"}
    )
    assert client.get(report_url).status_code == status
    assert report.pk
    if who == "viewer":
        assert client.get(movement_url(plan, "sideways")).status_code == 404


def test_the_report_s_movement_counts_link_to_its_own_frozen_figures(login, partnership_admin, plan, worsened):
    report = QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
    report_sign_off(report=report, user=partnership_admin)
    client = login(partnership_admin)
    page = client.get(report.get_absolute_url()).text
    url = reverse(
        "dashboard:report_movement", kwargs={"slug": plan.slug, "year": 2021, "quarter": 2, "movement": "worsened"}
    )
    assert f'<a href="{url}">Worsened 1</a>' in page
    # The list is read from the frozen report, not from the live data.
    report.refresh_from_db()
    report.snapshot["actions"]["positions"][0]["commentary"] = "As frozen at sign-off."
    report.save()
    listed = client.get(url).text
    assert "As frozen at sign-off." in listed


def test_exceptions_show_last_quarter_s_status_beside_this_quarter_s(login, viewer, plan, worsened):
    table = login(viewer).get(dashboard_url(plan)).text.split('id="exceptions"')[1].split("</table>")[0]
    assert '<th scope="col">2021/22 Q1</th><th scope="col">2021/22 Q2</th>' in table
    row = table.split("<tbody>")[1]
    assert row.index("rag-green") < row.index("rag-red")


def test_compare_shows_the_commentary_and_links_each_row_to_its_action(login, partnership_admin, plan, worsened):
    report = QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
    url = reverse("dashboard:report_compare", kwargs={"slug": plan.slug, "year": 2021, "quarter": 2})
    moves = login(partnership_admin).get(url).text.split('id="rag-moves"')[1].split("</table>")[0]
    assert f'href="{worsened.get_absolute_url()}"' in moves
    assert "Recruitment to two posts has failed." in moves
    assert report.pk


def test_completion_states_its_basis_and_the_expected_progress(login, viewer, plan, owner):
    actions = ActionFactory.create_batch(4, plan=plan, start_date=None, due_date=datetime.date(2022, 3, 31))
    record_progress(actions[0], owner, "green", Q1, percent=60)
    page = login(viewer).get(dashboard_url(plan, Q1)).text
    card = page.split('id="completion"')[1].split("</div>")[0]
    # Issue 11: "60% delivery plan complete" was one action's figure; the plan has four.
    assert "60%" in card and "across 1 of 5 assessed actions" in card
    # 1 April 2021 to 31 March 2022: at the end of Q1 (30 June), 90 of 364 days have passed.
    assert "Expected by now: <strong>25%</strong>" in card and "over 5 actions with one" in card


def test_the_stated_figure_wins_and_the_report_is_not_prefilled_with_a_partial_average(plan, owner):
    actions = ActionFactory.create_batch(3, plan=plan)
    record_progress(actions[0], owner, "green", Q1, percent=57)
    assert selectors.report_for_quarter(plan=plan, quarter=Q1).percent_complete is None
    QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=1, percent_complete=20)
    figures = selectors.plan_dashboard(plan=plan, quarter=Q1)["completion"]
    assert (figures["stated"], figures["average"], figures["assessed"], figures["total"]) == (20, 57, 1, 4)


def test_moray_q1_reads_the_same_on_the_partnership_and_plan_dashboards(board):
    """Issue 11: the partnership dashboard said "Not yet reported" while the plan's said 20%."""
    quarter = {"quarter": "2021/22 Q1"}
    plan_page = board.get(reverse("dashboard:plan_dashboard", kwargs={"slug": "moray-loip-children-2021-22"}), quarter)
    partnership_page = board.get(reverse("dashboard:partnership_dashboard", kwargs={"slug": "moray-cpp"}), quarter)
    for page in (plan_page.text, partnership_page.text):
        card = page.split('id="completion"')[1].split("</div>")[0]
        assert "20%" in card and "as stated in the 2021/22 Q1 report" in card


def test_a_draft_report_is_continued_not_prepared_again(login, partnership_admin, plan):
    client = login(partnership_admin)
    assert "Prepare the 2021/22 Q1 report" in client.get(dashboard_url(plan, Q1)).text
    QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=1)
    page = client.get(dashboard_url(plan, Q1)).text
    assert "Continue the 2021/22 Q1 draft" in page and "Prepare the 2021/22 Q1 report" not in page


def test_after_sign_off_a_manager_is_told_who_closed_the_quarter_and_updates_the_open_one(
    login, partnership_admin, owner, plan, action
):
    current = FinancialQuarter.current()
    report = QuarterlyReport.objects.create(plan=plan, period_year=current.start_year, period_quarter=current.quarter)
    report_sign_off(report=report, user=partnership_admin)
    client = login(owner)
    url = reverse("plans:action_update", kwargs={"pk": action.pk})
    form = client.get(url).text
    name = partnership_admin.get_full_name()
    assert f"{current} is closed: signed off by {name} on" in form
    assert f"Updates now go to {current.next()}." in form
    assert f'<option value="{current.next()}" selected>' in form
    assert f'<option value="{current}"' not in form
    post = {"status": "green", "commentary": "On track.", "period": str(current.next()), "version": action.version}
    assert client.post(url, post).status_code == 302
    assert ProgressUpdate.objects.get(action=action).period == current.next()
    my_actions = client.get(reverse("plans:my_actions")).text
    assert f"Reporting quarter {current.next()}" in my_actions
    needs_update = my_actions.split('id="not-updated-heading"')[1].split("</section>")[0]
    assert action.title not in needs_update


def partnership_movement_url(partnership, key, quarter=Q2):
    url = reverse("dashboard:partnership_movement", kwargs={"slug": partnership.slug, "movement": key})
    return f"{url}?year={quarter.start_year}&quarter={quarter}"


def test_the_partnership_dashboard_s_movement_counts_link_to_the_actions_behind_them(
    login, viewer, partnership, plan, worsened
):
    url = reverse("dashboard:partnership_dashboard", kwargs={"slug": partnership.slug}) + f"?quarter={Q2}"
    movement = login(viewer).get(url).text.split('id="movement"')[1].split("</dl>")[0]
    for key in ("improved", "worsened", "unchanged", "new"):
        assert f'href="{partnership_movement_url(partnership, key).replace(" ", "%20").replace("&", "&amp;")}"' in (
            movement
        ), key


def test_the_partnership_worsened_page_lists_status_commentary_owner_and_plan_year(
    login, viewer, partnership, plan, owner, worsened, django_assert_max_num_queries
):
    for number in range(3):  # More actions must not mean more queries.
        record_progress(ActionFactory(plan=plan, reference=f"B{number}"), owner, "amber", Q2)
    client = login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(partnership_movement_url(partnership, "worsened"))
    assert response.status_code == 200
    assert "Worsened since 2021/22 Q1: 1 action" in response.text
    rows = response.text.split('id="moved-actions"')[1].split("</table>")[0]
    assert f'href="{worsened.get_absolute_url()}"' in rows
    assert rows.index("rag-green") < rows.index("rag-red")
    assert "Recruitment to two posts has failed." in rows
    assert "Senior Manager (Localities)" in rows
    assert f"{plan.title} ({plan.period_label})" in rows
    assert "Newly assessed since 2021/22 Q1: 3 actions" in client.get(partnership_movement_url(partnership, "new")).text


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 200)])
def test_partnership_movement_pages_are_for_the_partnership_s_readers(
    request, client, login, partnership, worsened, who, status
):
    if who != "anonymous":
        client = login(request.getfixturevalue(who))
    assert client.get(partnership_movement_url(partnership, "worsened")).status_code == status
    if who == "viewer":
        assert client.get(partnership_movement_url(partnership, "sideways")).status_code == 404
        assert client.post(partnership_movement_url(partnership, "worsened")).status_code == 405


def updated_column(page, action):
    return page.split(f'id="updated-{action.pk}"')[1].split("</span>")[0].lstrip(">")


@pytest.mark.parametrize("others", [1, 20])
def test_updated_this_quarter_follows_each_plan_s_reporting_quarter(
    login, owner, partnership_admin, plan, action, others, django_assert_max_num_queries
):
    """Once a plan signs the current quarter off, its updates go to the next: the list counts those."""
    Q3 = Q2.next()
    other_plan = PlanFactory(partnership=plan.partnership, title="Another plan")
    other = ActionFactory(plan=other_plan, reference="X01")
    waiting = ActionFactory(plan=plan, reference="A02")
    ActionFactory.create_batch(others, plan=other_plan)
    with mock.patch("plans.periods.today", return_value=datetime.date(2021, 8, 1)):  # 2021/22 Q2
        for each in (action, waiting, other):
            record_progress(each, owner, "green", Q2)
        report = QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
        report_sign_off(report=report, user=partnership_admin)
        record_progress(action, owner, "amber", Q3, commentary="Filed after the sign-off.")
        client = login(owner)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("plans:action_list")).text
        plan_page = client.get(reverse("plans:plan_actions", kwargs={"slug": plan.slug})).text
        not_updated = client.get(reverse("plans:action_list"), {"not_updated": "true"}).text
    assert updated_column(page, action) == "Yes"  # updated for Q3, where the plan's updates now go
    assert updated_column(page, waiting) == "No"  # its Q2 update is in a signed-off quarter
    assert updated_column(page, other) == "Yes"  # the other plan still reports Q2
    assert updated_column(plan_page, action) == "Yes"
    assert f'id="updated-{waiting.pk}"' in not_updated and f'id="updated-{action.pk}"' not in not_updated


def test_the_word_paper_carries_the_report_s_movement_line(login, viewer, plan, worsened):
    QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
    where = {"slug": plan.slug, "year": 2021, "quarter": 2}
    client = login(viewer)
    document = Document(io.BytesIO(client.get(reverse("dashboard:report_docx", kwargs=where)).content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    line = "Since 2021/22 Q1: Improved 0 · Worsened 1 · Unchanged 0 · Newly assessed 0."
    assert line in paragraphs
    # The same words as the report page, after the action counts.
    assert (
        paragraphs.index(line) == next(i for i, text in enumerate(paragraphs) if " actions at the end of " in text) + 1
    )
    page = client.get(reverse("dashboard:report_detail", kwargs=where)).text
    assert "Worsened 1</a>" in page.split('id="report-movement"')[1].split("</p>")[0]
