"""Risk reviews falling due, listed in their owners' reminder emails (see plans.reminders)."""

from django.urls import reverse

from plans.models import Membership
from plans.reminders import ReminderItem, reminder_source
from risks.models import Risk


@reminder_source
def risk_reviews_falling_due(*, partnership, period, today):
    """Open risks whose owner is a member of the partnership and whose review is due by the deadline."""
    members = Membership.objects.filter(partnership=partnership).values("user_id")
    risks = (
        Risk.objects.filter(partnership=partnership, owner_user__in=members, review_date__lte=period.update_deadline)
        .current()
        .open()
        .order_by("review_date", "reference")
    )
    for risk in risks:
        path = reverse("risks:risk_review", kwargs={"pk": risk.pk})
        label = f"Risk {risk.reference} {risk.title}"
        yield ReminderItem(risk.owner_user_id, label, path, f"review due {risk.review_date:%-d %B %Y}")
