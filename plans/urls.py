from django.urls import path

from plans import approval_views, import_views, member_views, reminder_views, views

app_name = "plans"
urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("my-actions/update/", views.QuarterUpdateView.as_view(), name="quarter_update"),
    path("partnerships/<slug:slug>/", views.PartnershipDetailView.as_view(), name="partnership_detail"),
    path(
        "partnerships/<slug:slug>/calendar/",
        reminder_views.ReportingCalendarView.as_view(),
        name="reporting_calendar",
    ),
    path("partnerships/<slug:slug>/members/", member_views.MembersView.as_view(), name="partnership_members"),
    path(
        "partnerships/<slug:slug>/members/<int:pk>/role/",
        member_views.MemberRoleView.as_view(),
        name="partnership_member_role",
    ),
    path(
        "partnerships/<slug:slug>/members/<int:pk>/remove/",
        member_views.MemberRemoveView.as_view(),
        name="partnership_member_remove",
    ),
    path("profile/", reminder_views.ProfileView.as_view(), name="profile"),
    path("approvals/", approval_views.ApprovalListView.as_view(), name="approvals"),
    path("evidence/<int:pk>/", approval_views.evidence_download, name="evidence_download"),
    path("updates/<int:pk>/decide/", approval_views.UpdateDecisionView.as_view(), name="update_decide"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<slug:slug>/actions/", views.PlanActionListView.as_view(), name="plan_actions"),
    path("plans/<slug:slug>/budget/", views.PlanBudgetView.as_view(), name="plan_budget"),
    path("plans/<slug:slug>/efficiencies/", views.PlanEfficiencyListView.as_view(), name="plan_efficiencies"),
    path("plans/<slug:slug>/contracts/", views.PlanContractListView.as_view(), name="plan_contracts"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/update/", views.ActionUpdateView.as_view(), name="action_update"),
    path("imports/new/", import_views.ImportStartView.as_view(), name="import_start"),
    path("imports/template.xlsx", import_views.template_download, name="import_template"),
    path("imports/word-sample.docx", import_views.word_sample_download, name="import_word_sample"),
    path("imports/<int:pk>/", import_views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/workbook.xlsx", import_views.ImportWorkbookView.as_view(), name="import_workbook"),
    path("imports/<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
    path(
        "imports/<int:pk>/preview-again/",
        import_views.ImportPreviewAgainView.as_view(),
        name="import_preview_again",
    ),
    path(
        "imports/<int:pk>/create-partnership/",
        import_views.ImportCreatePartnershipView.as_view(),
        name="import_create_partnership",
    ),
    path("imports/<int:pk>/progress/", import_views.ImportProgressView.as_view(), name="import_progress"),
    path("plans/<slug:slug>/export.xlsx", import_views.plan_export, name="plan_export"),
    path("plans/<slug:slug>/rollover/", import_views.PlanRolloverView.as_view(), name="plan_rollover"),
    path("plans/<slug:slug>/publish/", import_views.PlanPublishView.as_view(), name="plan_publish"),
]
