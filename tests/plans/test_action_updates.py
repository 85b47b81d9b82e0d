"""The manager's workflow over HTTP: permissions, the update form, conflicts, filters and exports."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from plans.choices import ActionStatus
from plans.periods import FinancialQuarter
from plans.services import action_update_progress
from tests.factories import ActionFactory, PlanFactory, record_progress

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def update_url(action):
    return reverse("plans:action_update", kwargs={"pk": action.pk})


def valid_post(action, **overrides):
    return {
        "status": "amber",
        "percent_complete": "40",
        "commentary": "Recruitment delayed.",
        "period": str(FinancialQuarter.current()),
        "version": action.version,
    } | overrides


# --- permission matrix: every state-changing URL, for every kind of user ---------------------


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("anonymous", 302),  # to the login page
        ("viewer", 403),
        ("outsider", 404),  # another partnership's action does not exist for them
        ("owner", 302),
        ("colleague", 302),
        ("partnership_admin", 302),
        ("superuser", 302),
    ],
)
def test_update_permission_matrix(request, client, action, who, expected_status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(update_url(action), valid_post(action))
    assert response.status_code == expected_status
    action.refresh_from_db()
    changed = expected_status == 302 and who != "anonymous"
    assert action.status == (ActionStatus.AMBER if changed else ActionStatus.NOT_ASSESSED)
    assert action.updates.count() == (1 if changed else 0)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("who", "expected_status"), [("viewer", 403), ("outsider", 404), ("owner", 200)])
def test_the_update_form_itself_is_guarded(request, client, action, who, expected_status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(update_url(action)).status_code == expected_status


def test_every_page_needs_sign_in(client, action):
    for url in [
        reverse("home"),
        reverse("plans:my_actions"),
        reverse("plans:action_list"),
        action.get_absolute_url(),
        action.plan.get_absolute_url(),
        reverse("plans:plan_actions", kwargs={"slug": action.plan.slug}),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_another_partnerships_pages_are_404_and_never_leak(login, outsider, action):
    client = login(outsider)
    for url in [
        action.get_absolute_url(),
        action.plan.get_absolute_url(),
        reverse("plans:plan_actions", kwargs={"slug": action.plan.slug}),
        reverse("plans:partnership_detail", kwargs={"slug": action.plan.partnership.slug}),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert action.title not in response.text
    listing = client.get(reverse("plans:action_list"))
    assert action.title not in listing.text


# --- the update itself -------------------------------------------------------------------------


def test_plain_post_redirects_to_the_timeline(login, owner, action):
    client = login(owner)
    response = client.post(update_url(action), valid_post(action), follow=True)
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    assert "A01 updated to Amber" in response.text
    timeline = response.text.split('id="timeline"')[1]
    assert "Recruitment delayed." in timeline
    assert "Not yet assessed" in timeline and "Amber" in timeline
    assert str(FinancialQuarter.current()) in timeline


def test_next_is_honoured_only_for_this_site(login, owner, action):
    client = login(owner)
    ok = client.post(update_url(action) + "?next=/my-actions/", valid_post(action))
    assert ok["Location"] == "/my-actions/"
    action.refresh_from_db()
    evil = client.post(update_url(action) + "?next=https://evil.example/", valid_post(action, status="green"))
    assert evil["Location"] == action.get_absolute_url()


def test_htmx_update_returns_the_fragment_and_updates_the_row(login, owner, action):
    client = login(owner)
    response = client.post(update_url(action), valid_post(action), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "A01 saved" in response.text
    assert f'id="status-{action.pk}" hx-swap-oob="true"' in response.text
    assert f'id="percent-{action.pk}" hx-swap-oob="true"' in response.text
    assert "<html" not in response.text


def test_htmx_validation_errors_come_back_as_the_form(login, owner, action):
    client = login(owner)
    response = client.post(update_url(action), valid_post(action, commentary=""), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Add a commentary" in response.text
    assert "<html" not in response.text


def test_a_stale_form_is_refused_with_the_other_update_shown(login, owner, colleague, action):
    stale_version = action.version
    action_update_progress(
        action=action,
        author=colleague,
        status="red",
        percent_complete=10,
        commentary="Funding withdrawn.",
        period=FinancialQuarter.current(),
        expected_version=stale_version,
    )
    client = login(owner)
    response = client.post(update_url(action), valid_post(action, version=stale_version))
    assert response.status_code == 409
    assert "someone else updated this action" in response.text
    assert "Funding withdrawn." in response.text
    assert escape(colleague.get_full_name()) in response.text  # names like O'Connor are escaped
    action.refresh_from_db()
    assert action.status == ActionStatus.RED
    assert action.updates.count() == 1
    # The re-shown form carries the new version, so a deliberate resubmission can succeed.
    assert f'name="version" value="{action.version}"' in response.text


def test_a_viewer_sees_no_update_controls(login, viewer, action):
    client = login(viewer)
    listing = client.get(reverse("plans:plan_actions", kwargs={"slug": action.plan.slug}))
    detail = client.get(action.get_absolute_url())
    assert update_url(action) not in listing.text
    assert update_url(action) not in detail.text


def test_a_manager_sees_update_controls(login, owner, action):
    listing = login(owner).get(reverse("plans:plan_actions", kwargs={"slug": action.plan.slug}))
    assert update_url(action) in listing.text
    assert f'hx-get="{update_url(action)}"' in listing.text


# --- escaping and exports ------------------------------------------------------------------------


def test_user_text_is_escaped_on_pages(login, owner, plan):
    hostile = ActionFactory(plan=plan, title=SCRIPT, responsible=FORMULA)
    hostile.responsible_users.add(owner)
    client = login(owner)
    client.post(update_url(hostile), valid_post(hostile, commentary=SCRIPT))
    for url in [hostile.get_absolute_url(), reverse("plans:action_list"), reverse("plans:my_actions")]:
        text = client.get(url).text
        assert SCRIPT not in text, url
        assert "&lt;script&gt;" in text, url


def test_exports_hold_the_filtered_rows_and_neutralise_formulas(login, owner, plan):
    ActionFactory(plan=plan, reference="A90", title=FORMULA, responsible="-1+1", category="ongoing")
    ActionFactory(plan=plan, reference="A91", title="@SUM(A1)", category="ongoing")
    ActionFactory(plan=plan, reference="A92", title="Not in the filter", category="transformation")
    client = login(owner)
    url = reverse("plans:action_list")

    response = client.get(url, {"category": "ongoing", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:2] == ["Ref", "Action"]
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles == {"A90": "'" + FORMULA, "A91": "'@SUM(A1)"}
    assert "'-1+1" in rows[1] + rows[2]

    response = client.get(url, {"category": "ongoing", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 3
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)  # no cell became a formula
    assert "'" + FORMULA in values[1] + values[2]


# --- filters and query counts ----------------------------------------------------------------------


def test_filters_for_overdue_and_not_updated(login, owner, plan):
    today = datetime.date.today()
    late = ActionFactory(plan=plan, reference="L1", due_date=today - datetime.timedelta(days=1))
    ActionFactory(plan=plan, reference="F1", due_date=today + datetime.timedelta(days=90))
    done = ActionFactory(plan=plan, reference="D1", due_date=today - datetime.timedelta(days=5))
    record_progress(done, owner, "complete", FinancialQuarter.current(), percent=100, commentary="Done.")
    client = login(owner)
    url = reverse("plans:action_list")
    overdue = client.get(url, {"overdue": "true"}).text
    assert ">L1<" in overdue and ">F1<" not in overdue and ">D1<" not in overdue
    not_updated = client.get(url, {"not_updated": "true"}).text
    assert ">L1<" in not_updated and ">F1<" in not_updated and ">D1<" not in not_updated
    updated = client.get(url, {"not_updated": "false"}).text
    assert ">D1<" in updated and ">L1<" not in updated
    assert late.is_overdue()


def test_filter_by_plan_offers_only_readable_plans(login, owner, plan, other_partnership):
    foreign_plan = PlanFactory(partnership=other_partnership, title="Foreign plan")
    response = login(owner).get(reverse("plans:action_list"), {"plan": plan.pk})
    assert plan.title in response.text
    assert "Foreign plan" not in response.text
    refused = login(owner).get(reverse("plans:action_list"), {"plan": foreign_plan.pk})
    assert "Select a valid choice" in refused.text


@pytest.mark.parametrize("rows", [2, 40])
def test_my_actions_query_count_is_constant(login, owner, plan, rows, django_assert_max_num_queries):
    for new in ActionFactory.create_batch(rows, plan=plan):
        new.responsible_users.add(owner)
    client = login(owner)
    # Two reads find the reporting quarter: the manager's plans, and each plan's signed-off quarters.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:my_actions"))
    assert response.status_code == 200


def test_my_actions_lists_what_needs_an_update(login, owner, action):
    client = login(owner)
    page = client.get(reverse("plans:my_actions")).text
    needs_update = page.split('id="not-updated-heading"')[1].split("</section>")[0]
    assert action.title in needs_update
    client.post(update_url(action), valid_post(action))
    page = client.get(reverse("plans:my_actions")).text
    needs_update = page.split('id="not-updated-heading"')[1].split("</section>")[0]
    assert action.title not in needs_update


def test_managers_land_on_my_actions_and_viewers_on_partnerships(login, owner, viewer):
    assert login(owner).get(reverse("plans:landing"))["Location"] == reverse("plans:my_actions")
    assert login(viewer).get(reverse("plans:landing"))["Location"] == reverse("home")


def test_htmx_update_marks_the_row_updated_this_quarter(login, owner, action):
    client = login(owner)
    listing = client.get(reverse("plans:plan_actions", kwargs={"slug": action.plan.slug})).text
    assert f'<span id="updated-{action.pk}">No</span>' in listing
    response = client.post(update_url(action), valid_post(action), headers={"HX-Request": "true"})
    assert f'<span id="updated-{action.pk}" hx-swap-oob="true">Yes</span>' in response.text
