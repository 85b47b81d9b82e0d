"""Import, export, template and roll-over through the web pages and the command line."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from dashboard.models import QualityMeasure
from plans.choices import ActionStatus, PlanStatus
from plans.models import ImprovementAction, Plan, PlanHighlight, PlanImport, PlanImportStatus
from plans.services import plan_rollover
from plans.workbook.writer import export_plan, template_workbook
from tests.factories import ActionFactory, ActionStepFactory, MeasureFactory, MeasureResultFactory, RiskFactory
from tests.plans.workbook.books import edit_workbook


def workbook(partnership_name, actions):
    """A plan-year workbook built the way an admin fills in the template."""
    book = load_workbook(io.BytesIO(template_workbook()))
    plan_sheet = book["Plan"]
    plan_sheet.delete_rows(2)
    plan_sheet.append([partnership_name, "Service improvement plan", "Children's Services Plan", "2022/23"])
    sheet = book["Actions"]
    sheet.delete_rows(2)
    headers = [cell.value for cell in sheet[1]]
    for action in actions:
        sheet.append([action.get(header, "") for header in headers])
    for name in ["Measures", "Budget", "Efficiencies", "Risks"]:
        book[name].delete_rows(2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


GOOD = {
    "Reference": "A1",
    "Theme & outcome": "Children are safe",
    "Action steps": "• Train staff\n• Audit files",
    "Due date": "31/03/2023",
    "RAG status": "Not yet assessed",
}
BAD_RAG = GOOD | {"Reference": "A2", "RAG status": "Purple"}


def test_the_import_page_states_the_size_limit(login, partnership_admin, settings):
    settings.IMPORT_MAX_BYTES = 5 * 1_048_576
    assert "Files up to 5 MB" in login(partnership_admin).get(reverse("plans:import_start")).text


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("viewer", 403), ("owner", 403)])
def test_only_partnership_admins_reach_the_import_page(request, client, partnership, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("plans:import_start")).status_code == expected
    assert client.post(reverse("plans:import_start"), {}).status_code == expected


def test_upload_previews_then_confirm_imports(login, partnership_admin, partnership):
    client = login(partnership_admin)
    response = client.post(reverse("plans:import_start"), {"file": named(workbook(partnership.name, [GOOD]), "p.xlsx")})
    plan_import = PlanImport.objects.get()
    assert response["Location"] == plan_import.get_absolute_url()
    assert plan_import.status == PlanImportStatus.PREVIEWED
    assert not Plan.objects.filter(title="Children's Services Plan").exists()  # a preview writes nothing
    preview = client.get(plan_import.get_absolute_url()).text
    assert "What the import will do" in preview
    changes = preview.split('id="changes"')[1]
    assert 'Actions</th><td class="col-number">1</td>' in changes

    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    action = ImprovementAction.objects.get(plan=plan_import.plan, reference="A1")
    assert [step.text for step in action.steps.all()] == ["Train staff", "Audit files"]
    created = action.history.get()  # the audit trail says who imported it, and how
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        partnership_admin,
        "Imported from a plan workbook",
    )
    assert plan_import.plan.status == PlanStatus.DRAFT


def test_a_row_error_is_shown_with_sheet_row_and_column_and_cannot_be_imported(login, partnership_admin, partnership):
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(workbook(partnership.name, [GOOD, BAD_RAG]), "p.xlsx")})
    plan_import = PlanImport.objects.get()
    assert plan_import.status == PlanImportStatus.HAS_PROBLEMS
    page = client.get(plan_import.get_absolute_url()).text
    problems = page.split('id="problems"')[1].split("</table>")[0]
    assert "<td>Actions</td><td>3</td><td>RAG status</td>" in problems
    assert "&#x27;Purple&#x27; is not a RAG status" in problems
    response = client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), follow=True)
    assert "cannot be imported" in response.text
    assert not Plan.objects.filter(title="Children's Services Plan").exists()


def test_someone_elses_upload_is_not_visible(login, partnership_admin, superuser, partnership, outsider):
    login(partnership_admin).post(
        reverse("plans:import_start"), {"file": named(workbook(partnership.name, [GOOD]), "p.xlsx")}
    )
    plan_import = PlanImport.objects.get()
    assert login(outsider).get(plan_import.get_absolute_url()).status_code == 404
    assert login(outsider).post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk})).status_code == 404
    progress = reverse("plans:import_progress", kwargs={"pk": plan_import.pk})
    assert login(outsider).get(progress).status_code == 404
    missing = reverse("plans:import_detail", kwargs={"pk": plan_import.pk + 1})
    assert login(outsider).get(missing).status_code == 404  # the same answer as for an upload that exists
    assert PlanImport.objects.get().status == PlanImportStatus.PREVIEWED


def test_csv_section_goes_into_the_chosen_plan(login, partnership_admin, plan):
    csv_text = "Reference,Theme & outcome,Action steps,RAG status\nB1,Families stay together,Map support,Green\n"
    client = login(partnership_admin)
    missing_plan = client.post(reverse("plans:import_start"), {"file": named(csv_text.encode(), "actions.csv")})
    assert "Choose the plan this CSV section belongs to" in missing_plan.text
    client.post(
        reverse("plans:import_start"), {"file": named(csv_text.encode(), "actions.csv"), "target_plan": plan.pk}
    )
    plan_import = PlanImport.objects.get()
    assert plan_import.preview["counts"]["Actions"]["created"] == 1
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    assert plan.actions.get(reference="B1").status == ActionStatus.GREEN


def test_template_has_notes_drop_downs_and_an_example(login, partnership_admin):
    response = login(partnership_admin).get(reverse("plans:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert {"Plan", "Actions", "Measures", "Budget", "Efficiencies", "Risks"} <= set(book.sheetnames)
    actions = book["Actions"]
    assert actions["A1"].value == "Reference" and "Required" in actions["A1"].comment.text
    assert actions["A2"].value == "A01"  # the example row
    lists = {str(v.sqref)[0] for v in actions.data_validations.dataValidation}
    headers = {cell.column_letter: cell.value for cell in actions[1]}
    assert {"Category", "RAG status", "Review frequency"} <= {headers[letter] for letter in lists}
    measures = {c.value: c.column_letter for c in book["Measures"][1]}
    measure_lists = {str(v.sqref)[0] for v in book["Measures"].data_validations.dataValidation}
    assert measures["Direction"] in measure_lists


def test_plan_export_is_a_workbook_in_the_import_format(seeded, login, superuser):
    response = login(superuser).get(reverse("plans:plan_export", kwargs={"slug": "east-ayrshire-chcj-sip-2020-21"}))
    book = load_workbook(io.BytesIO(response.content))
    assert book["Actions"].max_row == 21
    assert book["Actions"]["A2"].value == "A01"
    assert book["Budget"].max_row == 7


def test_an_outsider_cannot_export_another_partnerships_plan(login, outsider, plan):
    assert login(outsider).get(reverse("plans:plan_export", kwargs={"slug": plan.slug})).status_code == 404


# --- roll-over ---------------------------------------------------------------------------------


@pytest.fixture
def year_one(plan, superuser):
    done = ActionFactory(plan=plan, reference="A1", status=ActionStatus.COMPLETE, percent_complete=100)
    ongoing = ActionFactory(plan=plan, reference="A2", status=ActionStatus.AMBER, percent_complete=40)
    ActionStepFactory(action=ongoing, text="Recruit carers")
    measure = MeasureFactory(plan=plan, title="Foster carer reviews on time", target_value=80, target_text="80%")
    MeasureResultFactory(measure=measure, financial_year=2020, value=49, value_text="49%")
    MeasureResultFactory(measure=measure, financial_year=2021, value=61, value_text="61%")
    RiskFactory(partnership=plan.partnership, plan=plan, reference="R1", status="open")
    RiskFactory(partnership=plan.partnership, plan=plan, reference="R2", status="closed")
    return done, ongoing


def test_rollover_carries_incomplete_actions_measures_and_open_risks(plan, superuser, year_one):
    done, ongoing = year_one
    new_plan, preview = plan_rollover(plan=plan, user=superuser, dry_run=False)
    assert (new_plan.start_year, new_plan.status, new_plan.predecessor) == (2022, PlanStatus.DRAFT, plan)
    carried = new_plan.actions.get()
    assert (carried.reference, carried.predecessor, carried.status, carried.percent_complete) == (
        "A2",
        ongoing,
        ActionStatus.NOT_ASSESSED,
        None,
    )
    assert [s.text for s in carried.steps.all()] == ["Recruit carers"]
    measure = QualityMeasure.objects.get(plan=new_plan)
    assert measure.target_text == "80%"
    assert measure.baseline_note == "Baseline: 2021/22 result 61%"
    assert [r.value_text for r in measure.results.all()] == ["61%"]
    assert [r.reference for r in new_plan.risks.all()] == ["R1"]
    assert preview["completed"] == ["A1"]


def test_rollover_previews_first_and_only_once(login, partnership_admin, plan, year_one):
    client = login(partnership_admin)
    page = client.get(reverse("plans:plan_rollover", kwargs={"slug": plan.slug})).text
    assert "1</strong> incomplete action" in page and "A1" in page
    assert Plan.objects.count() == 1  # the preview wrote nothing
    client.post(reverse("plans:plan_rollover", kwargs={"slug": plan.slug}))
    assert Plan.objects.count() == 2
    again = client.post(reverse("plans:plan_rollover", kwargs={"slug": plan.slug}), follow=True)
    assert "already been rolled over" in again.text
    assert Plan.objects.count() == 2


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("viewer", 403), ("owner", 403), ("outsider", 404)])
def test_rollover_and_publish_permission_matrix(request, client, plan, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("plans:plan_rollover", kwargs={"slug": plan.slug})).status_code == expected
    assert client.post(reverse("plans:plan_publish", kwargs={"slug": plan.slug})).status_code == expected
    assert Plan.objects.count() == 1


def test_publish_makes_a_draft_live(login, partnership_admin, plan):
    plan.status = PlanStatus.DRAFT
    plan.save()
    login(partnership_admin).post(reverse("plans:plan_publish", kwargs={"slug": plan.slug}))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED


# --- command line -----------------------------------------------------------------------------------


def test_import_plan_command_dry_run_and_real(tmp_path, superuser, partnership, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook(partnership.name, [GOOD]))
    call_command("import_plan", str(path), "--dry-run")
    assert "Would import" in capsys.readouterr().out
    assert not Plan.objects.filter(title="Children's Services Plan").exists()
    call_command("import_plan", str(path))
    assert Plan.objects.get(title="Children's Services Plan").actions.count() == 1


def test_import_plan_command_reports_problems_and_fails(tmp_path, superuser, partnership):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook(partnership.name, [BAD_RAG]))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_plan", str(path))
    assert not Plan.objects.filter(title="Children's Services Plan").exists()


def test_rollover_plan_command(plan, superuser, year_one, capsys):
    call_command("rollover_plan", plan.slug, "--dry-run")
    assert Plan.objects.count() == 1
    call_command("rollover_plan", plan.slug)
    assert "Created draft" in capsys.readouterr().out
    assert Plan.objects.filter(predecessor=plan).count() == 1


def test_export_of_fixtures_is_reproducible(seeded):
    plan = Plan.objects.get(slug="east-ayrshire-chcj-sip-2020-21")
    first = load_workbook(io.BytesIO(export_plan(plan)))
    second = load_workbook(io.BytesIO(export_plan(plan)))
    for name in first.sheetnames:
        assert [[c.value for c in row] for row in first[name].iter_rows()] == [
            [c.value for c in row] for row in second[name].iter_rows()
        ]


# --- re-import: field-level preview and the admin's choices -------------------------------------------


@pytest.fixture
def exported(plan, superuser):
    """The plan's export after two actions were added; then A2 is edited in the app."""
    ActionFactory(plan=plan, reference="A1", responsible="Team leader")
    ActionFactory(plan=plan, reference="A2", responsible="Service manager")
    content = export_plan(plan)
    ImprovementAction.objects.filter(plan=plan, reference="A2").update(responsible="Edited in the app")
    return content


