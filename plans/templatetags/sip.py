from decimal import Decimal

from django import template

from plans.permissions import can_update_action

register = template.Library()


@register.filter
def gbp(value):
    """£1,234 (pence only when there are any). Empty for None, never '£None'."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    if amount == amount.to_integral():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


@register.filter
def can_update(user, action):
    return user is not None and can_update_action(user, action)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
