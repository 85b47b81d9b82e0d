from django.conf import settings
from django.db import models
from django.urls import reverse


class PlanImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    HAS_PROBLEMS = "has_problems", "Has problems"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Failed"


class PlanImport(models.Model):
    """An uploaded plan-year workbook: kept from its preview until it is imported."""

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
