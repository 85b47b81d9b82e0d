from django.contrib.auth.models import AnonymousUser

from plans.choices import MembershipRole
from plans.permissions import can_manage_partnership, can_read_partnership, can_update_action, readable_partnerships
from tests.factories import ActionFactory, MembershipFactory, ServiceFactory, UserFactory


def fresh(user):
    """The same user without the per-request membership cache."""
    return type(user).objects.get(pk=user.pk)


def test_members_read_only_their_partnerships(viewer, partnership, other_partnership):
    assert list(readable_partnerships(viewer)) == [partnership]
    assert can_read_partnership(viewer, partnership.pk)
    assert not can_read_partnership(viewer, other_partnership.pk)


def test_superuser_reads_everything(superuser, partnership, other_partnership):
    assert set(readable_partnerships(superuser)) == {partnership, other_partnership}


def test_who_may_update_an_action(action, owner, colleague, viewer, partnership_admin, outsider, superuser):
    assert can_update_action(owner, action)
    assert can_update_action(colleague, action)
    assert can_update_action(partnership_admin, action)
    assert can_update_action(superuser, action)
    assert not can_update_action(viewer, action)
    assert not can_update_action(outsider, action)


def test_a_manager_limited_to_services_updates_only_those(partnership, plan):
    justice = ServiceFactory(partnership=partnership, name="Justice Social Work")
    health = ServiceFactory(partnership=partnership, name="Health Visiting")
    membership = MembershipFactory(partnership=partnership, role=MembershipRole.MANAGER)
    membership.services.add(justice)
    manager = fresh(membership.user)
    assert can_update_action(manager, ActionFactory(plan=plan, service=justice))
    assert not can_update_action(manager, ActionFactory(plan=plan, service=health))
    assert not can_update_action(manager, ActionFactory(plan=plan, service=None))


def test_a_responsible_only_manager_updates_only_their_own_actions(partnership, plan):
    membership = MembershipFactory(partnership=partnership, role=MembershipRole.MANAGER, responsible_only=True)
    mine, theirs = ActionFactory(plan=plan), ActionFactory(plan=plan)
    mine.responsible_users.add(membership.user)
    manager = fresh(membership.user)
    assert can_update_action(manager, mine)
    assert not can_update_action(manager, theirs)


def test_only_partnership_admins_manage(partnership, partnership_admin, colleague):
    assert can_manage_partnership(partnership_admin, partnership.pk)
    assert not can_manage_partnership(colleague, partnership.pk)


def test_anonymous_users_and_non_members_can_do_nothing(action):
    assert not can_update_action(AnonymousUser(), action)
    assert not readable_partnerships(AnonymousUser()).exists()
    stranger = UserFactory()
    assert not readable_partnerships(stranger).exists()
    assert not can_update_action(stranger, action)
