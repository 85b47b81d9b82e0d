"""Export followed by import is lossless, and importing the same file again changes nothing."""

from django.forms.models import model_to_dict

from dashboard.models import QualityMeasure
from plans.import_services import plan_import
from plans.models import NationalOutcome, Partnership, Plan, Service
from plans.workbook.writer import export_plan
from risks.models import Risk

EA_SIP = "east-ayrshire-chcj-sip-2020-21"
IGNORED = {"id", "plan", "partnership", "slug", "updated_at", "version", "predecessor", "responsible_users"}


def fields(obj, *, drop=()):
    return {k: v for k, v in model_to_dict(obj).items() if k not in IGNORED | set(drop)}


def describe(plan):
    """Everything the workbook carries for a plan, as plain comparable data."""
    return {
        "plan": fields(plan),
        "partnership": (plan.partnership.name, plan.partnership.kind),
        "actions": [
            fields(a, drop=["national_outcomes"])
            | {"steps": [s.text for s in a.steps.all()], "outcomes": [o.number for o in a.national_outcomes.all()]}
            for a in plan.actions.order_by("order")
        ],
        "measures": [
            fields(m) | {"results": [fields(r, drop=["measure"]) for r in m.results.order_by("financial_year")]}
            for m in QualityMeasure.objects.filter(plan=plan).order_by("order")
        ],
        "budget": [
            fields(b, drop=["service"]) | {"service": b.service.name} for b in plan.budget_lines.order_by("order")
        ],
        "efficiencies": [
            fields(e, drop=["service"]) | {"service": e.service.name if e.service else None}
            for e in plan.efficiencies.order_by("number")
        ],
        "risks": [
            fields(r, drop=["related_actions"]) | {"mitigations": [(m.kind, m.text) for m in r.mitigations.all()]}
            for r in plan.risks.order_by("order")
        ],
        "contracts": [fields(c) for c in plan.contracts.order_by("order")],
        "highlights": [fields(h) for h in plan.highlights.order_by("order")],
    }


def empty_the_database():
    Plan.objects.all().delete()
    Risk.objects.all().delete()
    Service.objects.all().delete()
    Partnership.objects.all().delete()


def test_east_ayrshire_sip_round_trips_into_an_empty_database(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    before = describe(plan)
    assert len(before["actions"]) == 20 and len(before["measures"]) == 13  # the whole plan is there
    workbook = export_plan(plan)

    empty_the_database()
    assert not Plan.objects.exists()
    result = plan_import(
        content=workbook, filename="ea-sip.xlsx", user=superuser, dry_run=False, allow_new_partnership=True
    )
    assert result.problems == []
    assert result.written
    assert describe(result.plan) == before
    assert NationalOutcome.objects.count() == 15  # reference data is not part of a plan


def test_reimporting_the_same_file_changes_nothing(seeded, superuser):
    workbook = export_plan(Plan.objects.get(slug=EA_SIP))
    result = plan_import(content=workbook, filename="ea-sip.xlsx", user=superuser, dry_run=False)
    assert result.problems == []
    assert result.plan.slug == EA_SIP  # matched on its natural key, not duplicated
    for sheet, counts in result.counts.items():
        assert counts["created"] == 0 or sheet == "Highlights", (sheet, counts)
        assert counts["updated"] == 0, (sheet, counts)
    assert Plan.objects.count() == 5
