"""Imports run in the real task worker: in another process, with progress any process can read.

These tests use the database task backend and start `manage.py db_worker` as a subprocess against
this test's database (a file for SQLite), so they need committed data: transactional_db.
"""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from plans.import_services import plan_import_start, plan_import_upload, plan_imports_fail_abandoned
from plans.models import ImprovementAction, Plan, PlanImportStatus
from tests.plans.test_imports import GOOD, workbook
from tests.support.processes import run_worker_batch, start_pausing_worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Enough rows that the reader reports its progress (every 500 rows) before it finishes.
MANY_ACTIONS = [GOOD | {"Reference": f"A{n}"} for n in range(1, 601)]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(partnership_admin, partnership):
    """start(rows) -> a previewed import of a plan with those actions, queued for the worker."""

    def start(rows):
        upload = plan_import_upload(user=partnership_admin, filename="p.xlsx", content=workbook(partnership.name, rows))
        with override_settings(TASKS=DATABASE_TASKS):
            return plan_import_start(upload=upload, user=partnership_admin)

    return start


def wait_for(path, process):
    """Wait until the worker process signals it has paused; fail if it exits first."""
    for _ in range(1200):  # a generous ceiling, never an assertion on how long it took
        if path.exists():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker exited before pausing:\n{process.stdout.read()}")
        subprocess.run(["sleep", "0.1"], check=True)
    process.kill()
    pytest.fail("The worker never reached the pause point.")


def test_starting_an_import_queues_it_and_the_real_worker_runs_it(queued):
    plan_import = queued([GOOD])
    assert plan_import.status == PlanImportStatus.QUEUED  # nothing runs in the request
    assert not Plan.objects.filter(title="Children's Services Plan").exists()
    task = DBTaskResult.objects.get(id=plan_import.task_id)
    assert task.task_path == "plans.tasks.run_plan_import"

    worker = run_worker_batch()

    assert worker.returncode == 0, worker.stderr
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert plan_import.plan.actions.get().reference == "A1"
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"import_id": plan_import.pk, "status": "imported"}


def test_progress_written_by_the_worker_is_read_by_this_process(queued, login, partnership_admin, tmp_path):
    plan_import = queued(MANY_ACTIONS)
    ready, go = tmp_path / "ready", tmp_path / "go"
    worker = start_pausing_worker("Reading Actions", ready, go)
    try:
        wait_for(ready, worker)
        plan_import.refresh_from_db()
        assert plan_import.status == PlanImportStatus.RUNNING
        assert plan_import.progress == {"stage": "Reading Actions", "done": 500, "total": None}
        fragment = login(partnership_admin).get(reverse("plans:import_progress", kwargs={"pk": plan_import.pk}))
        assert "Reading Actions: row 500" in fragment.text
    finally:
        go.touch()
        worker.wait(timeout=300)
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
    assert plan_import.plan.actions.count() == 600


def test_a_killed_import_writes_nothing_is_marked_failed_and_can_be_retried(queued, login, partnership_admin, tmp_path):
    plan_import = queued([GOOD])
    ready, go = tmp_path / "ready", tmp_path / "go"
    worker = start_pausing_worker("Actions", ready, go)  # inside the transaction, after the actions are written
    wait_for(ready, worker)
    worker.kill()
    worker.wait()

    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.RUNNING  # the dead worker could not say otherwise
    assert not Plan.objects.filter(title="Children's Services Plan").exists()  # nothing half-written
    assert not ImprovementAction.objects.filter(reference="A1").exists()

    # Still within the heartbeat allowance it is taken for a slow import, after it for a dead one.
    heartbeat = plan_import.heartbeat_at
    assert plan_imports_fail_abandoned(now=heartbeat + datetime.timedelta(seconds=60)) == 0
    assert plan_imports_fail_abandoned(now=heartbeat + datetime.timedelta(seconds=601)) == 1
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.FAILED
    page = login(partnership_admin).get(plan_import.get_absolute_url()).text
    assert "the worker running it was stopped or restarted" in page
    assert "Try the import again" in page

    login(partnership_admin).post(reverse("plans:import_confirm", kwargs={"pk": plan_import.pk}))
    assert run_worker_batch().returncode == 0
    plan_import.refresh_from_db()
    assert (plan_import.status, plan_import.attempts, plan_import.failure_reason) == (PlanImportStatus.IMPORTED, 2, "")
    assert ImprovementAction.objects.filter(plan=plan_import.plan, reference="A1").count() == 1


def test_an_import_that_raises_is_marked_failed_with_its_reason(partnership_admin, partnership, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    upload = plan_import_upload(user=partnership_admin, filename="p.xlsx", content=workbook(partnership.name, [GOOD]))
    monkeypatch.setattr("plans.import_services.plan_import", broken)
    result = plan_import_start(upload=upload, user=partnership_admin)  # the immediate backend runs it here
    assert result.status == PlanImportStatus.FAILED
    assert result.failure_reason == "The import stopped with an error: disk full. Nothing was written."
    assert result.can_start


def test_on_postgresql_progress_inside_the_import_transaction_is_visible(queued, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: its writing stage shows progress when it commits.")
    plan_import = queued([GOOD])
    ready, go = tmp_path / "ready", tmp_path / "go"
    worker = start_pausing_worker("Actions", ready, go)
    try:
        wait_for(ready, worker)
        plan_import.refresh_from_db()
        assert plan_import.progress == {"stage": "Actions", "done": 1, "total": 7}
        assert not ImprovementAction.objects.filter(reference="A1").exists()  # written, but not yet committed
    finally:
        go.touch()
        worker.wait(timeout=300)
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.IMPORTED
