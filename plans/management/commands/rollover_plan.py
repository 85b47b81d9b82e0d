from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from plans.services import plan_rollover


class Command(BaseCommand):
    help = "Create next year's draft plan from a plan (see its slug on the plan page). Use --dry-run to preview."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. east-ayrshire-chcj-sip-2020-21")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", default=None)
        parser.add_argument("--title", default=None, help="The new plan's title (default: the years moved on one)")

    def handle(self, *args, plan, dry_run, user, title, **options):
        source = Plan.objects.filter(slug=plan).first()
        if source is None:
            raise CommandError(f"No plan with slug {plan!r}.")
        users = get_user_model().objects
        actor = users.filter(username=user).first() if user else users.filter(is_superuser=True).first()
        new_plan, preview = plan_rollover(plan=source, user=actor, dry_run=dry_run, title=title)
        self.stdout.write(f"{source} -> {preview['title']} ({preview['period']})")
        self.stdout.write(f"  actions carried: {len(preview['actions'])} ({', '.join(preview['actions'])})")
        self.stdout.write(f"  completed, not carried: {len(preview['completed'])}")
        self.stdout.write(f"  measures carried: {preview['measures']}; open risks carried: {len(preview['risks'])}")
        for line in preview["not_carried"]:
            self.stdout.write(f"  not carried: {line}")
        if "problem" in preview:
            raise CommandError(preview["problem"])
        if new_plan:
            self.stdout.write(self.style.SUCCESS(f"Created draft {new_plan} ({new_plan.slug})"))
        else:
            self.stdout.write("Dry run: nothing written.")
