from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dashboard.models import (
    Indicator,
    IndicatorValue,
    MeasureResult,
    NextStep,
    QualityMeasure,
    QuarterlyReport,
    ReportCommentary,
    ReportEvent,
)


class MeasureResultInline(admin.TabularInline):
    model = MeasureResult
    extra = 0


@admin.register(QualityMeasure)
class QualityMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "theme", "unit", "direction", "target_text"]
    list_filter = ["theme", "direction", "unit", "plan"]
    search_fields = ["title"]
    inlines = [MeasureResultInline]


@admin.register(MeasureResult)
class MeasureResultAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "financial_year", "state", "value", "value_text"]
    list_filter = ["state", "financial_year"]
    search_fields = ["measure__title", "value_text"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "kind", "unit"]
    list_filter = ["partnership", "kind"]
    search_fields = ["title", "notes"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "label", "value", "value_text"]
    list_filter = ["indicator__partnership"]
    search_fields = ["indicator__title", "label"]


class ReportCommentaryInline(admin.StackedInline):
    model = ReportCommentary
    extra = 0


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "period_year", "period_quarter", "percent_complete", "overall_status", "status"]
    list_filter = ["status", "period_year", "plan__partnership"]
    search_fields = ["plan__title", "priority", "general_commentary"]
    inlines = [ReportCommentaryInline, NextStepInline]


@admin.register(ReportCommentary)
class ReportCommentaryAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "report", "rag_status"]
    list_filter = ["rag_status"]
    search_fields = ["heading", "commentary"]


@admin.register(NextStep)
class NextStepAdmin(SimpleHistoryAdmin):
    list_display = ["title", "report", "due_text", "due_date"]
    search_fields = ["title", "comments"]


@admin.register(ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    list_display = ["report", "kind", "user", "created_at", "note"]
    list_filter = ["kind"]
    search_fields = ["note", "report__plan__title"]
    readonly_fields = ["created_at"]
