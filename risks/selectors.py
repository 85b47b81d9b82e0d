"""Reads for the risk register. They return querysets or plain data."""

from django.db.models import Count

from risks.models import Risk


def risks_for_list():
    return (
        Risk.objects.select_related("partnership", "plan")
        .annotate(mitigation_count=Count("mitigations"))
        .order_by("partnership__name", "order", "reference")
    )


def risk_for_page(*, pk):
    return Risk.objects.select_related("partnership", "plan").prefetch_related("mitigations").get(pk=pk)
