"""Re-importing the East Ayrshire plan: what an identical file writes, and what a stale file undoes.

    DEBUG=1 .venv/bin/python bench/reimport.py

Sets Django up against a throwaway SQLite database under /tmp, runs `migrate` and `load_seed`, then:

  (a) exports the East Ayrshire SIP 2020/21 and imports that file straight back, counting every row of
      every table of the plans, dashboard and risks apps (audit-trail tables included) that was created,
      changed or deleted. Target: 0.
  (b) exports it again, then does newer work in the app (a progress update on every third action, a
      review of every risk at 4x4, an edit of A05's responsible officer), and imports the older file with
      one cell changed (A01's responsible officer), as the issue's admin did. Counts the progress updates
      and risk reviews changed or deleted, the actions whose status or % complete and the risks whose
      scores the import changed, and whether A05's edit and A01's change survive. Target: 0 changed.
"""

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EA_SIP = "east-ayrshire-chcj-sip-2020-21"


def set_up(workdir):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_seed", verbosity=0)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("bench-admin", password="x")


def snapshot():
    """{table: {pk: row}} for every table of the three apps, the import's own upload table aside."""
    from django.apps import apps

    tables = {}
    for label in ("plans", "dashboard", "risks"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name == "planimport":
                continue
            tables[model._meta.db_table] = {row["pk"]: row for row in model.objects.values("pk", *_columns(model))}
    return tables


def _columns(model):
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def rows_written(before, after):
    written = 0
    for table, rows in after.items():
        old = before[table]
        written += len(rows.keys() - old.keys()) + len(old.keys() - rows.keys())
        written += sum(1 for pk in rows.keys() & old.keys() if rows[pk] != old[pk])
    return written


def edited(content, reference, header, value):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book["Actions"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == reference:
            row[headers.index(header)].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def identical_reimport(user):
    from plans.import_services import plan_import
    from plans.models import Plan
    from plans.workbook.writer import export_plan

    content = export_plan(Plan.objects.get(slug=EA_SIP))
    before = snapshot()
    result = plan_import(content=content, filename="ea.xlsx", user=user, dry_run=False)
    assert result.written, result.problems
    return rows_written(before, snapshot())


def stale_reimport(user):
    from plans.choices import ActionStatus
    from plans.import_services import plan_import
    from plans.models import Plan, ProgressUpdate
    from plans.periods import FinancialQuarter
    from plans.services import action_update_progress
    from plans.workbook.writer import export_plan
    from risks.models import RiskReview
    from risks.services import risk_review

    plan = Plan.objects.get(slug=EA_SIP)
    old_file = edited(export_plan(plan), "A01", "Responsible", "Head of Children's Services")
    for action in plan.actions.order_by("order")[::3]:
        action_update_progress(
            action=action,
            author=user,
            status=ActionStatus.AMBER,
            percent_complete=40,
            commentary="On track after a slow start.",
            period=FinancialQuarter(2020, 3),
            expected_version=action.version,
        )
    for risk in plan.risks.all():
        risk_review(risk=risk, reviewer=user, note="Reviewed at the board.", likelihood=4, impact=4)
    plan.actions.filter(reference="A05").update(responsible="Edited in the app")
    updates = {u["id"]: u for u in ProgressUpdate.objects.values()}
    reviews = {r["id"]: r for r in RiskReview.objects.values()}
    statuses = dict(plan.actions.values_list("pk", "status"))
    percents = dict(plan.actions.values_list("pk", "percent_complete"))
    scores = {r.pk: (r.likelihood, r.impact) for r in plan.risks.all()}

    result = plan_import(content=old_file, filename="ea.xlsx", user=user, dry_run=False)
    assert result.written, result.problems
    updates_after = {u["id"]: u for u in ProgressUpdate.objects.values()}
    reviews_after = {r["id"]: r for r in RiskReview.objects.values()}
    return {
        "progress updates": len(updates),
        "risk reviews": len(reviews),
        "updates changed or deleted": sum(1 for pk, u in updates.items() if updates_after.get(pk) != u),
        "reviews changed or deleted": sum(1 for pk, r in reviews.items() if reviews_after.get(pk) != r),
        "action statuses reset": sum(1 for pk, s in plan.actions.values_list("pk", "status") if statuses[pk] != s),
        "% complete reset": sum(1 for pk, p in plan.actions.values_list("pk", "percent_complete") if percents[pk] != p),
        "risk scores reset": sum(1 for r in plan.risks.all() if scores[r.pk] != (r.likelihood, r.impact)),
        "app edit kept (A05)": plan.actions.get(reference="A05").responsible == "Edited in the app",
        "file change taken (A01)": plan.actions.get(reference="A01").responsible == "Head of Children's Services",
    }


def main():
    with tempfile.TemporaryDirectory() as workdir:
        user = set_up(Path(workdir))
        written = identical_reimport(user)
        print(f"(a) identical re-import of {EA_SIP}: {written} rows written (target 0)")
        print(f"(b) stale re-import of {EA_SIP}:")
        for label, figure in stale_reimport(user).items():
            print(f"    {label}: {figure}")


if __name__ == "__main__":
    main()
