import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans import periods
from plans.models import Plan
from plans.models.withdrawal import Withdrawable, WithdrawableQuerySet
from risks.choices import SCALE, MitigationKind, RiskKind, RiskStatus
from risks.scoring import risk_level, risk_score

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskQuerySet(WithdrawableQuerySet):
    def for_partnerships(self, partnerships):
        return self.filter(partnership__in=partnerships)

    def open(self):
        return self.filter(status=RiskStatus.OPEN)

    def counted(self):
        """Risks that count: in force, of a current plan or of none (a superseded year's copy never counts)."""
        current = Plan.objects.current()
        return self.in_force().filter(models.Q(plan__isnull=True) | models.Q(plan__in=current))

    def review_overdue(self, today=None):
        return self.open().filter(review_date__lt=today or periods.today())


class Risk(Withdrawable):
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="risks")
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="risks")
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=100, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    # Scores stay empty unless a source or a reviewer gives them: never invented.
    likelihood = models.PositiveSmallIntegerField(choices=SCALE, null=True, blank=True, validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(choices=SCALE, null=True, blank=True, validators=ONE_TO_FIVE)
    target_likelihood = models.PositiveSmallIntegerField(choices=SCALE, null=True, blank=True, validators=ONE_TO_FIVE)
    target_impact = models.PositiveSmallIntegerField(choices=SCALE, null=True, blank=True, validators=ONE_TO_FIVE)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        help_text="The person who reviews this risk; it appears on their My actions page when a review is due.",
    )
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    related_actions = models.ManyToManyField("plans.ImprovementAction", blank=True, related_name="risks")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "order", "reference"]
        constraints = [
            # References restart with each plan (East Ayrshire's R1-R5, Moray's R1-R3), and carry over at roll-over.
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_risk_reference_per_plan"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("risks:risk_detail", kwargs={"pk": self.pk})

    @property
    def label(self):
        """'R1 · 2021/22': the reference alone is ambiguous once a plan has been rolled over."""
        return f"{self.reference} · {self.plan.period_label}" if self.plan else self.reference

    @property
    def is_scored(self):
        return self.likelihood is not None and self.impact is not None

    @property
    def score(self):
        return risk_score(self.likelihood, self.impact)

    @property
    def level(self):
        return risk_level(self.score)

    @property
    def target_score(self):
        return risk_score(self.target_likelihood, self.target_impact)

    @property
    def target_level(self):
        return risk_level(self.target_score)

    def is_review_overdue(self, today=None):
        return (
            self.status == RiskStatus.OPEN
            and self.review_date is not None
            and self.review_date < (today or periods.today())
        )


class Mitigation(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="mitigations")
    kind = models.CharField(max_length=10, choices=MitigationKind.choices, default=MitigationKind.CURRENT)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "kind", "order"]

    def __str__(self):
        return self.text[:80]


class RiskReview(models.Model):
    """One review of a risk: who, when, what changed and why."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict, help_text="Field label -> [before, after], as displayed.")
    # Kept apart from `changes`, which lists the fields a reviewer set: these follow from them.
    scores = models.JSONField(
        default=dict, blank=True, help_text="'Current score'/'Target score' -> [before, after], with their levels."
    )
    note = models.TextField()

    class Meta:
        ordering = ["risk", "-reviewed_at"]

    def __str__(self):
        return f"{self.risk.reference} reviewed by {self.reviewer} on {self.reviewed_at:%d %b %Y}"

    def changes_shown(self):
        """(label, before, after) for each change, dates in UK form, then the scores that follow from them."""
        return [(label, _uk_date(before), _uk_date(after)) for label, (before, after) in self.changes.items()] + [
            (label, before, after) for label, (before, after) in self.scores.items()
        ]


def _uk_date(text):
    """Changes keep dates as ISO text so they sort and parse; people read '31 Jan 2027'."""
    try:
        return f"{datetime.date.fromisoformat(text):%-d %b %Y}"
    except (TypeError, ValueError):
        return text
