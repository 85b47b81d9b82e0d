from decimal import Decimal

from django import template
from django.utils.html import format_html

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


def money_total(amounts):
    """The total of the amounts a source states. A total of unknowns is unknown, and a partial one says so."""
    amounts = list(amounts)
    known = [Decimal(amount) for amount in amounts if amount not in (None, "")]
    if not amounts:
        return ""
    if not known:
        return "Not known"
    total = gbp(sum(known, Decimal(0)))
    return total if len(known) == len(amounts) else f"{total} ({len(known)} of {len(amounts)} stated)"


def total_with_stated(amounts, stated):
    """The computed total and, where the document states one, the stated total beside it, flagged if they differ."""
    amounts = list(amounts)
    computed = money_total(amounts)
    if stated is None:
        return computed
    known = [Decimal(amount) for amount in amounts if amount not in (None, "")]
    if len(known) == len(amounts) and sum(known, Decimal(0)) == Decimal(stated):
        return format_html('{}<br><span class="small fw-normal">as the document states</span>', computed)
    return format_html(
        '{}<br><span class="badge text-bg-warning stated-differs">Differs</span> '
        '<span class="small fw-normal">the document states {}</span>',
        computed or "Not known",
        gbp(stated),
    )


@register.simple_tag
def stated_total(rows, key, stated):
    """{% stated_total rows "amount" plan.budget_total_stated %}"""
    return total_with_stated((row[key] for row in rows), stated)


@register.filter
def total_of(rows, key):
    """{{ rows|total_of:"delivered" }}: money_total of one key of each row."""
    return money_total(row[key] for row in rows)


@register.filter
def can_update(user, action):
    return user is not None and can_update_action(user, action)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


# Status badges: meaning is never carried by colour alone, so each shows a word and an icon.
RAG_BADGES = {
    "red": ("rag-red", "bi-x-octagon-fill", "Red"),
    "amber": ("rag-amber", "bi-exclamation-triangle-fill", "Amber"),
    "green": ("rag-green", "bi-check-circle-fill", "Green"),
    "complete": ("rag-complete", "bi-check2-all", "Complete"),
    "not_assessed": ("rag-none", "bi-dash-circle", "Not yet assessed"),
}


@register.simple_tag
def rag_badge(status, label=None):
    """A RAG status badge; `label` defaults to the status's own name (includes/badges.html#rag uses this)."""
    if status not in RAG_BADGES:
        return format_html(
            '<span class="badge rag rag-none"><i class="bi bi-question-circle" aria-hidden="true"></i> {}</span>',
            "Not stated",
        )
    css, icon, default = RAG_BADGES[status]
    return format_html(
        '<span class="badge rag {}"><i class="bi {}" aria-hidden="true"></i> {}</span>', css, icon, label or default
    )
