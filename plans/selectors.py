"""Reads across relations. They return querysets or plain data, never write.

Each takes the requesting user and returns only what that user may read.
"""

from collections import Counter, defaultdict

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from plans import periods
from plans.choices import ActionStatus, MembershipRole, PlanStatus, UpdateApproval
from plans.models import (
    BudgetLine,
    CommissionedService,
    ImprovementAction,
    NationalOutcome,
    Plan,
    PlannedEfficiency,
    ProgressUpdate,
    ReportingPeriod,
)
from plans.periods import FinancialQuarter, financial_year_label
from plans.permissions import memberships_of, readable_partnerships


def related_count(queryset, link):
    """How many rows of `queryset` point at the outer row through `link`, as a correlated subquery.

    Several Count()s over different joins in one query multiply each other's rows (20 actions x 13
    measures x 5 risks ...) before DISTINCT thins them again; one subquery per count stays linear.
    """
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Counts other apps add to the partnership and plan pages, registered from their overview.py:
# {annotation or section name: (a function giving the rows to count, the link to the outer row)}.
PARTNERSHIP_COUNTS = {}
PLAN_COUNTS = {}
# Columns of the cross-partnership Overview, counted per partnership; only rows that count (in force,
# in current plans) belong here.
OVERVIEW_COUNTS = {}
PLAN_SECTIONS = {}


def register_count(registry, name, rows, link):
    registry[name] = (rows, link)


def _counted(registry):
    return {name: related_count(rows(), link) for name, (rows, link) in registry.items()}


def partnerships_with_counts(*, user):
    return (
        readable_partnerships(user)
        .annotate(
            plan_count=related_count(Plan.objects.current(), "partnership"),
            action_count=related_count(ImprovementAction.objects.current(), "plan__partnership"),
            **_counted(PARTNERSHIP_COUNTS),
        )
        .order_by("name")
    )


def partnerships_for_overview(*, partnerships):
    """`partnerships` with each app's Overview counts annotated, one subquery per count."""
    return partnerships.annotate(**_counted(OVERVIEW_COUNTS)).order_by("name")


def partnership_for_page(*, user, slug):
    return readable_partnerships(user).get(slug=slug)


def partnership_members(*, partnership):
    return partnership.memberships.select_related("user").order_by("user__username")


def plans_with_counts(*, partnership):
    return (
        Plan.objects.filter(partnership=partnership)
        .annotate(
            action_count=related_count(ImprovementAction.objects.in_force(), "plan"),
            **_counted(PLAN_COUNTS),
        )
        .order_by("-start_year", "title")
    )


def readable_plans(*, user):
    return Plan.objects.for_partnerships(readable_partnerships(user)).select_related("partnership")


ALL_YEARS = "all"


def current_plans(plans):
    """The plans that count (see PlanQuerySet.current): what lists show unless an older year is asked for."""
    return plans.current()


def plans_in_year(plans, year):
    """`plans` narrowed to a filter's year: '' the current plans, 'all' every year, or a financial year."""
    if not year:
        return current_plans(plans)
    if year == ALL_YEARS:
        return plans
    return plans.filter(start_year__lte=int(year), end_year__gte=int(year))


def plan_year_choices(plans):
    """'All years' and each financial year in which one of `plans` starts, newest first."""
    years = plans.order_by("-start_year").values_list("start_year", flat=True).distinct()
    return [(ALL_YEARS, "All years"), *((str(year), financial_year_label(year)) for year in years)]


def plan_for_page(*, user, slug):
    return readable_plans(user=user).get(slug=slug)


