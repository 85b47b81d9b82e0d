from plans.models.actions import ActionStep, ImprovementAction, PlannedEfficiency, ProgressUpdate, UpdateEvidence
from plans.models.calendar import ReminderPreference, ReportingPeriod, SentReminder
from plans.models.imports import PlanImport, PlanImportStatus
from plans.models.partnerships import CommissionedService, Membership, Partnership, Service
from plans.models.plans import BudgetLine, NationalOutcome, Plan, PlanHighlight, PlanSuperseded, Theme
from plans.models.versions import DataVersion

__all__ = [
    "ActionStep",
    "BudgetLine",
    "CommissionedService",
    "DataVersion",
    "ImprovementAction",
    "Membership",
    "NationalOutcome",
    "Partnership",
    "Plan",
    "PlanHighlight",
    "PlanImport",
    "PlanImportStatus",
    "PlanSuperseded",
    "PlannedEfficiency",
    "ProgressUpdate",
    "ReminderPreference",
    "ReportingPeriod",
    "SentReminder",
    "Service",
    "Theme",
    "UpdateEvidence",
]