def test_reimport_preview_shows_each_field_and_the_choices(
    login, partnership_admin, plan, exported, django_assert_max_num_queries
):
    content = edit_workbook(exported, "Actions", edits={"A1": {"Responsible": "Head of service"}}, delete=["A2"])
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(content, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    with django_assert_max_num_queries(6):
        page = client.get(plan_import.get_absolute_url()).text
    diff = page.split('id="diff-actions"')[1].split("</table>")[0]
    assert "Team leader" in diff and "Head of service" in diff
    assert "In the plan but not in this file" in diff and 'name="withdraw" value="Actions|a2"' in diff
    assert "checked" not in diff  # keeping the app's values and the missing rows is the default

    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), {"withdraw": ["Actions|a2"]})
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert plan_import.preview["decisions"]["withdraw"] == ["Actions|a2"]
    assert plan.actions.get(reference="A1").responsible == "Head of service"
    assert plan.actions.get(reference="A2").withdrawn_at is not None


def test_a_conflict_keeps_the_apps_value_unless_the_file_is_chosen(login, partnership_admin, plan, exported):
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(exported, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    page = client.get(plan_import.get_absolute_url()).text
    assert "Changed in SIP Portal" in page and 'value="Actions|a2|responsible"' in page
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), {"take": ["Actions|a2|responsible"]})
    assert plan.actions.get(reference="A2").responsible == "Service manager"


