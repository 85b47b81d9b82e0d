"""Writes that touch several models. Each is atomic and takes keyword-only arguments."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans import rollover
from plans.choices import MembershipRole, PlanStatus, UpdateApproval
from plans.import_progress import ImportProgress
from plans.models import (
    ImprovementAction,
    Membership,
    Partnership,
    Plan,
    PlanImport,
    PlanImportStatus,
    PlanSuperseded,
    ProgressUpdate,
    ReminderPreference,
    UpdateEvidence,
)
from plans.periods import QuarterSignedOff, closed_quarters, financial_year_label
from plans.wordimport import convert as word
from plans.workbook.conflicts import Decisions
from plans.workbook.importer import ImportResult, PlanImporter
from plans.workbook.reader import read_upload

DEMO_PREFIXES = {
    "east-ayrshire-hscp": "ea",
    "south-ayrshire-hscp": "sa-hscp",
    "south-ayrshire-cpp": "sa-cpp",
    "moray-cpp": "moray",
}
# The demo East Ayrshire manager answers for the actions this officer leads.
DEMO_MANAGER_RESPONSIBILITY = "Senior Manager (Localities)"


@transaction.atomic
def demo_accounts_create(*, password):
    """Create or refresh one account per role per partnership, a board viewer and a superuser.

    Returns (username, description) pairs for the caller to print.
    """
    User = get_user_model()
    created = []

    def account(username, **fields):
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        user.set_password(password)
        user.save()
        return user

    account("admin", is_staff=True, is_superuser=True, first_name="Site", last_name="Administrator")
    created.append(("admin", "superuser: sees everything, Django admin"))

    board = account("board", first_name="Board", last_name="Member")
    for partnership in Partnership.objects.order_by("name"):
        prefix = DEMO_PREFIXES.get(partnership.slug, partnership.slug)
        Membership.objects.update_or_create(
            user=board, partnership=partnership, defaults={"role": MembershipRole.VIEWER}
        )
        for role in MembershipRole:
            username = f"{prefix}-{role.value.removeprefix('partnership_')}"
            user = account(username, first_name=prefix.upper(), last_name=role.label)
            Membership.objects.update_or_create(user=user, partnership=partnership, defaults={"role": role})
            created.append((username, f"{role.label} of {partnership.name}"))
            if role == MembershipRole.MANAGER:
                actions = ImprovementAction.objects.filter(
                    plan__partnership=partnership, responsible__contains=DEMO_MANAGER_RESPONSIBILITY
                )
                user.responsible_actions.add(*actions)
    created.append(("board", "viewer of every partnership (cross-partnership board member)"))
    return created


class ActionUpdateConflict(Exception):
    """Someone else updated the action after this form was opened."""

    def __init__(self, latest_update, version=None):
        self.latest_update = latest_update
        self.version = version  # the action's version now, to save against after a review
        super().__init__("The action was updated by someone else after you opened it.")


@transaction.atomic
def action_update_progress(
    *, action, author, status, percent_complete, commentary, period, expected_version, evidence=None
):
    """Record a quarterly progress update and move the action to its new status.

    Refuses (ActionUpdateConflict) if the action changed since `expected_version` was read,
    so that nobody's update is silently overwritten.
    """
    locked = ImprovementAction.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    locked.plan.refuse_writes()
    if period in closed_quarters(plan=locked.plan):
        raise QuarterSignedOff(f"{period} is signed off for this plan: update {period.next()} instead.")
    if locked.version != expected_version:
        latest = locked.updates.select_related("author").order_by("-created_at").first()
        raise ActionUpdateConflict(latest, version=locked.version)
    if not locked.can_move_to(status):
        raise ValueError(f"An action cannot be moved to {status!r}.")
    needs_approval = locked.plan.partnership.updates_need_approval
    update = ProgressUpdate.objects.create(
        action=locked,
        period_year=period.start_year,
        period_quarter=period.quarter,
        status_before=locked.status,
        status=status,
        percent_complete=percent_complete,
        commentary=commentary.strip(),
        author=author,
        approval=UpdateApproval.SUBMITTED if needs_approval else UpdateApproval.APPROVED,
    )
    if evidence is not None:
        UpdateEvidence.objects.create(update=update, file=evidence, name=evidence.name[:255], size=evidence.size)
    if needs_approval:
        # The action keeps its approved status; the version still moves so no one overwrites this unseen.
        locked.version += 1
        locked.save(update_fields=["version"])
    else:
        _action_apply_update(locked, update, reason=f"Progress update for {period}")
    return update


def action_update_progress_each(*, author, updates):
    """Record several actions' updates, each on its own (bulk update from My actions).

    `updates` is (action, keyword arguments of action_update_progress) pairs. One row's conflict or
    closed quarter does not stop the others: returns {action pk: ProgressUpdate or the refusal}.
    """
    outcomes = {}
    for action, fields in updates:
        try:
            outcomes[action.pk] = action_update_progress(action=action, author=author, **fields)
        except (ActionUpdateConflict, QuarterSignedOff, PlanSuperseded) as refused:
            outcomes[action.pk] = refused
    return outcomes


def _action_apply_update(action, update, *, reason):
    action.status = update.status
    action.percent_complete = update.percent_complete
    action.version += 1
    action.updated_at = timezone.now()
    action._change_reason = reason
    action.save(update_fields=["status", "percent_complete", "version", "updated_at"])


class UpdateAlreadyDecided(Exception):
    """The update was approved or returned already (perhaps by another approver)."""


@transaction.atomic
def progress_update_decide(*, update, approver, approve, reason=""):
    """Approve a submitted update (it then counts, and moves the action), or return it with a reason."""
    locked = ProgressUpdate.objects.select_for_update(of=("self",)).select_related("action__plan").get(pk=update.pk)
    locked.action.plan.refuse_writes()
    if locked.approval != UpdateApproval.SUBMITTED:
        raise UpdateAlreadyDecided(f"This update is already {locked.get_approval_display().lower()}.")
    if not approve and not reason.strip():
        raise ValueError("Say why the update is returned, so its author can put it right.")
    locked.approval = UpdateApproval.APPROVED if approve else UpdateApproval.RETURNED
    locked.decided_by = approver
    locked.decided_at = timezone.now()
    locked.return_reason = "" if approve else reason.strip()
    locked.save(update_fields=["approval", "decided_by", "decided_at", "return_reason"])
    if approve:
        action = ImprovementAction.objects.select_for_update().get(pk=locked.action_id)
        _action_apply_update(action, locked, reason=f"Progress update for {locked.period} approved by {approver}")
    return locked


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
CARRIED_PLAN_FIELDS = (
    "kind",
    "service_area",
    "summary",
    "source_document",
    "source_title",
    "source_date",
    "author",
    "source_notes",
)


def _not_carried(plan, period):
    budget, savings = plan.budget_lines.in_force().count(), plan.efficiencies.in_force().count()
    return [
        f"Budget ({budget} line{'s' * (budget != 1)}) and planned efficiencies ({savings}): they belong to "
        f"{plan.period_label}. Import the {period} budget and savings into the new plan.",
        f"Commissioned services ({plan.contracts.count()}) and highlights from the source document "
        f"({plan.highlights.count()}).",
        f"Progress updates, quarterly reports, sign-offs and risk reviews: they stay with {plan.period_label}, "
        "which stays browsable, read-only, once the new year is published.",
    ]


@transaction.atomic
def plan_rollover(*, plan, user, dry_run=True, title=None):
    """Start plan year N+1 from year N as a draft, titled `title` (else N's title with its years moved on).

    Each app's roll-over step carries its own rows: the themes, incomplete actions in force (linked to
    their predecessor, with their dates and timescales as stated, status reset to "not yet assessed"),
    measures with last year's result as their baseline, open risks. The plan's source facts are kept.
    Completed and withdrawn actions, budgets, efficiencies and history are not carried.
    """
    start_year, end_year = plan.start_year + 1, plan.end_year + 1
    title = " ".join((title or "").split()) or rollover.next_year_title(
        plan.title, start_year=plan.start_year, end_year=plan.end_year
    )
    period = financial_year_label(start_year, end_year)
    preview = {"title": title, "period": period, "not_carried": _not_carried(plan, period)}
    for step in rollover.steps():
        preview |= step.preview(plan)
    if Plan.objects.filter(predecessor=plan).exists():
        preview["problem"] = "This plan has already been rolled over."
    elif plan.is_superseded:
        preview["problem"] = "This plan is superseded: roll over the current year instead."
    if dry_run or "problem" in preview:
        return None, preview
    named = title if str(start_year) in title else f"{title} {period}"
    new = Plan.objects.create(
        partnership=plan.partnership,
        title=title,
        slug=Plan.unique_slug(f"{plan.partnership.slug} {named}"),
        start_year=start_year,
        end_year=end_year,
        status=PlanStatus.DRAFT,
        predecessor=plan,
        **{name: getattr(plan, name) for name in CARRIED_PLAN_FIELDS},
    )
    for step in rollover.steps():
        step.carry(plan, new)
    return new, preview


@transaction.atomic
def plan_publish(*, plan, user):
    """Make a plan live. A rolled-over year replaces its predecessor, which becomes superseded.

    The predecessor stays browsable but read-only and is no longer counted, so the same work is
    never counted in two years at once. Both changes are in the plans' history.
    """
    plan.refuse_writes()
    plan.status = PlanStatus.PUBLISHED
    plan._change_reason = f"Published by {user}"
    plan.save(update_fields=["status"])
    predecessor = plan.predecessor
    if predecessor is not None and predecessor.status in (PlanStatus.PUBLISHED, PlanStatus.DRAFT):
        predecessor.status = PlanStatus.SUPERSEDED
        predecessor._change_reason = f"Superseded by {plan.period_label}, published by {user}"
        predecessor.save(update_fields=["status"])
    return plan


@transaction.atomic
def reminder_preference_set(*, user, frequency):
    preference, _ = ReminderPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference


@transaction.atomic
def reporting_calendar_save(*, partnership, calendar_formset, days_form, user):
    """Save a partnership's calendar and reminder days (both forms already valid)."""
    days_form.save()
    for period in calendar_formset.save(commit=False):
        period.partnership = partnership
        period._change_reason = f"Reporting calendar edited by {user}"
        period.save()
    return partnership
