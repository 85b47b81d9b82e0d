"""Reminder emails: who is chased for what, and when. Each send is recorded, once per person and day.

Schedule: for each quarter in a partnership's reporting calendar, reminders go the partnership's
`reminder_days_before` days before the update deadline (default 14 and 3), and on the day after it,
when partnership admins also get an escalation (who is overdue, on what). A reminder date on a weekend
moves to a working day: the Friday before, or for the day-after reminder the Monday after. People who
chose a weekly digest get one email on Mondays instead, while a quarter's reminders are running.

What an email lists comes from sources: plans lists the actions that need an update for the quarter;
other apps add theirs (risks: reviews falling due) with @reminder_source in their own `reminders`
module, which plans discovers at start-up as the admin discovers `admin` modules.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from plans.choices import MembershipRole, PlanStatus, ReminderFrequency, ReminderKind
from plans.models import ImprovementAction, Membership, ReportingPeriod, SentReminder
from plans.models.calendar import parse_reminder_days, working_day_on_or_after, working_day_on_or_before

logger = logging.getLogger(__name__)
SOURCES = []
# Reminders go up to 90 days ahead, and a weekend moves one by up to two more days.
LOOK_AHEAD = datetime.timedelta(days=93)
# A weekly digest keeps listing a quarter's outstanding items for this long after its deadline.
DIGEST_DAYS_AFTER_DEADLINE = 7


@dataclass(frozen=True)
class ReminderItem:
    """One thing one person must do: `user_id` None means nobody is linked to it."""

    user_id: int | None
    label: str
    path: str
    detail: str

    @property
    def url(self):
        return settings.SITE_URL + self.path


def reminder_source(source):
    """Register source(partnership=, period=, today=) -> iterable of ReminderItem."""
    SOURCES.append(source)
    return source


def reminder_dates(*, deadline, days_before):
    """{date: "before" | "after"}: the days a quarter's reminders go out."""
    dates = {working_day_on_or_before(deadline - datetime.timedelta(days=n)): "before" for n in days_before}
    dates[working_day_on_or_after(deadline + datetime.timedelta(days=1))] = "after"
    return dates


def periods_with_reminders_on(today):
    """[(reporting period, "before" | "after")] for every quarter whose reminders go out `today`."""
    candidates = ReportingPeriod.objects.filter(
        update_deadline__gte=today - datetime.timedelta(days=4),
        update_deadline__lte=today + LOOK_AHEAD,
    ).select_related("partnership")
    due = []
    for period in candidates:
        days = parse_reminder_days(period.partnership.reminder_days_before)
        when = reminder_dates(deadline=period.update_deadline, days_before=days).get(today)
        if when:
            due.append((period, when))
    return due


def periods_in_digest_window(today):
    """Quarters whose reminders are running on `today`: from the first reminder to a week after the deadline."""
    periods = ReportingPeriod.objects.filter(
        update_deadline__gte=today - datetime.timedelta(days=DIGEST_DAYS_AFTER_DEADLINE),
        update_deadline__lte=today + LOOK_AHEAD,
    ).select_related("partnership")
    return [period for period in periods if _first_reminder(period) <= today]


def _first_reminder(period):
    days = parse_reminder_days(period.partnership.reminder_days_before)
    return period.update_deadline - datetime.timedelta(days=max(days, default=0))


@reminder_source
def actions_needing_an_update(*, partnership, period, today):
    quarter = period.period
    actions = (
        ImprovementAction.objects.filter(
            plan__partnership=partnership,
            plan__status=PlanStatus.PUBLISHED,
            plan__start_year__lte=quarter.start_year,
            plan__end_year__gte=quarter.start_year,
        )
        .in_force()
        .open()
        .with_update_in(quarter)
        .filter(updated_in_quarter=False)
        .prefetch_related("responsible_users")
        .order_by("plan", "order", "reference")
    )
    members = set(Membership.objects.filter(partnership=partnership).values_list("user_id", flat=True))
    for action in actions:
        path = reverse("plans:action_update", kwargs={"pk": action.pk})
        officers = [user.pk for user in action.responsible_users.all() if user.pk in members]
        for user_id in officers or [None]:
            yield ReminderItem(user_id, f"{action.reference} {action.title}", path, f"no update yet for {quarter}")


