import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dashboard.choices import (
    DashboardTheme,
    IndicatorKind,
    MeasureDirection,
    MeasureStatus,
    MeasureUnit,
    RagRating,
    ReportEventKind,
    ReportStatus,
    ResultState,
)
from plans.models.withdrawal import Withdrawable, WithdrawableQuerySet
from plans.periods import FinancialQuarter, financial_year_label

# What a target's text may say after its number and still be in the measure's unit ("90%", "12 days").
UNIT_WORDS = {
    MeasureUnit.PERCENT: {"%", "per cent", "percent"},
    MeasureUnit.COUNT: {""},
    MeasureUnit.DAYS: {"", "days", "days per person"},
    MeasureUnit.RATE: {""},
}
UNIT_PHRASES = {
    MeasureUnit.PERCENT: "percentages",
    MeasureUnit.COUNT: "numbers",
    MeasureUnit.DAYS: "in days",
    MeasureUnit.RATE: "rates",
}
LEADING_NUMBER = re.compile(r"^\D*?\d[\d,]*(\.\d+)?")


class QualityMeasure(Withdrawable):
    """A measure on a plan's quality assurance and improvement dashboard."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="measures")
    # Optional: a CPP's measures have neither a dashboard theme nor a stated unit.
    theme = models.CharField(max_length=20, choices=DashboardTheme.choices, blank=True)
    title = models.TextField()
    unit = models.CharField(max_length=20, choices=MeasureUnit.choices, blank=True)
    direction = models.CharField(max_length=20, choices=MeasureDirection.choices)
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(max_length=100, help_text="The target as stated: '90%' or 'Reduce'.")
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_note = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self):
        return self.title

    def numeric_results(self):
        """Results that hold a figure, oldest first (uses prefetched results)."""
        results = sorted(self.results.all(), key=lambda result: result.financial_year)
        return [result for result in results if result.state == ResultState.VALUE and result.value is not None]

    def higher_is_better(self):
        if self.direction == MeasureDirection.INCREASE:
            return True
        if self.direction == MeasureDirection.REDUCE:
            return False
        # "Reach target": the aim runs from the first stated result towards the target.
        numeric = self.numeric_results()
        if self.target_value is None or not numeric:
            return None
        return numeric[0].value <= self.target_value

    def comparison_problems(self):
        """Why the latest result cannot be judged against the numeric target: another period, another unit."""
        numeric = self.numeric_results()
        if self.target_value is None or not numeric:
            return []
        problems = []
        latest = numeric[-1]
        if self.target_year is not None and latest.financial_year != self.target_year:
            problems.append(
                f"The latest result is for {latest.period_label}; the target is for "
                f"{financial_year_label(self.target_year)}."
            )
        stated_unit = LEADING_NUMBER.sub("", self.target_text.strip(), count=1).strip().lower()
        if stated_unit not in UNIT_WORDS.get(self.unit, {""}):
            problems.append(
                f"The target is stated as “{self.target_text}”; the results are "
                f"{UNIT_PHRASES.get(self.unit, 'in another unit')}, a different unit."
            )
        return problems

    def direction_label(self):
        """'Reach target' only where there is a target to reach."""
        if self.direction == MeasureDirection.REACH_TARGET and self.target_value is None:
            return "No target stated"
        return self.get_direction_display()

    def assess(self):
        """How the latest result stands: against a numeric target, or as a trend for 'Reduce'/'Increase'."""
        numeric = self.numeric_results()
        if not numeric:
            return MeasureStatus.NO_DATA
        if self.comparison_problems():
            return MeasureStatus.NOT_COMPARABLE
        latest = numeric[-1].value
        higher_is_better = self.higher_is_better()
        if self.target_value is not None and higher_is_better is not None:
            met = latest >= self.target_value if higher_is_better else latest <= self.target_value
            return MeasureStatus.ON_TARGET if met else MeasureStatus.OFF_TARGET
        if len(numeric) < 2 or higher_is_better is None:
            return MeasureStatus.NO_TREND
        previous = numeric[-2].value
        if latest == previous:
            return MeasureStatus.UNCHANGED
        return MeasureStatus.IMPROVING if (latest > previous) == higher_is_better else MeasureStatus.WORSENING


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
    # Frozen at sign-off: the dashboard figures, each action's RAG and commentary, and the report text,
    # so a signed-off quarter reads the same forever.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["plan", "-period_year", "-period_quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_year", "period_quarter"], name="unique_report_per_plan_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.plan.title}: {self.period}"

    def get_absolute_url(self):
        return reverse(
            "dashboard:report_detail",
            kwargs={"slug": self.plan.slug, "year": self.period_year, "quarter": self.period_quarter},
        )

    @property
    def period(self):
        return FinancialQuarter(self.period_year, self.period_quarter)

    @property
    def is_signed_off(self):
        return self.status == ReportStatus.SIGNED_OFF


class ReportEvent(models.Model):
    """A sign-off or reopening of a quarterly report: who, when and why."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ReportEventKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.report} by {self.user}"


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
