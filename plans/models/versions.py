from django.db import models


class DataVersion(models.Model):
    """One row whose token changes after every committed write to the plans' data.

    The dashboards cache what they compute under this token (see plans/dataversion.py), so a write
    makes every cached figure unreachable at once and the next reader computes it afresh.
    """

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
