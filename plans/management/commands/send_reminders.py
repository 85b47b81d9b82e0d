"""Send the day's reminder emails. Run it daily (cron, a systemd timer): a second run sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans.reminders import reminders_send
from plans.tasks import send_reminders


class Command(BaseCommand):
    help = "Send the reminder emails, digests and escalations due today (or on --date)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The reminder date, YYYY-MM-DD (default: today in Europe/London).")
        parser.add_argument("--enqueue", action="store_true", help="Queue the run for a worker instead.")

    def handle(self, *, date, enqueue, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from None
        if enqueue:
            result = send_reminders.enqueue(day.isoformat())
            self.stdout.write(f"Reminder run for {day:%d %B %Y} queued as task {result.id}.")
            return
        sent = reminders_send(today=day)
        self.stdout.write(f"{sent} reminder email{'s' if sent != 1 else ''} sent for {day:%d %B %Y}.")
