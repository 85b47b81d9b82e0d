"""The reporting calendar, who wants reminders, and every reminder sent."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from plans.choices import ReminderFrequency, ReminderKind
from plans.periods import FinancialQuarter


class ReportingPeriod(models.Model):
    """One quarter in a partnership's reporting calendar: when updates are due and when the board meets."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="reporting_periods")
    period_year = models.PositiveSmallIntegerField(help_text="Financial year start, e.g. 2021 for 2021/22.")
    period_quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    update_deadline = models.DateField(help_text="Managers' progress updates for the quarter are due by this date.")
    board_date = models.DateField(null=True, blank=True, help_text="The board meeting that receives the report.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "period_year", "period_quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_year", "period_quarter"], name="unique_reporting_period"
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.period}, updates due by {self.update_deadline:%d %b %Y}"

    @property
    def period(self):
        return FinancialQuarter(self.period_year, self.period_quarter)

    def clean(self):
        if self.period_year is None or self.period_quarter is None:
            return
        if self.update_deadline and self.update_deadline < self.period.first_day:
            raise ValidationError({"update_deadline": f"The deadline is before {self.period} begins."})
        if self.board_date and self.update_deadline and self.board_date < self.update_deadline:
            raise ValidationError({"board_date": "The board meets before the updates are due."})


class ReminderPreference(models.Model):
    """A user's choice of reminder emails; without a row they get every reminder."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    frequency = models.CharField(max_length=10, choices=ReminderFrequency.choices, default=ReminderFrequency.EACH)

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class SentReminder(models.Model):
    """A reminder email as sent: the unique constraint makes a second send for the same day impossible."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_on = models.DateField(help_text="The reminder date this email was for.")
    period_year = models.PositiveSmallIntegerField()
    period_quarter = models.PositiveSmallIntegerField()
    email = models.EmailField()
    subject = models.CharField(max_length=300)
    items = models.JSONField(default=list, help_text="What the email listed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "kind", "sent_on"], name="one_reminder_per_user_kind_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} on {self.sent_on}"


def parse_reminder_days(text):
    """'14, 3' -> [14, 3]: days before the deadline, largest first."""
    try:
        days = sorted({int(part) for part in text.replace(" ", "").split(",") if part}, reverse=True)
    except ValueError:
        raise ValidationError("List whole numbers of days, separated by commas, e.g. 14, 3.") from None
    if any(day < 1 or day > 90 for day in days):
        raise ValidationError("Each reminder is 1 to 90 days before the deadline.")
    return days


def validate_reminder_days(text):
    parse_reminder_days(text)


def working_day_on_or_before(day):
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def working_day_on_or_after(day):
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
