"""Writes that touch several models. Each is atomic and takes keyword-only arguments."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from plans import rollover
from plans.choices import MembershipRole, PlanStatus, UpdateApproval
from plans.models import (
    ImprovementAction,
    Membership,
    Partnership,
    Plan,
    PlanSuperseded,
    ProgressUpdate,
    ReminderPreference,
    UpdateEvidence,
)
from plans.periods import QuarterSignedOff, closed_quarters, financial_year_label

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
