from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dashboard.choices import (
    DashboardTheme,
    IndicatorKind,
    MeasureDirection,
    MeasureUnit,
    RagRating,
    ReportStatus,
    ResultState,
)
from plans.periods import FinancialQuarter, financial_year_label


class QualityMeasure(models.Model):
    """A measure on a plan's quality assurance and improvement dashboard."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="measures")
    theme = models.CharField(max_length=20, choices=DashboardTheme.choices)
    title = models.TextField()
    unit = models.CharField(max_length=20, choices=MeasureUnit.choices)
    direction = models.CharField(max_length=20, choices=MeasureDirection.choices)
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(max_length=100, help_text="The target as stated: '90%' or 'Reduce'.")
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_note = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self):
        return self.title


class MeasureResult(models.Model):
    measure = models.ForeignKey(QualityMeasure, on_delete=models.CASCADE, related_name="results")
    financial_year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=20, choices=ResultState.choices, default=ResultState.VALUE)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    value_text = models.CharField(max_length=200, help_text="The result as stated.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "financial_year"], name="unique_result_per_year"),
        ]

    def __str__(self):
        return f"{self.period_label}: {self.value_text}"

    @property
    def period_label(self):
        return financial_year_label(self.financial_year)


class Indicator(models.Model):
    """A partnership figure reported over time or broken down by category."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="indicators")
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.TIME_SERIES)
    unit = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True, help_text="Caveats, including inconsistencies in the source.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order"]

    def __str__(self):
        return self.title


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    label = models.CharField(max_length=100, help_text="A year ('2017') or a category ('Residential School').")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_text = models.CharField(max_length=100, help_text="As stated, e.g. '-22%'.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "order"]

    def __str__(self):
        return f"{self.label}: {self.value_text}"


class QuarterlyReport(models.Model):
    """A quarterly performance monitoring report, modelled on the Moray LOIP report."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="quarterly_reports")
    period_year = models.PositiveSmallIntegerField()
    period_quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    period_text = models.CharField(max_length=200, blank=True, help_text="The report date as stated.")
    priority = models.TextField(blank=True)
    priority_manager = models.CharField(max_length=300, blank=True)
    priority_manager_email = models.EmailField(blank=True)
    lead_officer = models.CharField(max_length=300, blank=True)
    lead_officer_email = models.EmailField(blank=True)
    overall_status = models.CharField(max_length=10, choices=RagRating.choices, blank=True)
    delivery_plan_status = models.CharField(max_length=10, choices=RagRating.choices, blank=True)
    pi_status = models.CharField(max_length=10, choices=RagRating.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    progress_towards_objectives = models.TextField(blank=True)
    general_commentary = models.TextField(blank=True)
    change_requests = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-period_year", "-period_quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_year", "period_quarter"], name="unique_report_per_plan_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.plan.title}: {self.period}"

    @property
    def period(self):
        return FinancialQuarter(self.period_year, self.period_quarter)


class ReportCommentary(models.Model):
    """Progress commentary for one outcome or theme in a quarterly report."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="commentaries")
    theme = models.ForeignKey("plans.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    heading = models.TextField()
    rag_status = models.CharField(max_length=10, choices=RagRating.choices, blank=True)
    commentary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        verbose_name_plural = "report commentaries"

    def __str__(self):
        return self.heading[:80]


class NextStep(models.Model):
    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="next_steps")
    title = models.TextField()
    comments = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(max_length=200, blank=True, help_text="The due date as stated.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self):
        return self.title[:80]
