"""Reads across relations. They return querysets or plain data, never write.

Each takes the requesting user and returns only what that user may read.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from dashboard.models import Indicator, QualityMeasure, QuarterlyReport
from plans.choices import ActionStatus, MembershipRole, UpdateApproval
from plans.models import (
    BudgetLine,
    CommissionedService,
    ImprovementAction,
    Plan,
    PlannedEfficiency,
    ProgressUpdate,
    ReportingPeriod,
)
from plans.periods import FinancialQuarter
from plans.permissions import memberships_of, readable_partnerships
from risks.models import Risk


def related_count(queryset, link):
    """How many rows of `queryset` point at the outer row through `link`, as a correlated subquery.

    Several Count()s over different joins in one query multiply each other's rows (20 actions x 13
    measures x 5 risks ...) before DISTINCT thins them again; one subquery per count stays linear.
    """
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def partnerships_with_counts(*, user):
    return (
        readable_partnerships(user)
        .annotate(
            plan_count=related_count(Plan.objects.all(), "partnership"),
            action_count=related_count(ImprovementAction.objects.all(), "plan__partnership"),
            open_risk_count=related_count(Risk.objects.open(), "partnership"),
        )
        .order_by("name")
    )


def partnership_for_page(*, user, slug):
    return readable_partnerships(user).get(slug=slug)


def plans_with_counts(*, partnership):
    return (
        Plan.objects.filter(partnership=partnership)
        .annotate(
            action_count=related_count(ImprovementAction.objects.all(), "plan"),
            measure_count=related_count(QualityMeasure.objects.all(), "plan"),
            risk_count=related_count(Risk.objects.all(), "plan"),
        )
        .order_by("-start_year", "title")
    )


def readable_plans(*, user):
    return Plan.objects.for_partnerships(readable_partnerships(user)).select_related("partnership")


def plan_for_page(*, user, slug):
    return readable_plans(user=user).get(slug=slug)


def plan_overview(*, plan):
    """Everything the plan overview page shows, as plain data, in a fixed number of queries."""
    sections = {
        "actions": ImprovementAction,
        "measures": QualityMeasure,
        "budget_lines": BudgetLine,
        "efficiencies": PlannedEfficiency,
        "risks": Risk,
        "contracts": CommissionedService,
        "indicators": Indicator,
        "reports": QuarterlyReport,
    }
    # Annotation names may not reuse the relation names, hence the prefix.
    found = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(**{f"n_{name}": related_count(model.objects.all(), "plan") for name, model in sections.items()})
        .values(*(f"n_{name}" for name in sections))
        .get()
    )
    counts = {name: found[f"n_{name}"] for name in sections}
    status_counts = Counter(plan.actions.values_list("status", flat=True))
    highlights_by_section = defaultdict(list)
    for highlight in plan.highlights.all():
        highlights_by_section[highlight.section].append(highlight)
    return {
        "counts": counts,
        "status_counts": [(status.value, status.label, status_counts.get(status.value, 0)) for status in ActionStatus],
        "themes": list(plan.themes.all()),
        "highlights_by_section": dict(highlights_by_section),
    }


def actions_for_list(*, user, quarter=None):
    """Actions the user may read, annotated with whether they were updated in `quarter`."""
    return (
        ImprovementAction.objects.for_partnerships(readable_partnerships(user))
        .with_update_in(quarter or FinancialQuarter.current())
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


def my_actions(*, user, today=None):
    """A manager's quarter-end view: their actions, what is due, and what still needs an update."""
    today = today or datetime.date.today()
    quarter = FinancialQuarter.containing(today)
    actions = list(
        with_my_latest_update(actions_for_list(user=user, quarter=quarter), user=user)
        .filter(Q(responsible_users=user) | Q(updates__author=user))
        .distinct()
    )
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


def manages_any_partnership(*, user):
    return any(m.role == MembershipRole.PARTNERSHIP_ADMIN for m in memberships_of(user).values())


def reporting_calendar(*, partnership):
    return list(ReportingPeriod.objects.filter(partnership=partnership))


def next_update_deadlines(*, partnerships, today=None):
    """{partnership id: the reporting period whose update deadline is next (today or later)}."""
    today = today or datetime.date.today()
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
    return ProgressUpdate.objects.filter(
        approval=UpdateApproval.SUBMITTED,
        action__plan__partnership__in=partnership_ids,
        period_year=quarter.start_year,
        period_quarter=quarter.quarter,
    ).count()
