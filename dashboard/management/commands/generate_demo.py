import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboard.demo_data import generate_measures, generate_reports
from plans import periods
from plans.dataversion import data_changed
from plans.demo_data import DemoShape, generate_plans, supersede_earlier_years
from risks.demo_data import generate_risks

NATIONAL = DemoShape()


def scale(value):
    """'national' (64 partnerships) or a number of partnerships."""
    if value == "national":
        return NATIONAL.partnerships
    try:
        count = int(value)
    except ValueError:
        raise CommandError(f"--scale is 'national' or a number of partnerships, not {value!r}.") from None
    if count < 1:
        raise CommandError("--scale needs at least one partnership.")
    return count


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic partnerships, each with one plan a year, actions with quarterly "
        "updates, measures with results, and risks with reviews. '--scale national' gives 64 partnerships x "
        "8 years x 60 actions: about 30,000 actions, 120,000 updates, 60,000 results and 20,000 risk reviews."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="national", help="'national' or a number of partnerships")
        parser.add_argument("--years", type=int, default=NATIONAL.years, help="plan years per partnership")
        parser.add_argument("--actions", type=int, default=NATIONAL.actions_per_plan, help="actions per plan")
        parser.add_argument("--seed", type=int, default=12, help="random seed: the same seed gives the same data")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        shape = DemoShape(
            partnerships=scale(options["scale"]), years=options["years"], actions_per_plan=options["actions"]
        )
        rng = random.Random(options["seed"])
        today = options["today"] or periods.today()
        # The accounts share the demo password only in development, as seed_demo's do.
        password = settings.DEMO_PASSWORD if settings.DEBUG else None
        started = time.perf_counter()
        try:
            world = generate_plans(shape=shape, rng=rng, today=today, password=password)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Plans and actions: {time.perf_counter() - started:.1f} s")
        generate_risks(world=world, rng=rng)
        self.stdout.write(f"Risks: {time.perf_counter() - started:.1f} s")
        generate_measures(world=world, rng=rng)
        generate_reports(world=world)
        supersede_earlier_years(world=world)
        data_changed()  # bulk inserts send no signals
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(world.partnerships)} partnerships and {len(world.plans)} plans "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
