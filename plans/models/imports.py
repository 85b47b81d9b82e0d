import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse


class PlanImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    HAS_PROBLEMS = "has_problems", "Has problems"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Failed"


class PlanImportQuerySet(models.QuerySet):
    def abandoned(self, *, now):
        """Running imports whose heartbeat stopped: their worker died or was killed."""
        silent_since = now - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
        return self.filter(status=PlanImportStatus.RUNNING, heartbeat_at__lt=silent_since)


class PlanImport(models.Model):
    """An uploaded plan-year workbook: kept from its preview until it is imported.

    The import itself runs in a task; `progress` and `heartbeat_at` are written as it goes, so any
    web process can show how far it has got and tell a dead import from a slow one.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    target_plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a one-section CSV: the plan it goes into.",
    )
    status = models.CharField(max_length=20, choices=PlanImportStatus.choices, default=PlanImportStatus.PREVIEWED)
    preview = models.JSONField(default=dict)
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.JSONField(default=dict, blank=True, help_text="The running import's stage, done and total.")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("plans:import_detail", kwargs={"pk": self.pk})

    @property
    def from_word(self):
        return self.filename.lower().endswith(".docx")

    @property
    def workbook_filename(self):
        """The name to read the content by: a Word upload is kept as the workbook it was read into."""
        return f"{self.filename}.xlsx" if self.from_word else self.filename

    @property
    def progress_key(self):
        return f"plan-import-progress-{self.pk}"

    @property
    def is_in_progress(self):
        return self.status in (PlanImportStatus.QUEUED, PlanImportStatus.RUNNING)

    @property
    def can_start(self):
        """A clean preview can be imported, and a failed import can be tried again."""
        return self.status in (PlanImportStatus.PREVIEWED, PlanImportStatus.FAILED) and not self.preview.get("problems")

    @property
    def can_preview_again(self):
        """Any upload not queued, running or imported can be previewed again against the plan as it is now."""
        return self.status in (PlanImportStatus.PREVIEWED, PlanImportStatus.HAS_PROBLEMS, PlanImportStatus.FAILED)
