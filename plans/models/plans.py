from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from plans.choices import PlanKind, PlanStatus, ProgressGrade, ThemeKind
from plans.models.withdrawal import Withdrawable, WithdrawableQuerySet
from plans.periods import financial_year_label
from plans.slugs import unique_slug


class NationalOutcome(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    group = models.CharField(max_length=100)
    text = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Outcome {self.number}"


class PlanSuperseded(Exception):
    """A write to a plan year that a later, published year has replaced: it is read-only."""


class PlanQuerySet(models.QuerySet):
    def for_partnerships(self, partnerships):
        return self.filter(partnership__in=partnerships)

    def current(self):
        """The plans that count: not superseded, and not a rolled-over year still in draft.

        A year rolled over from another becomes current when it is published, which supersedes its
        predecessor, so the same work is never counted in two years at once.
        """
        return self.exclude(status=PlanStatus.SUPERSEDED).exclude(status=PlanStatus.DRAFT, predecessor__isnull=False)


class Plan(models.Model):
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    service_area = models.CharField(max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(help_text="First financial year, e.g. 2020 for 2020/21.")
    end_year = models.PositiveSmallIntegerField(help_text="Last financial year; the same as the first for one year.")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(blank=True)
    source_document = models.CharField(max_length=200, blank=True, help_text="File name under shared/seeds.")
    source_title = models.CharField(max_length=300, blank=True)
    source_date = models.CharField(max_length=100, blank=True, help_text="As stated, e.g. 'July 2020'.")
    author = models.CharField(max_length=200, blank=True)
    budget_note = models.TextField(blank=True)
    # Totals as the document states them, kept beside the computed ones: a difference is shown, not hidden.
    budget_total_stated = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The budget table's total, if stated."
    )
    efficiencies_total_stated = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The planned savings' total, if stated."
    )
    source_notes = models.TextField(
        blank=True, help_text="Inconsistencies or gaps in the source document, recorded rather than corrected."
    )
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors")
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-start_year", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="plan_period_order"),
        ]

    def __str__(self):
        return f"{self.title} ({self.period_label})"

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"slug": self.slug})

    @property
    def period_label(self):
        return financial_year_label(self.start_year, self.end_year)

    @property
    def is_superseded(self):
        return self.status == PlanStatus.SUPERSEDED

    @cached_property
    def successor(self):
        """The year rolled over from this one (a draft until published), or None."""
        return self.successors.order_by("-start_year", "-pk").first()

    def superseded_message(self):
        later = self.successor
        where = f"superseded by {later.period_label}: make changes there" if later else "superseded"
        return f"This is the {self.period_label} plan; it was {where}. It is kept read-only."

    def refuse_writes(self):
        """Raise PlanSuperseded if the plan is read-only: its updates and reviews belong to its successor now."""
        if self.is_superseded:
            raise PlanSuperseded(self.superseded_message())

    @classmethod
    def unique_slug(cls, text):
        return unique_slug(cls, text)


class Theme(models.Model):
    """A theme, priority or improvement area that groups a plan's work."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    kind = models.CharField(max_length=20, choices=ThemeKind.choices, default=ThemeKind.THEME)
    reference = models.CharField(max_length=20, blank=True)
    title = models.TextField()
    description = models.TextField(blank=True)
    progress_grade = models.CharField(max_length=20, choices=ProgressGrade.choices, blank=True)
    findings = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self):
        return self.title


class PlanHighlight(models.Model):
    """A stated fact from a plan's narrative: a key count, a progress bullet, a quotation."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="highlights")
    section = models.CharField(max_length=200, help_text="The heading it appears under in the source.")
    text = models.TextField()
    figure = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self):
        return self.text[:80]


class BudgetLine(Withdrawable):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    service = models.ForeignKey("plans.Service", on_delete=models.PROTECT, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField(help_text="Start year, e.g. 2020 for 2020/21.")
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="Pounds sterling.")
    amount_text = models.CharField(max_length=50, blank=True, help_text="As stated, e.g. '£ 18.085m'.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "service", "financial_year"], name="unique_budget_line"),
        ]

    def __str__(self):
        return f"{self.service}: £{self.amount:,.0f}"

    @property
    def financial_year_label(self):
        return financial_year_label(self.financial_year)
