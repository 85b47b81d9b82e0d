"""Re-import lists the rows a file leaves out, withdraws them only when asked, and never duplicates a renamed plan."""

from plans.choices import ActionStatus
from plans.import_services import plan_import
from plans.models import ImprovementAction, NationalOutcome, Plan, ProgressUpdate
from plans.periods import FinancialQuarter
from plans.workbook import cells
from plans.workbook.conflicts import Decisions
from plans.workbook.writer import export_plan
from tests.factories import record_progress
from tests.plans.workbook.books import cell_values, edit_workbook

EA_SIP = "east-ayrshire-chcj-sip-2020-21"


def changes_of(result, sheet):
    return {change.key: change for change in result.changes if change.sheet == sheet}


def test_a_row_missing_from_the_file_is_listed_and_kept_by_default(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(export_plan(plan), "Actions", delete=["A03"])
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    actions = changes_of(preview, "Actions")
    assert actions["A03"].kind == "missing"
    assert [key for key, change in actions.items() if change.kind != "unchanged"] == ["A03"]  # no other row moves
    assert preview.counts["Actions"]["updated"] == 0
    result = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=False)
    assert result.written
    assert plan.actions.get(reference="A03").withdrawn_at is None


def test_a_missing_row_is_withdrawn_when_chosen_keeping_its_history(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    record_progress(plan.actions.get(reference="A03"), superuser, ActionStatus.GREEN, FinancialQuarter(2020, 3))
    content = edit_workbook(export_plan(plan), "Actions", delete=["A03"])
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    choice = changes_of(preview, "Actions")["A03"].choice
    plan_import(
        content=content, filename="ea.xlsx", user=superuser, dry_run=False, decisions=Decisions(withdraw={choice})
    )
    a03 = plan.actions.get(reference="A03")
    assert a03.withdrawn_at is not None
    assert ProgressUpdate.objects.filter(action=a03).count() == 1
    assert a03.history.first().history_change_reason == "Withdrawn by a plan workbook import"
    assert "A03" not in [row["Reference"] for row in cell_values(export_plan(plan), "Actions")]


def test_a_withdrawn_row_present_in_the_file_again_is_reinstated_with_the_change_shown(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = export_plan(plan)
    without = edit_workbook(content, "Actions", delete=["A03"])
    preview = plan_import(content=without, filename="ea.xlsx", user=superuser, dry_run=True)
    decisions = Decisions(withdraw={changes_of(preview, "Actions")["A03"].choice})
    plan_import(content=without, filename="ea.xlsx", user=superuser, dry_run=False, decisions=decisions)

    again = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    a03 = changes_of(again, "Actions")["A03"]
    assert a03.kind == "reinstated"
    assert [(f.header, f.new) for f in a03.fields] == [("Withdrawn", "No: in force again")]
    plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=False)
    assert plan.actions.get(reference="A03").withdrawn_at is None


def test_a_renamed_plan_is_an_update_of_the_same_plan(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(
        export_plan(plan), "Plan", key="Kind", edits={"Service improvement plan": {"Title": "Renamed plan"}}
    )
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    assert preview.plan.pk == plan.pk
    assert preview.plan_match == {"title_in_app": plan.title, "title_in_file": "Renamed plan"}
    title = changes_of(preview, "Plan")["Plan"].fields
    assert [(f.header, f.old, f.new) for f in title] == [("Title", plan.title, "Renamed plan")]
    count = Plan.objects.count()
    plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=False)
    assert Plan.objects.count() == count
    plan.refresh_from_db()
    assert plan.title == "Renamed plan"


def test_a_second_plan_for_the_same_year_needs_an_explicit_choice(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    content = edit_workbook(
        export_plan(plan), "Plan", key="Kind", edits={"Service improvement plan": {"Title": "Another"}}
    )
    count = Plan.objects.count()
    result = plan_import(
        content=content, filename="ea.xlsx", user=superuser, dry_run=False, decisions=Decisions(new_plan=True)
    )
    assert result.written and result.plan.pk != plan.pk
    assert Plan.objects.count() == count + 1
    assert result.plan.actions.count() == plan.actions.count()
    assert ImprovementAction.objects.filter(plan=plan).count() == 20  # the first plan is untouched


def test_highlights_replaced_as_a_whole_are_shown_before_and_after(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    first = plan.highlights.order_by("order").first()
    content = edit_workbook(export_plan(plan), "Highlights", key="Text", edits={first.text: {"Text": "A new fact"}})
    preview = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    (field,) = changes_of(preview, "Highlights")["All highlights"].fields
    assert f"• {first.text}" in field.old and "• A new fact" in field.new and first.text not in field.new


def test_national_outcomes_written_differently_are_not_a_change(seeded, superuser):
    plan = Plan.objects.get(slug=EA_SIP)
    action = plan.actions.first()
    action.national_outcomes.set(NationalOutcome.objects.order_by("number")[:3])
    numbers = sorted(o.number for o in action.national_outcomes.all())
    written = f"{numbers[2]},{numbers[0]};{numbers[1]}"  # e.g. "3,1;2": no spaces, out of order
    content = edit_workbook(export_plan(plan), "Actions", edits={action.reference: {"National outcomes": written}})
    result = plan_import(content=content, filename="ea.xlsx", user=superuser, dry_run=True)
    assert result.problems == []
    change = changes_of(result, "Actions")[action.reference]
    assert (change.kind, change.fields, change.listed) == ("unchanged", [], False)
    assert result.counts["Actions"]["updated"] == 0


def test_national_outcomes_are_read_as_a_sorted_list_and_other_text_is_kept():
    assert cells.number_list("3,1") == cells.number_list("1, 3") == cells.number_list(" 1 ; 3 ; 3") == "1, 3"
    assert cells.number_list(14) == "14" and cells.number_list(None) == ""
    assert cells.number_list("1, x") == "1, x"  # reported by the importer as not a list of numbers
