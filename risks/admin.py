from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from risks.models import Mitigation, Risk, RiskReview


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "partnership", "plan", "likelihood", "impact", "review_date", "status"]
    raw_id_fields = ["owner_user"]
    list_filter = ["status", "kind", "partnership", "plan"]
    search_fields = ["reference", "title", "description", "owner"]
    filter_horizontal = ["related_actions"]
    inlines = [MitigationInline]


@admin.register(Mitigation)
class MitigationAdmin(SimpleHistoryAdmin):
    list_display = ["text", "risk", "kind"]
    list_filter = ["kind"]
    search_fields = ["text", "risk__title"]


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["risk", "reviewer", "reviewed_at", "note"]
    list_filter = ["risk__partnership"]
    search_fields = ["note", "risk__title", "risk__reference"]
    readonly_fields = ["reviewed_at"]
