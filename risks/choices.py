from django.db import models


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class MitigationKind(models.TextChoices):
    CURRENT = "current", "Current measure in place"
    PLANNED = "planned", "Further planned action"


SCALE = [(n, str(n)) for n in range(1, 6)]


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


LIKELIHOOD_CHOICES = [(1, "1 Rare"), (2, "2 Unlikely"), (3, "3 Possible"), (4, "4 Likely"), (5, "5 Almost certain")]
IMPACT_CHOICES = [(1, "1 Negligible"), (2, "2 Minor"), (3, "3 Moderate"), (4, "4 Major"), (5, "5 Severe")]