def test_a_renamed_plan_offers_a_second_plan_only_when_ticked(login, partnership_admin, plan, exported):
    content = edit_workbook(exported, "Plan", key="Kind", edits={"Service improvement plan": {"Title": "New name"}})
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(content, "p.xlsx")})
    page = client.get(PlanImport.objects.get().get_absolute_url()).text
    assert "This file updates the existing plan" in page and 'name="new_plan"' in page
    client.post(reverse("plans:import_confirm", kwargs={"pk": PlanImport.objects.get().pk}))
    assert Plan.objects.count() == 1 and Plan.objects.get().title == "New name"


def test_a_confirm_after_the_plan_changed_writes_nothing(login, partnership_admin, plan, exported):
    content = edit_workbook(exported, "Actions", edits={"A1": {"Responsible": "Head of service"}})
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(content, "p.xlsx")})
    ImprovementAction.objects.filter(plan=plan, reference="A1").update(responsible="Changed meanwhile")
    plan_import = PlanImport.objects.get()
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.FAILED and not plan_import.can_start
    assert "preview it again" in plan_import.preview["problems"][0]["message"]
    assert plan.actions.get(reference="A1").responsible == "Changed meanwhile"


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("viewer", 404), ("outsider", 404)])
def test_only_the_uploader_confirms_a_reimport_with_choices(
    request, client, login, partnership_admin, who, expected, plan, exported
):
    login(partnership_admin).post(reverse("plans:import_start"), {"file": named(exported, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    client.logout()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), {"take": ["Actions|a2"]})
    assert response.status_code == expected
    assert PlanImport.objects.get().status == PlanImportStatus.PREVIEWED
    assert plan.actions.get(reference="A2").responsible == "Edited in the app"


def test_import_plan_command_says_what_a_reimport_changes_and_keeps(tmp_path, plan, exported, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(edit_workbook(exported, "Actions", edits={"A1": {"RAG status": "Green"}}, delete=["A2"]))
    call_command("import_plan", str(path))
    out = capsys.readouterr().out
    assert "Actions A1: RAG status: 'Green' not imported (history)" in out
    assert "Actions A2: in the plan but not in this file (kept)" in out
    assert plan.actions.get(reference="A2").withdrawn_at is None


def test_the_imported_page_says_which_values_were_taken_and_what_was_withdrawn(login, partnership_admin, exported):
    client = login(partnership_admin)
    client.post(
        reverse("plans:import_start"), {"file": named(edit_workbook(exported, "Actions", delete=["A1"]), "p.xlsx")}
    )
    plan_import = PlanImport.objects.get()
    choices = {"take": ["Actions|a2|responsible"], "withdraw": ["Actions|a1"]}
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), choices)
    page = client.get(plan_import.get_absolute_url()).text
    assert "Took the file's value" in page and "Withdrawn: it stays browsable" in page
    assert 'name="take"' not in page  # an import that ran offers no more choices


