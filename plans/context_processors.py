from plans.permissions import can_update_anything
from plans.selectors import manages_any_partnership


def navigation(request):
    """What the main navigation offers this user."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "can_import": user.is_superuser or manages_any_partnership(user=user),
        "can_update_actions": can_update_anything(user),
    }
