"""Reads for the risk register. They return querysets or plain data, scoped to the user."""

from django.db.models import Count

from plans.permissions import readable_partnerships
from risks.models import Risk


def risks_for_list(*, user):
    return (
        Risk.objects.for_partnerships(readable_partnerships(user))
        .select_related("partnership", "plan")
        .annotate(mitigation_count=Count("mitigations"))
        .order_by("partnership__name", "order", "reference")
    )


def risk_for_page(*, user, pk):
    return (
        Risk.objects.for_partnerships(readable_partnerships(user))
        .select_related("partnership", "plan")
        .prefetch_related("mitigations")
        .get(pk=pk)
    )
