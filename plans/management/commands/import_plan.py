from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.import_services import plan_import


class Command(BaseCommand):
    help = "Import a plan-year workbook (.xlsx). With --dry-run, show what would change and write nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Preview only; nothing is written.")
        parser.add_argument("--user", default=None, help="Record changes as this user (default: the first superuser).")
        parser.add_argument(
            "--create-partnership", action="store_true", help="Create the workbook's partnership if it is new."
        )

    def handle(self, *args, file, dry_run, user, create_partnership, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        users = get_user_model().objects
        actor = users.filter(username=user).first() if user else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError("No user to record the import as: create a superuser or pass --user.")
        progress = ProgressBar(self.stderr)
        result = plan_import(
            content=file.read_bytes(),
            filename=file.name,
            user=actor,
            dry_run=dry_run,
            allow_new_partnership=create_partnership,
            on_progress=progress,
        )
        progress.finish()
        for sheet, counts in result.counts.items():
            self.stdout.write(
                f"{sheet:<13} {counts['created']:>6} created {counts['updated']:>6} updated "
                f"{counts['unchanged']:>6} unchanged"
            )
        self._report_changes(result)
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(str(problem)))
        if result.problems:
            raise CommandError(f"{len(result.problems)} problem(s): nothing was written.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {result.plan} ({'dry run: nothing written' if dry_run else 'done'})")
        )

    def _report_changes(self, result):
        """Conflicts, history not imported and rows left out: the command takes the defaults (keep the app's)."""
        if result.plan_match:
            self.stdout.write(
                f"Updates the existing plan '{result.plan_match['title_in_app']}' "
                f"(the file calls it '{result.plan_match['title_in_file']}')."
            )
        for change in result.changes:
            for field in change.fields:
                kept = " (changed in SIP Portal since the export: kept)" if field.conflict else ""
                self.stdout.write(f"{change.sheet} {change.key}: {field.header}: {field.old!r} -> {field.new!r}{kept}")
            for field in change.not_imported:
                self.stdout.write(f"{change.sheet} {change.key}: {field.header}: {field.new!r} not imported (history)")
            if change.kind == "missing":
                self.stdout.write(f"{change.sheet} {change.key}: in the plan but not in this file (kept)")


class ProgressBar:
    """A one-line progress bar on stderr, for large files."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, stage, done, total):
        if total:
            filled = int(self.WIDTH * done / total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} {stage:<24}", ending="")
        else:
            self.stream.write(f"\r{stage}: row {done:,}{' ' * 20}", ending="")
        self.stream.flush()

    def finish(self):
        self.stream.write("")
