from django.db import models


class PartnershipKind(models.TextChoices):
    HSCP = "hscp", "Health and Social Care Partnership"
    CPP = "cpp", "Community Planning Partnership"


class MembershipRole(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    MANAGER = "manager", "Manager"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership admin"


class PlanKind(models.TextChoices):
    SERVICE_IMPROVEMENT_PLAN = "sip", "Service improvement plan"
    LOIP_PERFORMANCE_REPORT = "loip", "LOIP performance report"
    TRANSFORMATION_PROGRAMME = "transformation", "Transformation programme"
    INSPECTION_IMPROVEMENT_PLAN = "inspection", "Inspection improvement plan"
    PROMISE_PLAN = "promise", "Promise plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    # A published plan whose successor year has been published: browsable, read-only, never counted.
    SUPERSEDED = "superseded", "Superseded"
    ARCHIVED = "archived", "Archived"


class ThemeKind(models.TextChoices):
    THEME = "theme", "Theme and outcome"
    LOIP_OUTCOME = "loip_outcome", "LOIP outcome"
    PROMISE_PRIORITY = "promise_priority", "Promise priority area"
    IMPROVEMENT_AREA = "improvement_area", "Inspection improvement area"
    PROJECT = "project", "Transformation project"


class ProgressGrade(models.TextChoices):
    """The Care Inspectorate's words for progress on an improvement area."""

    SIGNIFICANT = "significant", "Significant progress"
    SOUND = "sound", "Sound progress"
    ENCOURAGING = "encouraging", "Encouraging progress"
    STEADY = "steady", "Steady progress"
    SOME = "some", "Some progress"


class ActionCategory(models.TextChoices):
    RECOVERY_RENEWAL = "recovery_renewal", "Recovery & Renewal"
    TRANSFORMATION = "transformation", "Transformation"
    ONGOING = "ongoing", "Ongoing"


class ReviewFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly (three-monthly)"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    ANNUALLY = "annually", "Annually"


class ActionStatus(models.TextChoices):
    """RAG status of an improvement action.

    "Not yet assessed" is only ever the initial state: the seed documents lost
    their RAG shading, so every seeded action starts here.
    """

    NOT_ASSESSED = "not_assessed", "Not yet assessed"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class EfficiencyAction(models.TextChoices):
    MANAGEMENT_ACTION = "management_action", "Management Action"
    CONSULTATION = "consultation", "Consultation"


class EfficiencyStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DELIVERED = "delivered", "Delivered"
    NOT_DELIVERED = "not_delivered", "Not delivered"


class ReminderFrequency(models.TextChoices):
    EACH = "each", "Every reminder (before the deadline and the day after)"
    WEEKLY = "weekly", "One weekly digest, on Mondays"
    OFF = "off", "No reminder emails"


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    DIGEST = "digest", "Weekly digest"
    ESCALATION = "escalation", "Escalation to partnership admins"


class UpdateApproval(models.TextChoices):
    APPROVED = "approved", "Approved"
    SUBMITTED = "submitted", "Submitted, awaiting approval"
    RETURNED = "returned", "Returned"
