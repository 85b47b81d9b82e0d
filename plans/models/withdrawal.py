from django.db import models


class WithdrawableQuerySet(models.QuerySet):
    """Rows an import withdrew stay browsable but are never counted: counts use `in_force()`."""

    def in_force(self):
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


class Withdrawable(models.Model):
    """A plan row that a re-import can withdraw. Withdrawn rows are never hard-deleted."""

    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When a re-import withdrew the row; it stays browsable but is not counted."
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None
