from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("plans/<slug:slug>/measures/", views.PlanMeasureListView.as_view(), name="plan_measures"),
]
