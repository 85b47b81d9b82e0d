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
