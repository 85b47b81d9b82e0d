from django.db import models

from plans.choices import PlanStatus


class WithdrawableQuerySet(models.QuerySet):
    """Rows an import withdrew stay browsable but are never counted: counts use `in_force()`."""

    def in_force(self):
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def current(self, plan="plan"):
        """The rows that count now: in force, in a plan that is current (see PlanQuerySet.current).

        `plan` is the path to the row's plan. A row with no plan (a partnership-wide risk) is current.
        """
        rolled_draft = models.Q(**{f"{plan}__status": PlanStatus.DRAFT, f"{plan}__predecessor__isnull": False})
        return self.in_force().exclude(**{f"{plan}__status": PlanStatus.SUPERSEDED}).exclude(rolled_draft)


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
