"""Settings come from the environment and fail loudly on a bad value."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Variables the tests set themselves, so the environment running the suite cannot change the answers.
CONTROLLED = {
    "DEBUG",
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_IDLE_MINUTES",
    "SIGNIN_FAILURE_LIMIT",
    "SIGNIN_LOCKOUT_MINUTES",
    "IMPORT_MAX_UNPACKED_BYTES",
    "IMPORT_MAX_PARTS",
    "IMPORT_MAX_COMPRESSION_RATIO",
}


def clean_environment():
    return {k: v for k, v in os.environ.items() if k not in CONTROLLED}


def load_settings(**env):
    clean = clean_environment()
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


SETTING_VALUES = (
    "import json, sys, sipportal.settings as s\n"
    "values = [getattr(s, name) for name in sys.argv[1:]]\n"
    "print(json.dumps([v.total_seconds() if hasattr(v, 'total_seconds') else v for v in values]))"
)


def setting_values(*names, **env):
    """The named settings as the app loads them with this environment (durations in seconds)."""
    result = subprocess.run(
        [sys.executable, "-c", SETTING_VALUES, *names],
        cwd=ROOT,
        env=clean_environment() | env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
)


def test_production_settings_redirect_to_https_and_send_hsts():
    assert setting_values(*HTTPS_SETTINGS, SECRET_KEY="k") == [True, 31_536_000, True, True, True]


def test_debug_settings_serve_plain_http():
    assert setting_values(*HTTPS_SETTINGS, DEBUG="1") == [False, 0, False, False, False]


def test_https_settings_come_from_the_environment():
    env = {"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "3600", "SECURE_HSTS_PRELOAD": "no"}
    assert setting_values(*HTTPS_SETTINGS, SECRET_KEY="k", **env) == [False, 3600, True, False, True]


def test_sessions_end_after_eight_idle_hours_and_at_browser_close():
    names = ("SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE")
    assert setting_values(*names, SECRET_KEY="k") == [8 * 3600, True]
    assert setting_values(*names, SECRET_KEY="k", SESSION_IDLE_MINUTES="30") == [1800, True]


def test_sign_in_lockout_and_upload_limits_come_from_the_environment():
    names = ("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "IMPORT_MAX_UNPACKED_BYTES", "IMPORT_MAX_PARTS")
    assert setting_values(*names, SECRET_KEY="k") == [5, 15 * 60, 50_000_000, 1000]
    env = {"SIGNIN_FAILURE_LIMIT": "3", "SIGNIN_LOCKOUT_MINUTES": "60", "IMPORT_MAX_UNPACKED_BYTES": "1000000"}
    assert setting_values(*names, SECRET_KEY="k", **env) == [3, 3600, 1_000_000, 1000]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECURE_SSL_REDIRECT", "sometimes", "SECURE_SSL_REDIRECT must be true or false"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS must be at least 0"),
        ("SESSION_IDLE_MINUTES", "1", "SESSION_IDLE_MINUTES must be at least 5"),
        ("SIGNIN_FAILURE_LIMIT", "0", "SIGNIN_FAILURE_LIMIT must be at least 1"),
        ("SIGNIN_LOCKOUT_MINUTES", "soon", "SIGNIN_LOCKOUT_MINUTES must be a whole number"),
        ("IMPORT_MAX_UNPACKED_BYTES", "0", "IMPORT_MAX_UNPACKED_BYTES must be at least 1"),
        ("IMPORT_MAX_PARTS", "many", "IMPORT_MAX_PARTS must be a whole number"),
        ("IMPORT_MAX_COMPRESSION_RATIO", "0", "IMPORT_MAX_COMPRESSION_RATIO must be at least 1"),
    ],
)
def test_a_bad_security_value_is_refused(name, value, message):
    result = load_settings(SECRET_KEY="k", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_gives_no_warnings_under_production_settings(tmp_path):
    env = clean_environment() | {
        "SECRET_KEY": "x7!Qm2#vR9pL4$wZ8^nB3&kT6*yH1@cF5%jD0(sG)eU-aV+iO=rE_tY;uW",
        "ALLOWED_HOSTS": "sip.example.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_MANIFEST": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


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