def test_progress_of_a_finished_import_sends_the_browser_to_its_page(login, partnership_admin, partnership):
    plan_import = PlanImport.objects.create(
        uploaded_by=partnership_admin, filename="plan.xlsx", status=PlanImportStatus.IMPORTED
    )
    response = login(partnership_admin).get(reverse("plans:import_progress", kwargs={"pk": plan_import.pk}))
    assert response.status_code == 204
    assert response["HX-Redirect"] == plan_import.get_absolute_url()


# --- preview again: the same stored upload against the plan as it is now ------------------------------


def test_preview_again_after_a_refused_confirm_shows_the_plan_as_it_is_now(login, partnership_admin, plan, exported):
    content = edit_workbook(exported, "Actions", edits={"A1": {"Responsible": "Head of service"}})
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(content, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    first_fingerprint = plan_import.preview["fingerprint"]
    ImprovementAction.objects.filter(plan=plan, reference="A1").update(responsible="Changed meanwhile")
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    assert 'id="preview-again"' in client.get(plan_import.get_absolute_url()).text

    client.post(reverse("plans:import_preview_again", kwargs={"pk": plan_import.pk}))
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.PREVIEWED and plan_import.can_start
    assert plan_import.failure_reason == "" and plan_import.preview["fingerprint"] != first_fingerprint
    diff = client.get(plan_import.get_absolute_url()).text.split('id="diff-actions"')[1].split("</table>")[0]
    assert "Changed meanwhile" in diff and "Head of service" in diff
    assert plan.actions.get(reference="A1").responsible == "Changed meanwhile"  # a preview writes nothing

    # Changed in the app since the export: now a conflict, so the file's value is written only when ticked.
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), {"take": ["Actions|a1|responsible"]})
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert plan.actions.get(reference="A1").responsible == "Head of service"


