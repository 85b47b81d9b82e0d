import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from plans.choices import ActionStatus, MembershipRole
from plans.models import ImprovementAction, Membership
from plans.periods import FinancialQuarter
from plans.services import ActionUpdateConflict, action_update_progress, demo_accounts_create

Q1 = FinancialQuarter(2021, 1)


def update(action, author, **overrides):
    fields = {
        "status": ActionStatus.AMBER,
        "percent_complete": 40,
        "commentary": "Recruitment delayed by the pandemic.",
        "period": Q1,
        "expected_version": action.version,
    }
    return action_update_progress(action=action, author=author, **fields | overrides)


def test_an_update_is_recorded_and_moves_the_action(action, owner):
    progress = update(action, owner)
    action.refresh_from_db()
    assert (action.status, action.percent_complete, action.version) == (ActionStatus.AMBER, 40, 2)
    assert progress.status_before == ActionStatus.NOT_ASSESSED
    assert progress.status == ActionStatus.AMBER
    assert progress.author == owner
    assert progress.period == Q1
    assert progress.commentary == "Recruitment delayed by the pandemic."


def test_each_update_is_kept_as_history(action, owner, colleague):
    update(action, owner)
    action.refresh_from_db()
    update(action, colleague, status=ActionStatus.GREEN, commentary="Back on track.", period=Q1.next())
    assert [u.status for u in action.updates.order_by("created_at")] == [ActionStatus.AMBER, ActionStatus.GREEN]
    assert action.updates.order_by("created_at").last().status_before == ActionStatus.AMBER
    # django-simple-history records who changed the action, and when.
    assert action.history.count() >= 2
    assert action.history.first().status == ActionStatus.GREEN


def test_a_stale_version_is_refused_and_nothing_is_written(action, owner, colleague):
    opened_version = action.version
    first = update(action, owner)
    with pytest.raises(ActionUpdateConflict) as conflict:
        update(action, colleague, status=ActionStatus.RED, expected_version=opened_version)
    assert conflict.value.latest_update == first
    action.refresh_from_db()
    assert action.status == ActionStatus.AMBER
    assert action.updates.count() == 1


def test_no_update_returns_an_action_to_not_yet_assessed(action, owner):
    with pytest.raises(ValueError):
        update(action, owner, status=ActionStatus.NOT_ASSESSED)
    assert action.updates.count() == 0


def test_demo_accounts_cover_every_role_of_every_partnership(seeded):
    accounts = dict(demo_accounts_create(password="pw-for-test"))
    assert {"admin", "board", "ea-viewer", "ea-manager", "ea-admin", "moray-manager", "sa-cpp-admin"} <= set(accounts)
    assert Membership.objects.filter(user__username="board").count() == 4
    assert Membership.objects.get(user__username="moray-admin").role == MembershipRole.PARTNERSHIP_ADMIN
    # Running it again refreshes rather than duplicates.
    demo_accounts_create(password="pw-for-test")
    assert Membership.objects.filter(user__username="ea-manager").count() == 1


@override_settings(DEBUG=False)
def test_seed_demo_refuses_when_debug_is_off(db):
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")


def test_load_seed_loads_once_and_then_leaves_data_alone(superuser):
    call_command("load_seed", verbosity=0)
    seeded_action = ImprovementAction.objects.get(pk=1001)
    assert seeded_action.history.count() == 1  # the seed load is the first entry in its audit trail
    update(seeded_action, superuser)
    call_command("load_seed", verbosity=0)  # a second `make run` must not undo the update
    seeded_action.refresh_from_db()
    assert seeded_action.status == ActionStatus.AMBER
