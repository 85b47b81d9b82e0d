from django.db import models


class DashboardTheme(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    PROCESS = "process", "Process"
    OUTCOME = "outcome", "Outcome"
    PEOPLE = "people", "People"


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    COUNT = "count", "Number"
    DAYS = "days", "Days"
    RATE = "rate", "Rate"

    def format(self, value):
        """A result in its unit: a count without '.0', a percentage with %."""
        if value is None:
            return ""
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
        if self == MeasureUnit.PERCENT:
            return f"{text}%"
        if self == MeasureUnit.DAYS:
            return f"{text} days"
        return text


class MeasureDirection(models.TextChoices):
    INCREASE = "increase", "Increase"
    REDUCE = "reduce", "Reduce"
    REACH_TARGET = "reach_target", "Reach target"


class ResultState(models.TextChoices):
    """Whether a result holds a figure, or the source states why it does not."""

    VALUE = "value", "Result"
    NOT_YET_AVAILABLE = "not_yet_available", "Final result not yet available"
    TBC = "tbc", "To be confirmed"


class IndicatorKind(models.TextChoices):
    TIME_SERIES = "time_series", "Time series"
    BREAKDOWN = "breakdown", "Breakdown by category"


class RagRating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED_OFF = "signed_off", "Signed off"


class ReportEventKind(models.TextChoices):
    SIGNED_OFF = "signed_off", "Signed off"
    REOPENED = "reopened", "Reopened"


class MeasureStatus(models.TextChoices):
    ON_TARGET = "on_target", "On target"
    OFF_TARGET = "off_target", "Off target"
    NOT_COMPARABLE = "not_comparable", "Not comparable"
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    UNCHANGED = "unchanged", "Unchanged"
    NO_TREND = "no_trend", "One result: no trend yet"
    NO_DATA = "no_data", "Not yet available"


class Movement(models.TextChoices):
    IMPROVED = "improved", "Improved"
    WORSENED = "worsened", "Worsened"
    UNCHANGED = "unchanged", "Unchanged"
    NEW = "new", "Newly assessed"
