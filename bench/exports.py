"""Peak memory and time of the CSV and XLSX downloads of All actions at national scale.

    DEBUG=1 .venv/bin/python bench/exports.py [--actions 30000] [--updates-per-action 4]

Sets Django up against a throwaway SQLite database under /tmp, fills it with one partnership, one
plan per 1,000 actions and the given number of progress updates per action (bulk_create, so it
takes seconds), then downloads ?export=csv and ?export=xlsx as a partnership admin through the
test client, reading the streamed body chunk by chunk as a browser would.

Prints, per format: rows, bytes, seconds and the peak resident memory above the baseline taken
just before the request (sampled every 10 ms by a thread). Target (issue 12): peak <= 100 MB.
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 100


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


class PeakSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.01)


def set_up(workdir, actions, updates_per_action):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    from plans.choices import MembershipRole
    from plans.models import ImprovementAction, Membership, Partnership, Plan, ProgressUpdate

    user = get_user_model().objects.create_user("bench-admin", password="x")
    partnership = Partnership.objects.create(name="Benchmark HSCP", slug="bench")
    Membership.objects.create(user=user, partnership=partnership, role=MembershipRole.PARTNERSHIP_ADMIN)
    statuses = ["red", "amber", "green", "complete"]
    for first in range(0, actions, 1000):
        plan = Plan.objects.create(
            partnership=partnership, title=f"Plan {first}", slug=f"plan-{first}", start_year=2021, end_year=2021
        )
        made = ImprovementAction.objects.bulk_create(
            ImprovementAction(
                plan=plan,
                reference=f"A{n}",
                title=f"Improve outcome number {n} for children and families in the locality",
                responsible="Senior Manager (Localities)",
                due_date=datetime.date(2022, 3, 31) if n % 3 else None,
                status=statuses[n % 4],
                percent_complete=n % 101,
                order=n,
            )
            for n in range(first, min(first + 1000, actions))
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                period_year=2021,
                period_quarter=q,
                status_before="amber",
                status=action.status,
                percent_complete=action.percent_complete,
                commentary=f"Quarter {q}: recruitment under way, panel met, report to committee {action.pk}.",
                author=user,
            )
            for action in made
            for q in range(1, updates_per_action + 1)
        )
    return user


def measure(client, export_format):
    from django.urls import reverse

    baseline = rss_mb()
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    response = client.get(reverse("plans:action_list"), {"export": export_format})
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    sampler.running = False
    sampler.join()
    return size, seconds, sampler.peak - baseline


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=30_000)
    parser.add_argument("--updates-per-action", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        user = set_up(Path(workdir), args.actions, args.updates_per_action)
        from django.test import Client

        client = Client()
        client.force_login(user)
        print(f"{args.actions} actions, {args.actions * args.updates_per_action} updates")
        print(f"{'format':<6} {'bytes':>12} {'seconds':>8} {'peak MB':>8}  target <= {TARGET_MB} MB")
        failed = False
        for export_format in ("csv", "xlsx"):
            size, seconds, peak = measure(client, export_format)
            failed |= peak > TARGET_MB
            verdict = "FAIL" if peak > TARGET_MB else "PASS"
            print(f"{export_format:<6} {size:>12,} {seconds:>8.1f} {peak:>8.1f}  {verdict}")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
