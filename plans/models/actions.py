from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans import periods
from plans.choices import (
    ActionCategory,
    ActionStatus,
    EfficiencyAction,
    EfficiencyStatus,
    ReviewFrequency,
    UpdateApproval,
)
from plans.models.withdrawal import Withdrawable, WithdrawableQuerySet
from plans.periods import FinancialQuarter


class ImprovementActionQuerySet(WithdrawableQuerySet):
    def for_partnerships(self, partnerships):
        return self.filter(plan__partnership__in=partnerships)

    def open(self):
        return self.exclude(status=ActionStatus.COMPLETE)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or periods.today())

    def with_update_in(self, quarter, *, moved_on=None):
        """Annotate `updated_in_quarter`: whether the action has a progress update for its plan's quarter.

        That is `quarter`, except for the plans in `moved_on` ({plan id: quarter}): their `quarter` is
        signed off, so their updates go to a later one (see periods.moved_on_reporting_quarters).
        """
        moved_on = moved_on or {}
        in_quarter = models.Q(period_year=quarter.start_year, period_quarter=quarter.quarter) & ~models.Q(
            action__plan_id__in=list(moved_on)
        )
        for later in set(moved_on.values()):
            plan_ids = [plan_id for plan_id, plan_quarter in moved_on.items() if plan_quarter == later]
            in_quarter |= models.Q(
                period_year=later.start_year, period_quarter=later.quarter, action__plan_id__in=plan_ids
            )
        updates = (
            ProgressUpdate.objects.filter(action=models.OuterRef("pk"))
            .filter(in_quarter)
            .exclude(approval=UpdateApproval.RETURNED)
        )
        return self.annotate(updated_in_quarter=models.Exists(updates))

    def with_own_text(self):
        """Annotate what `own_text()` needs: whether another action of the plan has the same title, and the first step.

        A plan's outline puts several actions under one outcome heading; a Word table often repeats
        that heading in each action's title, so the title alone does not tell them apart.
        """
        namesakes = ImprovementAction.objects.filter(plan=models.OuterRef("plan"), title=models.OuterRef("title"))
        first_step = ActionStep.objects.filter(action=models.OuterRef("pk")).order_by("order", "pk")
        return self.annotate(
            title_shared=models.Exists(namesakes.exclude(pk=models.OuterRef("pk"))),
            first_step_text=models.Subquery(first_step.values("text")[:1]),
        )

    def with_latest_update(self):
        """Annotate the latest progress update's commentary and quarter (`latest_period`)."""
        latest = ProgressUpdate.objects.filter(action=models.OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            latest_commentary=models.Subquery(latest.values("commentary")[:1]),
            latest_period_year=models.Subquery(latest.values("period_year")[:1]),
            latest_period_quarter=models.Subquery(latest.values("period_quarter")[:1]),
        )