def test_preview_again_is_post_only_and_not_for_an_imported_upload(login, partnership_admin, plan, exported):
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(exported, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    url = reverse("plans:import_preview_again", kwargs={"pk": plan_import.pk})
    assert client.get(url).status_code == 405
    PlanImport.objects.filter(pk=plan_import.pk).update(status=PlanImportStatus.IMPORTED)
    client.post(url)
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert 'id="preview-again"' not in client.get(plan_import.get_absolute_url()).text


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("viewer", 404), ("outsider", 404)])
def test_only_the_uploader_previews_again(request, client, login, partnership_admin, who, expected, plan, exported):
    login(partnership_admin).post(reverse("plans:import_start"), {"file": named(exported, "p.xlsx")})
    PlanImport.objects.update(status=PlanImportStatus.FAILED, preview={"fingerprint": "old"})
    client.logout()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("plans:import_preview_again", kwargs={"pk": PlanImport.objects.get().pk}))
    assert response.status_code == expected
    assert PlanImport.objects.get().status == PlanImportStatus.FAILED
    assert PlanImport.objects.get().preview == {"fingerprint": "old"}


def test_highlights_changed_in_the_app_are_a_conflict_in_the_preview(login, partnership_admin, plan):
    PlanHighlight.objects.create(plan=plan, section="Key facts", text="120 children supported", order=1)
    stale = edit_workbook(
        export_plan(plan), "Highlights", key="Text", edits={"120 children supported": {"Text": "From the file"}}
    )
    PlanHighlight.objects.filter(plan=plan).update(text="Edited in the app")
    client = login(partnership_admin)
    client.post(reverse("plans:import_start"), {"file": named(stale, "p.xlsx")})
    plan_import = PlanImport.objects.get()
    diff = client.get(plan_import.get_absolute_url()).text.split('id="diff-highlights"')[1].split("</table>")[0]
    assert "Changed in SIP Portal" in diff and 'name="take" value="Highlights|all|all"' in diff
    client.post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}), {"take": ["Highlights|all|all"]})
    assert PlanImport.objects.get().status == PlanImportStatus.IMPORTED
    assert list(plan.highlights.values_list("text", flat=True)) == ["From the file"]
