"""Writes to a partnership's members: add a user with a role, change a role, remove a member.

Kept beside services.py (which holds the plan writes) so that each stays a readable size.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from plans.choices import MembershipRole
from plans.models import Membership


class MembershipRefused(ValueError):
    """The change would break a rule: an unknown user, a member twice, or no partnership admin left."""


def _keeps_an_admin(membership, role):
    """Whether the partnership still has a partnership admin once `membership` has `role` (None: removed)."""
    if membership.role != MembershipRole.PARTNERSHIP_ADMIN or role == MembershipRole.PARTNERSHIP_ADMIN:
        return True
    others = Membership.objects.filter(partnership=membership.partnership_id, role=MembershipRole.PARTNERSHIP_ADMIN)
    return others.exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_add(*, partnership, username, role):
    user = get_user_model().objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None:
        raise MembershipRefused(f"There is no active user called '{username.strip()}'.")
    if Membership.objects.filter(partnership=partnership, user=user).exists():
        raise MembershipRefused(f"{user.username} is a member already: change their role instead.")
    return Membership.objects.create(partnership=partnership, user=user, role=role)


@transaction.atomic
def membership_set_role(*, membership, role):
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if not _keeps_an_admin(locked, role):
        raise MembershipRefused("The partnership needs a partnership admin: make someone else one first.")
    locked.role = role
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def membership_remove(*, membership):
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if not _keeps_an_admin(locked, None):
        raise MembershipRefused("The partnership needs a partnership admin: make someone else one first.")
    locked.delete()
