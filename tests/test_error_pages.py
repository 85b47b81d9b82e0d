"""Under `make run` (DEBUG on) a missing page is the site's friendly 404, not Django's list of every URL."""

import subprocess
import sys

import pytest

from tests.test_settings import ROOT, load_settings

FRIENDLY = "sipportal.middleware.FriendlyNotFoundMiddleware"


def middleware_with(**env):
    clean = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "k"} | env
    result = subprocess.run(
        [sys.executable, "-c", "import sipportal.settings as s; print(s.MIDDLEWARE[-1])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_gets_the_friendly_pages_unless_debug_pages_is_asked_for():
    assert middleware_with(DEBUG="1") == FRIENDLY
    assert middleware_with(DEBUG="1", DEBUG_PAGES="1") != FRIENDLY
    assert middleware_with(DEBUG="0") != FRIENDLY


def test_debug_pages_without_debug_is_refused():
    result = load_settings(SECRET_KEY="k", DEBUG_PAGES="1")
    assert result.returncode != 0
    assert "DEBUG_PAGES=1 only makes sense with DEBUG=1" in result.stderr


@pytest.fixture
def debug_run(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, FRIENDLY]


@pytest.mark.parametrize("path", ["/no-such-page/", "/actions/999999/"])
def test_a_missing_page_under_debug_is_the_friendly_404(debug_run, login, viewer, path):
    response = login(viewer).get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "URLconf" not in response.text and "Using the URLconf" not in response.text


def test_a_forbidden_update_under_debug_is_the_friendly_403(debug_run, login, viewer, action):
    response = login(viewer).get(f"/actions/{action.pk}/update/")
    assert response.status_code == 403
    assert "Traceback" not in response.text
    assert "You cannot do that" in response.text
