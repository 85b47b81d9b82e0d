"""The risk register's sheet of the plan-year workbook."""

from plans.workbook import cells
from plans.workbook.importer import assign
from plans.workbook.schema import SCORE, Column, Sheet, bullets, choice_column, register
from risks.choices import MitigationKind, RiskStatus
from risks.models import Mitigation, Risk


def _mitigations(kind):
    return lambda risk: bullets(m.text for m in risk.mitigations.all() if m.kind == kind)


def write_risks(importer, rows):
    existing = {r.reference.lower(): r for r in Risk.objects.filter(plan=importer.plan).prefetch_related("mitigations")}
    for order, row in enumerate(rows, start=1):
        values = dict(row.values) | {"order": order if row.order is None else row.order}
        wanted = [(MitigationKind.CURRENT, t) for t in values.pop("current_mitigations")] + [
            (MitigationKind.PLANNED, t) for t in values.pop("planned_mitigations")
        ]
        values["status"] = values["status"] or RiskStatus.OPEN
        risk = existing.get(values["reference"].lower())
        if risk is None:
            risk = Risk.objects.create(plan=importer.plan, partnership=importer.plan.partnership, **values)
            outcome, current = "created", []
        else:
            outcome = "updated" if assign(risk, values) else "unchanged"
            if outcome == "updated":
                risk.save()
            current = [(m.kind, m.text) for m in risk.mitigations.all()]
        if current != wanted:
            risk.mitigations.all().delete()
            Mitigation.objects.bulk_create(
                Mitigation(risk=risk, kind=kind, text=text, order=i) for i, (kind, text) in enumerate(wanted, 1)
            )
            outcome = "updated" if outcome == "unchanged" else outcome
        importer.count("Risks", outcome)


RISKS = register(
    Sheet(
        "Risks",
        (
            Column("Reference", "reference", required=True),
            Column("Title", "title", required=True),
            Column("Description", "description"),
            Column("Category", "category"),
            Column(
                "Current mitigating measures",
                "current_mitigations",
                cells.lines,
                note="One per line.",
                export=_mitigations(MitigationKind.CURRENT),
            ),
            Column(
                "Further planned actions",
                "planned_mitigations",
                cells.lines,
                note="One per line.",
                export=_mitigations(MitigationKind.PLANNED),
            ),
            Column("Likelihood (1-5)", "likelihood", SCORE, note="Leave empty if not scored."),
            Column("Impact (1-5)", "impact", SCORE),
            Column("Target likelihood (1-5)", "target_likelihood", SCORE),
            Column("Target impact (1-5)", "target_impact", SCORE),
            Column("Owner", "owner"),
            Column("Review date", "review_date", cells.date),
            choice_column("Status", "status", RiskStatus.choices, "risk status"),
        ),
        "One row per risk.",
        required=False,
        example={
            "Reference": "R1",
            "Title": "Failure to protect children & young people",
            "Current mitigating measures": "• Staff training and screening for risk",
        },
        natural_key=("reference",),
        model="risks.Risk",
        position=60,
        objects=lambda plan: (
            Risk.objects.filter(plan=plan).prefetch_related("mitigations").order_by("order", "reference")
        ),
        write=write_risks,
        history_fields=("likelihood", "impact", "target_likelihood", "target_impact", "review_date", "status"),
        history_note="Scores, the next review date and the status change only through a risk review.",
    )
)
