"""Who may read and change what. Every view checks through here, on the server.

Reading is by partnership membership: a user sees the partnerships they belong
to, and superusers see everything. Objects outside that scope are filtered out
of querysets, so they answer 404 rather than revealing that they exist.
"""

from plans.choices import MembershipRole
from plans.models import Membership, Partnership, Plan


def memberships_of(user):
    """The user's memberships, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_sip_memberships"):
        user._sip_memberships = {
            membership.partnership_id: membership
            for membership in Membership.objects.filter(user=user).prefetch_related("services")
        }
    return user._sip_memberships


def readable_partnerships(user):
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=list(memberships_of(user)))


def can_read_partnership(user, partnership_id):
    return user.is_superuser or partnership_id in memberships_of(user)


def role_in(user, partnership_id):
    membership = memberships_of(user).get(partnership_id)
    return membership.role if membership else None


def can_manage_partnership(user, partnership_id):
    """Partnership admins manage plans and members; superusers manage everything."""
    return user.is_superuser or role_in(user, partnership_id) == MembershipRole.PARTNERSHIP_ADMIN


def can_update_action(user, action):
    """Managers update actions in their partnership, within any service or responsibility limits.

    No one updates an action of a superseded plan: its work goes on in the successor's copy.
    """
    if not user.is_authenticated or action.plan.is_superseded:
        return False
    if can_manage_partnership(user, action.plan.partnership_id):
        return True
    membership = memberships_of(user).get(action.plan.partnership_id)
    if membership is None or membership.role != MembershipRole.MANAGER:
        return False
    is_responsible = any(responsible.pk == user.pk for responsible in action.responsible_users.all())
    if membership.responsible_only:
        return is_responsible
    limited_to = {service.pk for service in membership.services.all()}
    return not limited_to or action.service_id in limited_to or is_responsible


def can_update_anything(user):
    """Whether the user has any role that updates actions: a read-only board viewer has none."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role != MembershipRole.VIEWER for m in memberships_of(user).values())


def can_review_risk(user, risk):
    """Risk reviews follow the same rules as action updates, without the responsible-officer link."""
    if not user.is_authenticated or (risk.plan_id is not None and risk.plan.is_superseded):
        return False
    if can_manage_partnership(user, risk.partnership_id):
        return True
    return role_in(user, risk.partnership_id) == MembershipRole.MANAGER


def can_change_plan(user, plan):
    """Partnership admins change a plan's reports and roll it over, unless a later year superseded it."""
    return can_manage_partnership(user, plan.partnership_id) and not plan.is_superseded


def manageable_plans(user):
    """Plans whose partnership the user administers."""
    if user.is_superuser:
        return Plan.objects.select_related("partnership")
    admin_of = [pid for pid, m in memberships_of(user).items() if m.role == MembershipRole.PARTNERSHIP_ADMIN]
    return Plan.objects.filter(partnership_id__in=admin_of).select_related("partnership")


def manageable_partnerships(user):
    """Partnerships the user administers."""
    if user.is_superuser:
        return Partnership.objects.all()
    admin_of = [pid for pid, m in memberships_of(user).items() if m.role == MembershipRole.PARTNERSHIP_ADMIN]
    return Partnership.objects.filter(pk__in=admin_of)


def can_approve_update(user, update):
    """Partnership admins approve their partnership's updates, and a service's named approver its own."""
    action = update.action
    if not user.is_authenticated or not can_read_partnership(user, action.plan.partnership_id):
        return False
    if can_manage_partnership(user, action.plan.partnership_id):
        return True
    return action.service is not None and action.service.approver_id == user.pk
