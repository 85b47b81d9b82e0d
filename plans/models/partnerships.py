from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.choices import MembershipRole, PartnershipKind
from plans.models.calendar import validate_reminder_days


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=PartnershipKind.choices)
    local_authority = models.CharField(max_length=100, blank=True)
    reminder_days_before = models.CharField(
        max_length=50,
        default="14, 3",
        validators=[validate_reminder_days],
        help_text="Reminder emails go this many days before each update deadline (and on the day after it).",
    )
    updates_need_approval = models.BooleanField(
        default=False,
        help_text="Managers' updates count only once a partnership admin (or the service's approver) approves them.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:partnership_detail", kwargs={"slug": self.slug})

    @property
    def short_name(self):
        """'East Ayrshire HSCP': fits a table cell where the full name would wrap over four lines."""
        if self.local_authority and self.kind:
            return f"{self.local_authority} {self.kind.upper()}"
        return self.name


class Service(models.Model):
    """A service or division within a partnership, e.g. 'Justice Social Work'."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Approves this service's updates, beside the partnership admins.",
    )

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_service_per_partnership"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one partnership. Permissions are checked against this."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.VIEWER)
    services = models.ManyToManyField(
        Service,
        blank=True,
        help_text="For managers: limit updates to these services. Leave empty for all services.",
    )
    responsible_only = models.BooleanField(
        default=False, help_text="For managers: update only the actions they are named responsible for."
    )

    class Meta:
        ordering = ["partnership", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.partnership}"


class CommissionedService(models.Model):
    """A contract with a third or independent sector provider ('Working in Partnership')."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="contracts")
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts")
    provider = models.CharField(max_length=200)
    service_name = models.CharField(max_length=200)
    heading = models.CharField(max_length=200, blank=True, help_text="Section heading in the source, if any.")
    description = models.TextField(blank=True)
    funding = models.CharField(max_length=300, blank=True)
    award_date = models.DateField(null=True, blank=True, help_text="Only where the source gives a full date.")
    award_text = models.CharField(max_length=200, blank=True, help_text="The award date as stated.")
    term = models.CharField(max_length=200, blank=True)
    annual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    value_text = models.TextField(blank=True, help_text="The contract value as stated.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order", "provider"]
        verbose_name = "commissioned service"

    def __str__(self):
        return f"{self.provider}: {self.service_name}"
