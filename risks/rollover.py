"""The risk register's roll-over step: open risks carry forward with their mitigations."""

from simple_history.utils import bulk_create_with_history

from plans.rollover import RolloverStep, register
from risks.models import Mitigation, Risk

COPIED_RISK_FIELDS = (
    "partnership",
    "reference",
    "kind",
    "title",
    "description",
    "category",
    "owner",
    "likelihood",
    "impact",
    "target_likelihood",
    "target_impact",
    "review_date",
    "order",
)


def _open_risks(plan):
    return list(Risk.objects.filter(plan=plan).in_force().open().prefetch_related("mitigations").order_by("order"))


def _preview(plan):
    carried = _open_risks(plan)
    not_open = Risk.objects.filter(plan=plan).exclude(pk__in=[risk.pk for risk in carried])
    return {
        "risks": [risk.reference for risk in carried],
        "closed_risks": list(not_open.order_by("order").values_list("reference", flat=True)),
    }


def _carry(plan, new_plan):
    risks = _open_risks(plan)
    copies = bulk_create_with_history(
        [Risk(plan=new_plan, **{name: getattr(risk, name) for name in COPIED_RISK_FIELDS}) for risk in risks], Risk
    )
    if any(copy.pk is None for copy in copies):  # a backend that does not return keys from bulk inserts
        copies = list(Risk.objects.filter(plan=new_plan).order_by("order", "pk"))
    Mitigation.objects.bulk_create(
        Mitigation(risk=copy, kind=m.kind, text=m.text, order=m.order)
        for risk, copy in zip(risks, copies, strict=True)
        for m in risk.mitigations.all()
    )


register(RolloverStep("risks", _preview, _carry, position=30))
