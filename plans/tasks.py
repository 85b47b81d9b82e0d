"""Background work, through Django's tasks framework.

With the database backend (the default) a task is a row in the database that `manage.py db_worker`
picks up, so any number of web processes and workers can share one database. With
TASKS_BACKEND=immediate a task runs in the process that enqueues it (the tests use this).
"""

import datetime

from django.contrib.auth import get_user_model
from django.tasks import task

from plans.import_services import plan_import_run
from plans.reminders import reminders_send
from plans.workbook.conflicts import Decisions


@task()
def run_plan_import(import_id, user_id, decisions=None):
    """`decisions` are the admin's choices in the preview, as Decisions.as_data() (JSON for the queue)."""
    user = get_user_model().objects.get(pk=user_id)
    upload = plan_import_run(plan_import_id=import_id, user=user, decisions=Decisions.from_data(decisions))
    return {"import_id": import_id, "status": upload.status if upload else "not waiting to run"}


@task()
def send_reminders(day_iso):
    """The reminder run for one day, as a task (enqueue it from a scheduler, or run send_reminders)."""
    return {"sent": reminders_send(today=datetime.date.fromisoformat(day_iso))}
