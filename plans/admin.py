from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    ActionStep,
    BudgetLine,
    CommissionedService,
    DataVersion,
    ImprovementAction,
    Membership,
    NationalOutcome,
    Partnership,
    Plan,
    PlanHighlight,
    PlanImport,
    PlannedEfficiency,
    ProgressUpdate,
    ReminderPreference,
    ReportingPeriod,
    SentReminder,
    Service,
    Theme,
    UpdateEvidence,
)


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ReportingPeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority"]
    list_filter = ["kind"]
    search_fields = ["name", "local_authority"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ServiceInline, MembershipInline, ReportingPeriodInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "description"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role"]
    list_filter = ["partnership", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["services"]


@admin.register(CommissionedService)
class CommissionedServiceAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "service_name", "partnership", "award_text", "annual_value"]
    list_filter = ["partnership"]
    search_fields = ["provider", "service_name", "description"]


@admin.register(NationalOutcome)
class NationalOutcomeAdmin(admin.ModelAdmin):
    list_display = ["number", "group", "text"]
    list_filter = ["group"]
    search_fields = ["text"]


class ThemeInline(admin.StackedInline):
    model = Theme
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "kind", "period_label", "status"]
    list_filter = ["partnership", "kind", "status", "start_year"]
    search_fields = ["title", "summary", "source_title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "plan", "kind", "progress_grade"]
    list_filter = ["kind", "progress_grade", "plan__partnership"]
    search_fields = ["title", "description", "findings"]


@admin.register(PlanHighlight)
class PlanHighlightAdmin(SimpleHistoryAdmin):
    list_display = ["text", "section", "figure", "plan"]
    list_filter = ["plan"]
    search_fields = ["text", "section"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["service", "financial_year", "amount", "plan"]
    list_filter = ["financial_year", "plan__partnership"]
    search_fields = ["service__name"]


class ActionStepInline(admin.TabularInline):
    model = ActionStep
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    readonly_fields = ["created_at", "author"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "plan", "category", "responsible", "due_date", "status", "percent_complete"]
    list_filter = ["status", "category", "review_frequency", "plan__partnership", "plan"]
    search_fields = ["reference", "title", "outcome", "responsible"]
    filter_horizontal = ["national_outcomes", "responsible_users"]
    raw_id_fields = ["predecessor"]
    inlines = [ActionStepInline, ProgressUpdateInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "period_year", "period_quarter", "status_before", "status", "author", "created_at"]
    list_filter = ["status", "period_year", "period_quarter"]
    search_fields = ["action__title", "commentary"]
    readonly_fields = ["created_at"]


@admin.register(PlannedEfficiency)
class PlannedEfficiencyAdmin(SimpleHistoryAdmin):
    list_display = ["number", "option", "division", "planned_saving", "delivered_saving", "delivery_status", "plan"]
    list_filter = ["delivery_status", "management_action", "plan"]
    search_fields = ["option", "comments", "division"]


@admin.register(ActionStep)
class ActionStepAdmin(SimpleHistoryAdmin):
    list_display = ["text", "action", "order"]
    list_filter = ["action__plan"]
    search_fields = ["text", "action__reference", "action__title"]


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "status", "plan", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["filename", "uploaded_by__username"]
    exclude = ["content"]
    readonly_fields = ["uploaded_by", "filename", "target_plan", "status", "preview", "plan", "finished_at"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "period_year", "period_quarter", "update_deadline", "board_date"]
    list_filter = ["partnership"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency"]
    list_filter = ["frequency"]
    autocomplete_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record of what was sent: read only, so it stays the record."""

    list_display = ["sent_on", "kind", "user", "partnership", "subject"]
    list_filter = ["kind", "partnership", "sent_on"]
    search_fields = ["user__username", "email", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UpdateEvidence)
class UpdateEvidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "update", "size", "uploaded_at"]
    search_fields = ["name", "update__action__reference"]
    list_select_related = ["update__action"]


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    """Shown, never edited: every committed write changes it (plans/dataversion.py)."""

    list_display = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
