"""Background work, through Django's tasks framework.

The default backend (ImmediateBackend) runs a task as soon as it is enqueued;
point TASKS at a worker-backed backend to run imports outside the request.
Either way the browser follows progress through the import's progress endpoint.
"""

from django.contrib.auth import get_user_model
from django.tasks import task

from plans.models import PlanImport
from plans.services import plan_import_confirm


@task()
def run_plan_import(import_id, user_id):
    upload = PlanImport.objects.get(pk=import_id)
    plan_import_confirm(upload=upload, user=get_user_model().objects.get(pk=user_id))