class ImprovementAction(Withdrawable):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey("plans.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    service = models.ForeignKey(
        "plans.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    reference = models.CharField(max_length=20)
    category = models.CharField(max_length=20, choices=ActionCategory.choices, blank=True)
    category_text = models.CharField(max_length=100, blank=True, help_text="The category label as stated.")
    title = models.CharField(max_length=300)
    outcome = models.TextField(blank=True, help_text="The outcome statement.")
    outcome_points = models.JSONField(default=list, blank=True, help_text="Bulleted outcomes, as stated.")
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=300, blank=True, help_text="Responsible officer(s), as stated.")
    responsible_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="responsible_actions")
    start_date = models.DateField(null=True, blank=True)
    start_text = models.CharField(max_length=100, blank=True, help_text="The start as stated, e.g. 'July 2021'.")
    due_date = models.DateField(null=True, blank=True)
    timescale_text = models.CharField(max_length=200, blank=True, help_text="The timescale as stated.")
    review_frequency = models.CharField(max_length=20, choices=ReviewFrequency.choices, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_ASSESSED)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    national_outcomes = models.ManyToManyField("plans.NationalOutcome", blank=True, related_name="actions")
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors")
    order = models.PositiveSmallIntegerField(default=0)
    # Set by services on every change; `version` lets an update refuse to overwrite a newer one.
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_action_reference_per_plan"),
            models.CheckConstraint(
                condition=models.Q(percent_complete__isnull=True) | models.Q(percent_complete__lte=100),
                name="action_percent_complete_max_100",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("plans:action_detail", kwargs={"pk": self.pk})

    @property
    def label(self):
        """'A06 · 2021/22': the reference alone is ambiguous once a plan has been rolled over."""
        return f"{self.reference} · {self.plan.period_label}"

    @property
    def latest_period(self):
        """The quarter of the latest update, on a row from `with_latest_update()`."""
        year = getattr(self, "latest_period_year", None)
        return None if year is None else FinancialQuarter(year, self.latest_period_quarter)

    def own_text(self):
        """The action's own words: its title, unless other actions share it (an outcome heading) and it has steps.

        Needs `with_own_text()`; without it, the title.
        """
        if getattr(self, "title_shared", False):
            return getattr(self, "first_step_text", None) or self.description or self.title
        return self.title

    def can_move_to(self, status):
        """'Not yet assessed' is only ever the starting state: no update may return to it."""
        return status != ActionStatus.NOT_ASSESSED

    def is_overdue(self, today=None):
        if self.due_date is None or self.status == ActionStatus.COMPLETE:
            return False
        return self.due_date < (today or periods.today())


class ActionStep(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="steps")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order"]

    def __str__(self):
        return self.text[:80]


class ProgressUpdateQuerySet(models.QuerySet):
    def counted(self):
        """The updates that count in dashboards, reports and exports: approved ones."""
        return self.filter(approval=UpdateApproval.APPROVED)


class ProgressUpdate(models.Model):
    """One quarterly update of an action: the history of its status.

    Where the partnership approves updates, an update is submitted first and counts (and moves the
    action) only once approved; a returned one carries the approver's reason.
    """

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    period_year = models.PositiveSmallIntegerField(help_text="Financial year start, e.g. 2021 for 2021/22.")
    period_quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    status_before = models.CharField(max_length=20, choices=ActionStatus.choices)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approval = models.CharField(max_length=10, choices=UpdateApproval.choices, default=UpdateApproval.APPROVED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-created_at"]
        indexes = [
            models.Index(fields=["period_year", "period_quarter"]),
            # "Updated this quarter" looks up one action's updates for one quarter, for every row listed.
            models.Index(fields=["action", "period_year", "period_quarter"], name="update_action_quarter_idx"),
        ]

    def __str__(self):
        return f"{self.action.reference} {self.period}: {self.get_status_display()}"

    @property
    def period(self):
        return FinancialQuarter(self.period_year, self.period_quarter)


class PlannedEfficiency(Withdrawable):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="efficiencies")
    number = models.PositiveSmallIntegerField()
    service = models.ForeignKey(
        "plans.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="efficiencies"
    )
    division = models.CharField(max_length=200, help_text="Division of service, as stated.")
    option = models.CharField(max_length=300)
    planned_saving = models.DecimalField(max_digits=12, decimal_places=2)
    delivered_saving = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    comments = models.TextField(blank=True)
    management_action = models.CharField(max_length=20, choices=EfficiencyAction.choices, blank=True)
    delivery_status = models.CharField(
        max_length=20, choices=EfficiencyStatus.choices, default=EfficiencyStatus.PLANNED
    )
    history = HistoricalRecords()

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "planned efficiencies"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_efficiency_number_per_plan"),
        ]

    def __str__(self):
        return f"{self.number}. {self.option}"


class UpdateEvidence(models.Model):
    """A file attached to a progress update as evidence, kept through Django's storage API."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "uploaded_at"]
        verbose_name_plural = "update evidence"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:evidence_download", kwargs={"pk": self.pk})
