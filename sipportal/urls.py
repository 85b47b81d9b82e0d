from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard.views import MyActionsView
from plans import urls as plan_urls
from plans.views import HomeView

# My actions shows actions and risk reviews, so its view lives in dashboard; its name stays plans:my_actions.
plan_patterns = [path("my-actions/", MyActionsView.as_view(), name="my_actions"), *plan_urls.urlpatterns]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include((plan_patterns, plan_urls.app_name))),
    path("", include("dashboard.urls")),
    path("", include("risks.urls")),
]
