from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plans.services import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts listed in the README (local use only; refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a known password, so it only runs with DEBUG on.")
        for username, description in demo_accounts_create(password=settings.DEMO_PASSWORD):
            self.stdout.write(f"  {username:<22} {description}", self.style.SUCCESS)
