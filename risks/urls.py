from django.urls import path

from risks import views

app_name = "risks"
urlpatterns = [
    path("plans/<slug:slug>/risks/", views.PlanRiskListView.as_view(), name="plan_risks"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
]