def plan_overview(*, plan):
    """Everything the plan overview page shows, as plain data, in a fixed number of queries."""
    sections = {
        "actions": (ImprovementAction.objects.in_force, "plan"),
        "budget_lines": (BudgetLine.objects.in_force, "plan"),
        "efficiencies": (PlannedEfficiency.objects.in_force, "plan"),
        "contracts": (CommissionedService.objects.all, "plan"),
    } | PLAN_SECTIONS
    # Annotation names may not reuse the relation names, hence the prefix.
    found = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(**{f"n_{name}": related_count(rows(), link) for name, (rows, link) in sections.items()})
        .values(*(f"n_{name}" for name in sections))
        .get()
    )
    counts = {name: found[f"n_{name}"] for name in sections}
    actions = list(plan.actions.in_force().order_by("order", "reference").values_list("status", "theme_id", "title"))
    status_counts = Counter(status for status, _, _ in actions)
    highlights_by_section = defaultdict(list)
    for highlight in plan.highlights.all():
        highlights_by_section[highlight.section].append(highlight)
    return {
        "counts": counts,
        "status_counts": [(status.value, status.label, status_counts.get(status.value, 0)) for status in ActionStatus],
        "themes": themes_with_outline(list(plan.themes.all()), actions),
        "highlights_by_section": dict(highlights_by_section),
    }


def themes_with_outline(themes, actions):
    """Each theme with `outcomes` (the distinct headings of its actions, in plan order) and `n_actions`.

    `actions` are (status, theme id, title) rows of the plan's actions.
    """
    headings = defaultdict(Counter)
    for _, theme_id, title in actions:
        if theme_id is not None:
            headings[theme_id][title] += 1
    for theme in themes:
        theme.outcomes = list(headings[theme.pk])
        theme.n_actions = sum(headings[theme.pk].values())
    return themes


def actions_for_list(*, user, quarter=None):
    """Actions the user may read, annotated with whether they were updated in `quarter`.

    Without `quarter`, each action's plan's reporting quarter: the current one, or once the plan has
    signed that off, the next open one, where its managers' updates now go.
    """
    if quarter is None:
        current = FinancialQuarter.current()
        updated = {"quarter": current, "moved_on": periods.moved_on_reporting_quarters(today_quarter=current)}
    else:
        updated = {"quarter": quarter}
    return (
        ImprovementAction.objects.for_partnerships(readable_partnerships(user))
        .with_update_in(**updated)
        .with_own_text()
        .select_related("plan__partnership", "service")
        .prefetch_related("responsible_users")
        .order_by("plan__partnership__name", "plan", "order")
    )


def action_for_page(*, user, pk):
    return (
        ImprovementAction.objects.for_partnerships(readable_partnerships(user))
        .select_related("plan__partnership", "theme", "service")
        .prefetch_related(
            "steps",
            "national_outcomes",
            "responsible_users",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author", "decided_by").prefetch_related("evidence"),
            ),
        )
        .get(pk=pk)
    )


def last_update(*, action):
    """The action's most recent progress update, or None."""
    return action.updates.select_related("author").order_by("-created_at", "-pk").first()


def my_actions(*, user, today=None):
    """A manager's quarter-end view: their actions, what is due, and what still needs an update."""
    today = today or periods.today()
    # Only the current plans: last year's actions are finished business, however many there are.
    responsible = Q(pk__in=user.responsible_actions.values("pk"))
    updated = Q(pk__in=ProgressUpdate.objects.filter(author=user).values("action"))
    quarter = my_reporting_quarter(plans=my_plans(user=user), today=today)
    mine = with_my_latest_update(actions_for_list(user=user, quarter=quarter), user=user).current()
    actions = list(mine.filter(responsible | updated))
    open_actions = [action for action in actions if action.status != ActionStatus.COMPLETE]
    deadlines = next_update_deadlines(partnerships=readable_partnerships(user), today=today)
    return {
        "quarter": quarter,
        "update_deadlines": sorted(deadlines.values(), key=lambda period: period.update_deadline),
        "returned": [action for action in actions if action.my_latest_approval == UpdateApproval.RETURNED],
        "actions": actions,
        "overdue": [a for a in open_actions if a.due_date and a.due_date < today],
        "due_this_quarter": [a for a in open_actions if a.due_date and today <= a.due_date <= quarter.last_day],
        "not_updated": [a for a in actions if not a.updated_in_quarter],
    }


def my_plans(*, user):
    """The plans of the actions the user is responsible for or has updated."""
    mine = ImprovementAction.objects.filter(Q(responsible_users=user) | Q(updates__author=user))
    return Plan.objects.filter(pk__in=mine.values("plan"))