def items_for(*, partnership, period, today):
    """{user_id or None: [ReminderItem]} from every source, for one partnership's quarter."""
    by_user = defaultdict(list)
    for source in SOURCES:
        for item in source(partnership=partnership, period=period, today=today):
            by_user[item.user_id].append(item)
    return by_user


def _preferences(user_ids):
    User = get_user_model()
    users = User.objects.filter(pk__in=[pk for pk in user_ids if pk], is_active=True).exclude(email="")
    users = users.select_related("reminder_preference")
    result = {}
    for user in users:
        preference = getattr(user, "reminder_preference", None)
        result[user] = preference.frequency if preference else ReminderFrequency.EACH
    return result


def _send(*, user, period, kind, today, template, context, items):
    """Record and send one email in one transaction: a second send for the same day is refused."""
    subject = render_to_string(f"plans/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"plans/email/{template}.txt", context)
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                user=user,
                partnership=period.partnership,
                kind=kind,
                sent_on=today,
                period_year=period.period_year,
                period_quarter=period.period_quarter,
                email=user.email,
                subject=subject[:300],
                items=[{"label": item.label, "detail": item.detail, "url": item.url} for item in items],
            )
            EmailMessage(subject, body, to=[user.email]).send()
    except IntegrityError:
        return 0  # already sent for this day, by this run earlier or by another worker
    except Exception:
        logger.exception("Could not send a %s to %s; the next run tries again.", kind, user)
        return 0
    return 1


def _context(period, user, items, when):
    settings_url = settings.SITE_URL + reverse("plans:profile")
    context = {"user": user, "period": period, "partnership": period.partnership, "items": items, "when": when}
    return context | {"settings_url": settings_url}


def _send_each_their_items(period, items, today, *, frequency, kind, when, extra=None):
    """Send each officer who takes this `frequency` of email their own items; returns how many were sent."""
    sent = 0
    for user, chosen in _preferences(items).items():
        if chosen == frequency:
            context = _context(period, user, items[user.pk], when) | (extra or {})
            sent += _send(
                user=user,
                period=period,
                kind=kind,
                today=today,
                template="reminder",
                context=context,
                items=items[user.pk],
            )
    return sent


def _remind(period, when, today):
    items = items_for(partnership=period.partnership, period=period, today=today)
    sent = _send_each_their_items(
        period, items, today, frequency=ReminderFrequency.EACH, kind=ReminderKind.REMINDER, when=when
    )
    if when == "after" and items:
        sent += _escalate(period, items, today)
    return sent


def _escalate(period, items, today):
    User = get_user_model()
    names = {user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=list(items))}
    overdue = [(names.get(user_id, "No officer linked"), user_items) for user_id, user_items in items.items()]
    overdue.sort(key=lambda pair: (pair[0] == "No officer linked", pair[0]))
    all_items = [item for _, user_items in overdue for item in user_items]
    admins = Membership.objects.filter(partnership=period.partnership, role=MembershipRole.PARTNERSHIP_ADMIN)
    sent = 0
    for user in _preferences(admins.values_list("user_id", flat=True)):
        context = _context(period, user, all_items, "after") | {"overdue": overdue}
        sent += _send(
            user=user,
            period=period,
            kind=ReminderKind.ESCALATION,
            today=today,
            template="escalation",
            context=context,
            items=all_items,
        )
    return sent


def _digest(period, today):
    items = items_for(partnership=period.partnership, period=period, today=today)
    when = "after" if today > period.update_deadline else "before"
    return _send_each_their_items(
        period,
        items,
        today,
        frequency=ReminderFrequency.WEEKLY,
        kind=ReminderKind.DIGEST,
        when=when,
        extra={"digest": True},
    )


def reminders_send(*, today):
    """Send every reminder, digest and escalation due on `today`. Safe to run again or on several workers."""
    sent = sum(_remind(period, when, today) for period, when in periods_with_reminders_on(today))
    if today.weekday() == 0:
        sent += sum(_digest(period, today) for period in periods_in_digest_window(today))
    return sent
