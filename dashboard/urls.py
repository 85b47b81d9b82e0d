from django.urls import path

from dashboard import movement_views, views

app_name = "dashboard"
report = "plans/<slug:slug>/reports/<int:year>/q<int:quarter>/"
urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("plans/<slug:slug>/measures/", views.PlanMeasureListView.as_view(), name="plan_measures"),
    path("plans/<slug:slug>/dashboard/", views.PlanDashboardView.as_view(), name="plan_dashboard"),
    path(
        "plans/<slug:slug>/dashboard/movement/<str:movement>/",
        movement_views.PlanMovementView.as_view(),
        name="plan_movement",
    ),
    path("partnerships/<slug:slug>/dashboard/", views.PartnershipDashboardView.as_view(), name="partnership_dashboard"),
    path(
        "partnerships/<slug:slug>/dashboard/movement/<str:movement>/",
        movement_views.PartnershipMovementView.as_view(),
        name="partnership_movement",
    ),
    path(report, views.ReportDetailView.as_view(), name="report_detail"),
    path(report + "edit/", views.ReportEditView.as_view(), name="report_edit"),
    path(report + "sign-off/", views.ReportSignOffView.as_view(), name="report_sign_off"),
    path(report + "reopen/", views.ReportReopenView.as_view(), name="report_reopen"),
    path(report + "movement/<str:movement>/", movement_views.ReportMovementView.as_view(), name="report_movement"),
    path(report + "compare/", views.ReportCompareView.as_view(), name="report_compare"),
    path(report + "print/", views.ReportPrintView.as_view(), name="report_print"),
    path(report + "report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path(report + "report.docx", views.ReportDocxView.as_view(), name="report_docx"),
]
