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
