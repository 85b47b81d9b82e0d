"""Re-importing an older export never undoes newer work: progress, reviews and edits made in the app."""

import pytest

from plans.choices import ActionStatus
from plans.import_services import plan_import
from plans.models import ImprovementAction, Plan, PlanHighlight, ProgressUpdate
from plans.periods import FinancialQuarter
from plans.workbook.conflicts import Decisions
from plans.workbook.writer import export_plan
from risks.models import Risk, RiskReview
from risks.services import risk_review
from tests.factories import PlanFactory, record_progress
from tests.plans.workbook.books import cell_values, edit_workbook

EA_SIP = "east-ayrshire-chcj-sip-2020-21"
NEW_RESPONSIBLE = "Head of Children's Services"


def changes_of(result, sheet):
    return {change.key: change for change in result.changes if change.sheet == sheet}


@pytest.fixture
def stale_file(seeded, superuser):
    """The East Ayrshire export, then newer work in the app: A09 set to Amber, R1 reviewed at 4x4."""
    plan = Plan.objects.get(slug=EA_SIP)
    old_file = export_plan(plan)
    record_progress(
        plan.actions.get(reference="A09"), superuser, ActionStatus.AMBER, FinancialQuarter(2020, 3), percent=40
    )
    risk_review(
        risk=plan.risks.get(reference="R1"), reviewer=superuser, note="Reviewed at the board.", likelihood=4, impact=4
    )
    return edit_workbook(old_file, "Actions", edits={"A01": {"Responsible": NEW_RESPONSIBLE}})


def test_every_exported_row_carries_a_stamp(seeded):
    content = export_plan(Plan.objects.get(slug=EA_SIP))
    for sheet in ["Plan", "Actions", "Measures", "Budget", "Efficiencies", "Risks"]:
        stamps = [row["Row stamp"] for row in cell_values(content, sheet)]
        assert stamps and all(stamps), sheet


def test_an_older_export_never_resets_progress_or_review_scores(stale_file, superuser):
    result = plan_import(content=stale_file, filename="ea.xlsx", user=superuser, dry_run=False)
    assert result.problems == [] and result.written
    a09 = ImprovementAction.objects.get(plan__slug=EA_SIP, reference="A09")
    assert (a09.status, a09.percent_complete) == (ActionStatus.AMBER, 40)
    r1 = Risk.objects.get(plan__slug=EA_SIP, reference="R1")
    assert (r1.likelihood, r1.impact) == (4, 4)
    assert ProgressUpdate.objects.count() == 1 and RiskReview.objects.count() == 1
    assert ImprovementAction.objects.get(plan__slug=EA_SIP, reference="A01").responsible == NEW_RESPONSIBLE


def test_the_preview_shows_each_changed_field_and_what_is_not_imported(stale_file, superuser):
    result = plan_import(content=stale_file, filename="ea.xlsx", user=superuser, dry_run=True)
    actions = changes_of(result, "Actions")
    a01 = actions["A01"]
    assert a01.kind == "updated"
    assert [(f.header, f.new) for f in a01.fields] == [("Responsible", NEW_RESPONSIBLE)]
    assert a01.fields[0].old.startswith("Senior Manager")
    a09 = actions["A09"]
    assert a09.kind == "unchanged" and a09.fields == []
    assert {(f.header, f.old, f.new) for f in a09.not_imported} == {
        ("RAG status", "Amber", "Not yet assessed"),
        ("% complete", "40%", "(empty)"),
    }
    r1 = changes_of(result, "Risks")["R1"]
    assert {(f.header, f.old, f.new) for f in r1.not_imported} == {
        ("Likelihood (1-5)", "4", "(empty)"),
        ("Impact (1-5)", "4", "(empty)"),
    }
    assert result.counts["Actions"]["updated"] == 1 and result.counts["Risks"]["updated"] == 0


