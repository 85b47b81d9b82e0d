"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import sipportal.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
    )


def test_debug_is_off_and_sqlite_is_the_default():
    result = load_settings(SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_debug_value_that_is_not_a_boolean_is_refused(value):
    result = load_settings(DEBUG=value, SECRET_KEY="k")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_database_url_selects_postgresql():
    result = load_settings(SECRET_KEY="k", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


def test_a_malformed_database_url_is_refused():
    result = load_settings(SECRET_KEY="k", DATABASE_URL="nonsense://")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_csrf_trusted_origins_need_a_scheme():
    result = load_settings(SECRET_KEY="k", CSRF_TRUSTED_ORIGINS="sip.example.gov.uk")
    assert result.returncode != 0
    assert "CSRF_TRUSTED_ORIGINS" in result.stderr


def load_setting(expression, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TASKS_BACKEND"}}
    return subprocess.run(
        [sys.executable, "-c", f"import sipportal.settings as s; print({expression})"],
        cwd=ROOT,
        env=clean | {"SECRET_KEY": "k"} | env,
        capture_output=True,
        text=True,
    )


def test_tasks_queue_in_the_database_by_default_and_a_wrong_backend_is_refused():
    assert load_setting("s.TASKS['default']['BACKEND']").stdout.strip() == "django_tasks_db.DatabaseBackend"
    immediate = load_setting("s.TASKS['default']['BACKEND']", TASKS_BACKEND="immediate")
    assert immediate.stdout.strip() == "django.tasks.backends.immediate.ImmediateBackend"
    wrong = load_setting("s.TASKS", TASKS_BACKEND="celery")
    assert wrong.returncode != 0 and "TASKS_BACKEND must be one of database, immediate" in wrong.stderr


def test_mail_goes_by_smtp_from_the_environment_and_to_the_console_in_development():
    smtp = load_setting(
        "s.MAILERS['default']['OPTIONS']['host'], s.MAILERS['default']['OPTIONS']['port']",
        EMAIL_HOST="mail.example.gov.uk",
        EMAIL_PORT="587",
    )
    assert smtp.stdout.split() == ["mail.example.gov.uk", "587"]
    console = load_setting("s.MAILERS['default']['BACKEND']", DEBUG="1")
    assert console.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    for env, message in [
        ({"EMAIL_DELIVERY": "pigeon"}, "EMAIL_DELIVERY"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"SITE_URL": "sip.example.gov.uk"}, "SITE_URL"),
    ]:
        wrong = load_setting("s.MAILERS", **env)
        assert wrong.returncode != 0 and message in wrong.stderr
