"""Run SIP Portal's own commands in another process, against the test database."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url_of_this_test():
    """DATABASE_URL for the database this test is using, so another process can open it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{settings['NAME']}"


def process_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND", "DEBUG"}}
    return env | {
        "DATABASE_URL": database_url_of_this_test(),
        "DEBUG": "0",
        "SECRET_KEY": "test-only-not-secret",
        "STATIC_MANIFEST": "0",
        "TASKS_BACKEND": "database",
        **extra,
    }


def run_worker_batch(timeout=120):
    """`manage.py db_worker --batch`: the real worker runs every queued task, then exits."""
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_pausing_worker(pause_at, ready, go):
    """A real worker that stops inside an import when it reports `pause_at`, until `go` exists."""
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("pausing_worker.py")), pause_at, str(ready), str(go)],
        cwd=ROOT,
        env=process_env(DJANGO_SETTINGS_MODULE="sipportal.settings"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