def test_a_field_edited_in_the_app_since_the_export_is_a_conflict_that_keeps_the_app_value(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    old_file = export_plan(plan)
    ImprovementAction.objects.filter(plan=plan, reference="A05").update(responsible="Edited in the app")
    edited = edit_workbook(old_file, "Actions", edits={"A05": {"Lead-in": "Edited in the file"}})

    preview = plan_import(content=edited, filename="ea.xlsx", user=superuser, dry_run=True)
    a05 = changes_of(preview, "Actions")["A05"]
    assert a05.kind == "conflict"
    by_header = {f.header: f for f in a05.fields}
    assert by_header["Responsible"].conflict and by_header["Responsible"].old == "Edited in the app"
    assert not by_header["Lead-in"].conflict  # changed only in the file: it is taken
    plan_import(content=edited, filename="ea.xlsx", user=superuser, dry_run=False)
    a05 = plan.actions.get(reference="A05")
    assert (a05.responsible, a05.description) == ("Edited in the app", "Edited in the file")


def test_the_admin_can_take_the_files_value_for_a_conflicting_field(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    old_file = export_plan(plan)
    original = plan.actions.get(reference="A05").responsible
    ImprovementAction.objects.filter(plan=plan, reference="A05").update(responsible="Edited in the app")
    preview = plan_import(content=old_file, filename="ea.xlsx", user=superuser, dry_run=True)
    field = changes_of(preview, "Actions")["A05"].fields[0]
    assert (field.header, field.conflict) == ("Responsible", True)
    decisions = Decisions(take={field.choice})
    plan_import(content=old_file, filename="ea.xlsx", user=superuser, dry_run=False, decisions=decisions)
    assert plan.actions.get(reference="A05").responsible == original


def test_a_row_without_a_stamp_takes_the_files_values_and_shows_them(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(
        export_plan(plan), "Actions", edits={"A02": {"Responsible": NEW_RESPONSIBLE}}, clear_stamps=True
    )
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    a02 = changes_of(preview, "Actions")["A02"]
    assert (a02.kind, [(f.header, f.new, f.conflict) for f in a02.fields]) == (
        "updated",
        [("Responsible", NEW_RESPONSIBLE, False)],
    )
    plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=False)
    assert plan.actions.get(reference="A02").responsible == NEW_RESPONSIBLE


def test_the_import_refuses_when_the_plan_changed_after_the_preview(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(export_plan(plan), "Actions", edits={"A02": {"Responsible": NEW_RESPONSIBLE}})
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    ImprovementAction.objects.filter(plan=plan, reference="A02").update(responsible="Changed meanwhile")
    result = plan_import(
        content=content, filename="ea.xlsx", user=superuser, dry_run=False, expected_fingerprint=preview.fingerprint
    )
    assert not result.written
    assert "preview it again" in str(result.problems[0])
    assert plan.actions.get(reference="A02").responsible == "Changed meanwhile"


def test_the_import_applies_what_an_unchanged_preview_showed(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(export_plan(plan), "Actions", edits={"A02": {"Responsible": NEW_RESPONSIBLE}})
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    result = plan_import(
        content=content, filename="ea.xlsx", user=superuser, dry_run=False, expected_fingerprint=preview.fingerprint
    )
    assert result.written and plan.actions.get(reference="A02").responsible == NEW_RESPONSIBLE


def test_a_new_plans_preview_still_matches_when_its_key_differs_at_import(partnership, superuser):
    content = edit_workbook(
        export_plan(PlanFactory(partnership=partnership, title="First")),
        "Plan",
        key="Kind",
        edits={"Service improvement plan": {"First financial year": "2030/31"}},
    )
    preview = plan_import(content=content, filename="new.xlsx", user=superuser, dry_run=True)
    PlanFactory(partnership=partnership, title="Made meanwhile", start_year=2025, end_year=2025)  # takes the next key
    result = plan_import(
        content=content, filename="new.xlsx", user=superuser, dry_run=False, expected_fingerprint=preview.fingerprint
    )
    assert result.problems == [] and result.written and result.plan.start_year == 2030


# --- Highlights: replaced as a whole, stamped as a whole -------------------------------------------------


@pytest.fixture
def highlighted_plan(superuser):
    plan = PlanFactory()
    PlanHighlight.objects.create(plan=plan, section="Key facts", text="120 children supported", order=1)
    PlanHighlight.objects.create(plan=plan, section="Key facts", text="3 new services", order=2)
    return plan


def highlight_texts(plan):
    return list(plan.highlights.order_by("order").values_list("text", flat=True))


def test_an_export_stamps_its_highlights_as_a_whole(highlighted_plan):
    stamps = [row["Row stamp"] for row in cell_values(export_plan(highlighted_plan), "Highlights")]
    assert len(stamps) == 2 and stamps[0] and len(set(stamps)) == 1


def test_highlights_edited_in_the_file_replace_unchanged_ones_in_the_app(highlighted_plan, superuser):
    content = edit_workbook(
        export_plan(highlighted_plan), "Highlights", key="Text", edits={"3 new services": {"Text": "4 new services"}}
    )
    result = plan_import(content=content, filename="p.xlsx", user=superuser, dry_run=False)
    assert result.written and changes_of(result, "Highlights")["All highlights"].kind == "updated"
    assert highlight_texts(highlighted_plan) == ["120 children supported", "4 new services"]


def test_highlights_changed_in_the_app_since_the_export_are_kept_unless_ticked(highlighted_plan, superuser):
    stale = edit_workbook(
        export_plan(highlighted_plan), "Highlights", key="Text", edits={"3 new services": {"Text": "From the file"}}
    )
    highlighted_plan.highlights.filter(order=2).update(text="Edited in the app")
    result = plan_import(content=stale, filename="p.xlsx", user=superuser, dry_run=False)
    change = changes_of(result, "Highlights")["All highlights"]
    assert change.kind == "conflict" and change.fields[0].conflict
    assert "Edited in the app" in change.fields[0].old and "From the file" in change.fields[0].new
    assert highlight_texts(highlighted_plan) == ["120 children supported", "Edited in the app"]

    taken = Decisions(take={"Highlights|all"})
    plan_import(content=stale, filename="p.xlsx", user=superuser, dry_run=False, decisions=taken)
    assert highlight_texts(highlighted_plan) == ["120 children supported", "From the file"]


def test_a_file_without_highlights_never_drops_the_apps_unasked(highlighted_plan, superuser):
    content = edit_workbook(
        export_plan(highlighted_plan), "Highlights", key="Text", delete=["120 children supported", "3 new services"]
    )
    result = plan_import(content=content, filename="p.xlsx", user=superuser, dry_run=False)
    assert changes_of(result, "Highlights")["All highlights"].kind == "conflict"
    assert highlight_texts(highlighted_plan) == ["120 children supported", "3 new services"]


def test_highlights_typed_into_the_template_without_stamps_are_taken(highlighted_plan, superuser):
    content = edit_workbook(
        export_plan(highlighted_plan),
        "Highlights",
        key="Text",
        edits={"3 new services": {"Text": "Typed in"}},
        clear_stamps=True,
    )
    result = plan_import(content=content, filename="p.xlsx", user=superuser, dry_run=False)
    assert result.written and changes_of(result, "Highlights")["All highlights"].kind == "updated"
    assert highlight_texts(highlighted_plan) == ["120 children supported", "Typed in"]
