from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from plans.models import Partnership

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the seed documents' fixtures into an empty database (skipped if already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if data exists; overwrites seeded rows.")

    def handle(self, *args, force=False, **options):
        # Reloading would reset seeded actions' statuses over users' updates, so only load once.
        if Partnership.objects.exists() and not force:
            self.stdout.write("Seed data already loaded; skipping (use --force to reload).")
            return
        fixtures = sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml"))
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])
        # loaddata bypasses the audit trail; give every seeded row its initial history entry.
        call_command("populate_history", auto=True, verbosity=0)
