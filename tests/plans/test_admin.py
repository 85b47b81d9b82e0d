from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from plans.periods import FinancialQuarter
from tests.factories import record_progress


def test_admin_shows_who_changed_an_action_and_when(login, superuser, owner, action):
    record_progress(action, owner, "amber", FinancialQuarter(2021, 1), percent=30, commentary="Slipping.")
    client = login(superuser)
    response = client.get(reverse("admin:plans_improvementaction_history", args=[action.pk]))
    assert response.status_code == 200
    assert "Progress update for 2021/22 Q1" in response.text


def test_every_model_is_in_the_admin(login, superuser):
    ours = [
        model
        for app in ("plans", "dashboard", "risks")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]
    missing = [model.__name__ for model in ours if model not in admin.site._registry]
    assert missing == []
    client = login(superuser)
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "x"}).status_code == 200, url
