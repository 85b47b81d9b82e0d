"""Approval of updates, where a partnership switches it on: submitted, then approved or returned."""

import pytest
from django.urls import reverse

from dashboard.selectors import action_summary
from plans.choices import ActionStatus, UpdateApproval
from plans.models import ImprovementAction, ProgressUpdate
from plans.periods import FinancialQuarter
from plans.services import UpdateAlreadyDecided, progress_update_decide
from tests.factories import ServiceFactory, record_progress

Q1 = FinancialQuarter(2021, 1)


@pytest.fixture
def approval_on(partnership):
    partnership.updates_need_approval = True
    partnership.save()


@pytest.fixture
def submitted(approval_on, action, owner):
    return record_progress(action, owner, "amber", Q1, percent=40, commentary="Recruitment has slipped.")


def red_amber_green(action):
    summary = action_summary(actions=ImprovementAction.objects.filter(pk=action.pk), quarter=Q1)
    return {row["status"]: row["count"] for row in summary["rag"] if row["count"]}


def test_without_approval_an_update_counts_at_once(action, owner):
    update = record_progress(action, owner, "green", Q1)
    assert update.approval == UpdateApproval.APPROVED
    assert red_amber_green(action) == {"green": 1}


def test_a_submitted_update_counts_only_once_approved(submitted, action, partnership_admin):
    action.refresh_from_db()
    assert submitted.approval == UpdateApproval.SUBMITTED
    assert action.status == ActionStatus.NOT_ASSESSED  # the action keeps its approved status
    assert red_amber_green(action) == {"not_assessed": 1}

    progress_update_decide(update=submitted, approver=partnership_admin, approve=True)

    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (ActionStatus.AMBER, 40)
    assert red_amber_green(action) == {"amber": 1}
    submitted.refresh_from_db()
    assert (submitted.approval, submitted.decided_by) == (UpdateApproval.APPROVED, partnership_admin)
    with pytest.raises(UpdateAlreadyDecided):
        progress_update_decide(update=submitted, approver=partnership_admin, approve=False, reason="Too late")


def test_a_returned_update_needs_a_reason_and_its_author_sees_it(submitted, action, owner, partnership_admin, login):
    with pytest.raises(ValueError, match="Say why"):
        progress_update_decide(update=submitted, approver=partnership_admin, approve=False, reason=" ")
    progress_update_decide(update=submitted, approver=partnership_admin, approve=False, reason="Add the new date.")
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_ASSESSED
    assert not ImprovementAction.objects.with_update_in(Q1).get(pk=action.pk).updated_in_quarter  # chased again
    my_actions = login(owner).get(reverse("plans:my_actions")).text
    assert "Add the new date." in my_actions
    timeline = login(owner).get(action.get_absolute_url()).text
    assert f"Returned</span> by {partnership_admin.get_full_name()}" in timeline
    assert "Add the new date." in timeline


def test_the_dashboard_says_how_many_updates_await_approval(submitted, plan, login, partnership_admin, settings):
    page = login(partnership_admin).get(
        reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}) + "?quarter=2021/22 Q1"
    )
    assert "1 update for 2021/22 Q1 awaits approval and is not counted here yet." in page.text


def test_the_admin_approves_from_the_approvals_page(submitted, login, partnership_admin, action):
    client = login(partnership_admin)
    page = client.get(reverse("plans:approvals"))
    assert "Recruitment has slipped." in page.text
    response = client.post(reverse("plans:update_decide", kwargs={"pk": submitted.pk}), {"decision": "approve"})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().approval == UpdateApproval.APPROVED
    assert "Nothing is waiting for your approval." in client.get(reverse("plans:approvals")).text


def test_a_services_named_approver_may_decide_its_updates(approval_on, action, owner, colleague, login, partnership):
    action.service = ServiceFactory(partnership=partnership, approver=colleague)
    action.save()
    update = record_progress(action, owner, "green", Q1)
    assert "Improve permanence planning" in login(colleague).get(reverse("plans:approvals")).text
    url = reverse("plans:update_decide", kwargs={"pk": update.pk})
    assert login(colleague).post(url, {"decision": "return", "reason": "Which date?"}).status_code == 302
    assert ProgressUpdate.objects.get().approval == UpdateApproval.RETURNED


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("owner", 403)])
def test_only_approvers_decide(client, request, submitted, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("plans:update_decide", kwargs={"pk": submitted.pk}), {"decision": "approve"})
    assert response.status_code == status
    assert ProgressUpdate.objects.get().approval == UpdateApproval.SUBMITTED
