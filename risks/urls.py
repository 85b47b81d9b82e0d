from django.urls import path

from risks import views

app_name = "risks"
urlpatterns = [
    path("plans/<slug:slug>/risks/", views.PlanRiskListView.as_view(), name="plan_risks"),
    path("partnerships/<slug:slug>/risks/", views.RiskRegisterView.as_view(), name="register"),
    path("partnerships/<slug:slug>/risks/heat-map/", views.HeatMapView.as_view(), name="heat_map"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("risks/<int:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
]