def my_reporting_quarter(*, plans, today=None):
    """The quarter a manager's updates go to: the current one, or the next once all their plans signed it off.

    Where only some of their plans have signed the current quarter off, it stays the current one.
    """
    current = FinancialQuarter.containing(today or periods.today())
    plans = list(current_plans(plans))
    if not plans:
        return current
    return min(
        periods.reporting_quarter(closed=periods.closed_quarters(plan=plan), today_quarter=current) for plan in plans
    )


def actions_to_update(*, user, quarter):
    """The user's open actions with no update for `quarter`, each with its latest update annotated."""
    return (
        actions_for_list(user=user, quarter=quarter)
        .current()
        .filter(Q(responsible_users=user) | Q(updates__author=user))
        .exclude(status=ActionStatus.COMPLETE)
        .filter(updated_in_quarter=False)
        .distinct()
        .with_latest_update()
    )


def actions_for_bulk_update(*, user, pks, quarter):
    """The actions named in a submitted bulk update, as the user may read them."""
    return actions_for_list(user=user, quarter=quarter).filter(pk__in=pks).with_latest_update()


def manages_any_partnership(*, user):
    return any(m.role == MembershipRole.PARTNERSHIP_ADMIN for m in memberships_of(user).values())


def national_outcomes_for(*, plan):
    """The national outcomes, each with how many of the plan's actions link to it (none where the plan links none)."""
    linked = Count("actions", filter=Q(actions__plan=plan))
    return list(NationalOutcome.objects.annotate(linked_actions=linked).order_by("number"))


def reporting_calendar(*, partnership):
    return list(ReportingPeriod.objects.filter(partnership=partnership))


def next_update_deadlines(*, partnerships, today=None):
    """{partnership id: the reporting period whose update deadline is next (today or later)}."""
    today = today or periods.today()
    upcoming = ReportingPeriod.objects.filter(partnership__in=partnerships, update_deadline__gte=today)
    deadlines = {}
    for period in upcoming.select_related("partnership").order_by("update_deadline"):
        deadlines.setdefault(period.partnership_id, period)
    return deadlines


def updates_awaiting_approval(*, user):
    """Submitted updates this user may approve: as partnership admin, or as a service's named approver."""
    admin_of = [pid for pid, m in memberships_of(user).items() if m.role == MembershipRole.PARTNERSHIP_ADMIN]
    member_of = list(readable_partnerships(user).values_list("pk", flat=True))
    mine = Q(action__plan__partnership__in=admin_of) | Q(action__service__approver=user)
    if user.is_superuser:
        mine = Q()
    return (
        ProgressUpdate.objects.filter(approval=UpdateApproval.SUBMITTED, action__plan__partnership__in=member_of)
        .exclude(action__plan__status=PlanStatus.SUPERSEDED)  # read-only: it can no longer be decided
        .filter(mine)
        .select_related("action__plan__partnership", "action__service", "author")
        .order_by("created_at")
    )


def with_my_latest_update(actions, *, user):
    """Annotate the approval of `user`'s latest update of each action, and if returned, by whom and why."""
    mine = ProgressUpdate.objects.filter(action=OuterRef("pk"), author=user).order_by("-created_at", "-pk")
    decider = Concat("decided_by__first_name", Value(" "), "decided_by__last_name")
    return actions.annotate(
        my_latest_approval=Subquery(mine.values("approval")[:1]),
        my_latest_return_reason=Subquery(mine.values("return_reason")[:1]),
        my_latest_returned_by=Subquery(mine.annotate(name=decider).values("name")[:1]),
    )


def awaiting_approval_count(*, partnership_ids, quarter):
    return (
        ProgressUpdate.objects.filter(
            approval=UpdateApproval.SUBMITTED,
            action__plan__partnership__in=partnership_ids,
            period_year=quarter.start_year,
            period_quarter=quarter.quarter,
        )
        .exclude(action__plan__status=PlanStatus.SUPERSEDED)
        .count()
    )
