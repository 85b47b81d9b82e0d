"""Writes for bringing a plan year in from a workbook or Word document, run by the task worker."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans.import_progress import ImportProgress
from plans.models import (
    Partnership,
    PlanImport,
    PlanImportStatus,
)
from plans.wordimport import convert as word
from plans.workbook.conflicts import Decisions
from plans.workbook.importer import ImportResult, PlanImporter
from plans.workbook.reader import read_upload


def plan_import(
    *,
    content,
    filename,
    user,
    plan=None,
    dry_run=True,
    allow_new_partnership=False,
    new_partnership_kind="",
    on_progress=None,
    decisions=None,
    expected_fingerprint=None,
):
    """Read a plan-year workbook (or a one-section CSV into `plan`) and import it, all or nothing.

    With dry_run the import is rolled back and the result is a preview: what would be created,
    updated or left unchanged per sheet, each changed field, conflicts with newer work in the app,
    rows the file leaves out, and every problem with its sheet, row and column. `decisions` are the
    admin's choices in that preview; with `expected_fingerprint` (the preview's), an import whose
    changes are no longer what the preview showed writes nothing.
    """
    parsed = read_upload(content, filename, on_row=_row_progress(on_progress))
    importer = PlanImporter(
        parsed,
        user=user,
        plan=plan,
        allow_new_partnership=allow_new_partnership,
        new_partnership_kind=new_partnership_kind,
        on_progress=on_progress,
        decisions=decisions,
        expected_fingerprint=expected_fingerprint,
    )
    return importer.run(dry_run=dry_run)


def plan_import_word(*, content, filename, user, dry_run=True, allow_new_partnership=False, plan_facts=None):
    """Import a plan from its Word document (.docx), all or nothing. Returns (ImportResult, Conversion).

    The document is read into a workbook in the template format, which is then imported like
    any other; `plan_facts` gives the plan's partnership, kind, title or year where the
    document does not. What the document gave, and every table it could not read, is in the Conversion.
    """
    conversion = word_conversion(content=content, plan_facts=plan_facts)
    if conversion.workbook is None:
        return ImportResult(problems=list(conversion.problems)), conversion
    result = plan_import(
        content=conversion.workbook,
        filename=f"{filename}.xlsx",
        user=user,
        dry_run=dry_run or bool(conversion.problems),
        allow_new_partnership=allow_new_partnership,
    )
    result.problems[:0] = conversion.problems
    return result, conversion


def word_conversion(*, content, plan_facts=None):
    """A Word plan read into a workbook in the template format, with what was and was not read."""
    names = list(Partnership.objects.values_list("name", flat=True))
    return word.convert(content, chosen=plan_facts, partnerships=names)


def _row_progress(on_progress):
    if on_progress is None:
        return None

    def on_row(sheet, number):
        if number % 500 == 0:
            on_progress(f"Reading {sheet}", number, None)

    return on_row


def _import_summary(result):
    return {
        "plan": result.plan.title if result.plan else "",
        "plan_url": result.plan.get_absolute_url() if result.plan and result.written else "",
        "partnership": result.plan.partnership.name if result.plan else "",
        "counts": {sheet: dict(counts) for sheet, counts in result.counts.items()},
        "problems": [vars(problem) for problem in result.problems],
        "changes": [change.as_data() for change in result.changes if change.listed],
        "plan_match": result.plan_match,
        "fingerprint": result.fingerprint,
        "examples_skipped": result.examples_skipped,
        "missing_partnership": result.missing_partnership,
        "derived": [vars(note) for note in result.derived],
    }


def plan_import_upload(*, user, filename, content, target_plan=None, plan_facts=None):
    """Keep an uploaded workbook and its preview (a dry run). Nothing in the plan is written yet.

    A Word document is kept as the workbook it was read into, so the confirm imports exactly
    what was previewed and the user can download it to fix by hand.
    """
    summary = {}
    if word.is_word_document(filename):
        result, conversion = plan_import_word(content=content, filename=filename, user=user, plan_facts=plan_facts)
        summary["word"] = conversion.summary()
        content = conversion.workbook or content
    else:
        result = plan_import(content=content, filename=filename, user=user, plan=target_plan, dry_run=True)
    return PlanImport.objects.create(
        uploaded_by=user,
        filename=filename[:255],
        content=content,
        target_plan=target_plan,
        status=PlanImportStatus.PREVIEWED if result.ok else PlanImportStatus.HAS_PROBLEMS,
        preview=_import_summary(result) | summary,
    )


def plan_import_create_partnership(*, upload, user, kind):
    """Preview the upload again, creating the partnership it names when it is imported (superusers only).

    The choice is kept with the upload, so the import that follows creates the partnership, in the
    same transaction as the plan.
    """
    if not user.is_superuser:
        raise PermissionError("Only a site administrator can create a partnership.")
    result = plan_import(
        content=bytes(upload.content),
        filename=upload.workbook_filename,
        user=user,
        plan=upload.target_plan,
        allow_new_partnership=True,
        new_partnership_kind=kind,
    )
    kept = {key: value for key, value in upload.preview.items() if key == "word"}
    upload.preview = _import_summary(result) | kept | {"create_partnership": kind}
    upload.status = PlanImportStatus.PREVIEWED if result.ok else PlanImportStatus.HAS_PROBLEMS
    upload.save(update_fields=["preview", "status"])
    return upload


@transaction.atomic
def plan_import_preview_again(*, upload, user):
    """Preview the same stored upload again against the plan as it is now, with a fresh fingerprint.

    After a confirm was refused because the plan changed, this shows what the file would do now,
    without uploading it again. Nothing in the plan is written.
    """
    locked = PlanImport.objects.select_for_update().get(pk=upload.pk)
    if not locked.can_preview_again:
        raise ValueError("Only an upload that is not queued, running or imported can be previewed again.")
    kept = {key: value for key, value in locked.preview.items() if key in ("word", "create_partnership")}
    result = plan_import(
        content=bytes(locked.content),
        filename=locked.workbook_filename,
        user=user,
        plan=locked.target_plan,
        allow_new_partnership="create_partnership" in kept,
        new_partnership_kind=kept.get("create_partnership", ""),
    )
    locked.preview = _import_summary(result) | kept
    locked.status = PlanImportStatus.PREVIEWED if result.ok else PlanImportStatus.HAS_PROBLEMS
    locked.failure_reason = ""
    locked.finished_at = None
    locked.save(update_fields=["preview", "status", "failure_reason", "finished_at"])
    return locked


STOPPED_REASON = (
    "The import stopped before it finished: the worker running it was stopped or restarted. "
    "Nothing was written. You can try again."
)


@transaction.atomic
def plan_import_start(*, upload, user, decisions=None):
    """Queue a previewed (or failed) import to run in a worker. The queueing and the task are one write.

    `decisions` (conflicts.Decisions) are the admin's choices in the preview, applied by the worker.
    """
    locked = PlanImport.objects.select_for_update().get(pk=upload.pk)
    if not locked.can_start:
        raise ValueError("Only a previewed import without problems, or a failed one, can be imported.")
    locked.status = PlanImportStatus.QUEUED
    locked.progress = {"stage": "Waiting for a worker", "done": 0, "total": None}
    locked.failure_reason = ""
    locked.save(update_fields=["status", "progress", "failure_reason"])
    # Imported here so that the task module (which imports this one) loads after it.
    from plans.tasks import run_plan_import

    result = run_plan_import.enqueue(locked.pk, user.pk, (decisions or Decisions()).as_data())
    PlanImport.objects.filter(pk=locked.pk).update(task_id=str(result.id)[:64])
    locked.refresh_from_db()
    return locked


def plan_import_run(*, plan_import_id, user, decisions=None):
    """Run a queued import (the task's body): the plan's rows are written in one transaction.

    The row says RUNNING, with a heartbeat, only while the import runs; if it raises, the import is
    marked failed with the reason and can be started again. Returns the import, or None if it was not
    waiting to run (another worker took it, or it was already finished).
    """
    claimed = PlanImport.objects.filter(pk=plan_import_id, status=PlanImportStatus.QUEUED).update(
        status=PlanImportStatus.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress={"stage": "Starting", "done": 0, "total": None},
    )
    if not claimed:
        return None
    upload = PlanImport.objects.get(pk=plan_import_id)
    progress = ImportProgress(upload.pk)
    try:
        result = plan_import(
            content=bytes(upload.content),
            filename=upload.workbook_filename,
            user=user,
            plan=upload.target_plan,
            dry_run=False,
            allow_new_partnership="create_partnership" in upload.preview,
            new_partnership_kind=upload.preview.get("create_partnership", ""),
            on_progress=progress,
            decisions=decisions,
            expected_fingerprint=upload.preview.get("fingerprint"),
        )
    except Exception as error:
        _plan_import_fail(upload.pk, f"The import stopped with an error: {error}. Nothing was written.")
        raise
    finally:
        progress.close()
    upload.status = PlanImportStatus.IMPORTED if result.written else PlanImportStatus.FAILED
    kept = ("word", "create_partnership")
    upload.preview = _import_summary(result) | {k: v for k, v in upload.preview.items() if k in kept}
    upload.preview["decisions"] = (decisions or Decisions()).as_data()
    upload.plan = result.plan if result.written else None
    upload.finished_at = timezone.now()
    upload.progress = {"stage": "Done", "done": 1, "total": 1}
    if not result.written:
        upload.failure_reason = "The plan changed since its preview; the import found problems. Nothing was written."
    upload.save()
    return upload


def _plan_import_fail(plan_import_id, reason):
    PlanImport.objects.filter(pk=plan_import_id).update(
        status=PlanImportStatus.FAILED, failure_reason=reason, finished_at=timezone.now()
    )


def plan_imports_fail_abandoned(*, now):
    """Mark failed every running import whose worker died (its heartbeat stopped). Returns how many."""
    return PlanImport.objects.abandoned(now=now).update(
        status=PlanImportStatus.FAILED, failure_reason=STOPPED_REASON, finished_at=now
    )


# The plan's own facts that stay true of the next year: the source its carried content came from.
