"""How much slower is importing a plan-year workbook than openpyxl merely reading it?

    cd /work/main && DEBUG=1 .venv/bin/python bench/import_benchmark.py [--rows 10000] [--runs 3] [--profile]

Sets Django up against a throwaway SQLite database under /tmp (migrated once, then copied afresh for every
import run), writes a workbook with a Plan sheet and N realistic Actions rows, and times

  (a) openpyxl reading it: load_workbook(read_only=True, data_only=True) and every row of every sheet, and
  (b) plan_import(dry_run=False) of the same file into the empty database,

printing the median of each, the ratio (b)/(a) and PASS/FAIL against the target ratio. With --profile, one
more import runs under cProfile and the top lines by cumulative time are printed.
"""

import argparse
import cProfile
import datetime
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
PARTNERSHIP = "Benchmark Test HSCP"
USERNAME = "bench-admin"

CATEGORIES = ["Recovery & Renewal", "Transformation", "Ongoing"]
RAG = ["Not yet assessed", "Red", "Amber", "Green"]
RESPONSIBLE = [
    "Senior Manager (Protection & Learning)",
    "Senior Manager (Localities)",
    "Head of Children's Health, Care and Justice",
    "Team Leader, Justice Social Work",
]
THEMES = [
    "Sustainable and safe virtual social work learning and development opportunities",
    "Children and young people are safe from harm",
    "Care experienced young people are supported into positive destinations",
    "Families are supported early, before problems escalate",
]


def set_up_django(workdir):
    """Point Django at a fresh SQLite file in workdir, migrate it, and add a partnership and a superuser."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from plans.choices import PartnershipKind
    from plans.models import Partnership

    call_command("migrate", verbosity=0, interactive=False)
    Partnership.objects.create(name=PARTNERSHIP, slug="bench-test", kind=PartnershipKind.HSCP)
    get_user_model().objects.create_superuser(USERNAME, "bench@example.org", "not-a-real-password")


def fresh_database(workdir):
    """Swap in a copy of the database as it was just after setting up, and return the superuser."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    connection.close()
    shutil.copyfile(workdir / "base.sqlite3", workdir / "bench.sqlite3")
    return get_user_model().objects.get(username=USERNAME)


def write_workbook(path, rows):
    from openpyxl import Workbook

    from plans.workbook.schema import ACTIONS, PLAN

    workbook = Workbook(write_only=True)
    plan = workbook.create_sheet(PLAN.name)
    plan.append(["Partnership", "Kind", "Title", "First financial year", "Status"])
    plan.append([PARTNERSHIP, "Service improvement plan", "Benchmark plan", "2021/22", "Draft"])
    actions = workbook.create_sheet(ACTIONS.name)
    headers = ["Reference", "Category", "Theme & outcome", "Action steps", "Responsible", "Due date", "RAG status"]
    actions.append(headers)
    first_due = datetime.datetime(2021, 6, 30)
    for n in range(1, rows + 1):
        steps = [
            f"• Review the current arrangements for action {n} with partners",
            f"• Agree an improvement plan and report it to the board (step {n}.2)",
            "○ Share the learning with locality teams",
            "- Evaluate the impact after six months",
        ][: 2 + n % 3]
        actions.append(
            [
                f"A{n:05}",
                CATEGORIES[n % len(CATEGORIES)],
                THEMES[n % len(THEMES)],
                "\n".join(steps),
                RESPONSIBLE[n % len(RESPONSIBLE)],
                first_due + datetime.timedelta(days=7 * (n % 150)),
                RAG[n % len(RAG)],
            ]
        )
    workbook.save(path)


def openpyxl_read(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for worksheet in workbook.worksheets for _ in worksheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def import_once(content, user, rows):
    from plans.import_services import plan_import

    result = plan_import(content=content, filename="benchmark.xlsx", user=user, dry_run=False)
    if not result.written or result.plan.actions.count() != rows:
        sys.exit(f"The import did not write {rows} actions: {result.problems[:5]}")
    return result


def parse_only(content):
    from plans.workbook.reader import read_upload

    parsed = read_upload(content, "benchmark.xlsx")
    if parsed.problems:
        sys.exit(f"The workbook did not parse: {parsed.problems[:5]}")


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="Actions rows (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile one more import with cProfile")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print (default 25)")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sip-import-bench-", dir="/tmp"))
    try:
        set_up_django(workdir)
        from django.conf import settings
        from django.db import connection, reset_queries

        connection.close()
        shutil.copyfile(workdir / "bench.sqlite3", workdir / "base.sqlite3")
        path = workdir / "benchmark.xlsx"
        write_workbook(path, options.rows)
        content = path.read_bytes()

        read_times = [timed(openpyxl_read, path) for _ in range(options.runs)]
        import_times, queries = [], None
        for _ in range(options.runs):
            user = fresh_database(workdir)
            reset_queries()
            import_times.append(timed(import_once, content, user, options.rows))
            queries = len(connection.queries) if settings.DEBUG else None

        parse_times = [timed(parse_only, content) for _ in range(options.runs)]

        read, imported = statistics.median(read_times), statistics.median(import_times)
        ratio = imported / read
        print(f"rows: {options.rows:,} Actions rows (+1 Plan row)")
        print(f"file size: {len(content):,} bytes ({len(content) / 1e6:.2f} MB)")
        print(f"database: SQLite, fresh copy per import run, DEBUG={settings.DEBUG}")
        print(f"(a) openpyxl read-only read, median of {options.runs}: {read:.3f} s  {fmt(read_times)}")
        print(f"(b) plan_import(dry_run=False), median of {options.runs}: {imported:.3f} s  {fmt(import_times)}")
        parse = statistics.median(parse_times)
        print(f"    of which read_upload (parsing the cells, no database), median: {parse:.3f} s  {fmt(parse_times)}")
        if queries is not None:
            print(f"    SQL queries in the last import: {queries:,} (recorded because DEBUG is on)")
        print(
            f"ratio (b)/(a): {ratio:.2f} (target <= {TARGET_RATIO:.1f}): {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
        )

        if options.profile:
            user = fresh_database(workdir)
            profiler = cProfile.Profile()
            profiler.runcall(import_once, content, user, options.rows)
            print(f"\ncProfile of one import, top {options.top} by cumulative time:")
            pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats("cumulative").print_stats(options.top)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def fmt(times):
    return "(runs: " + ", ".join(f"{t:.3f}" for t in times) + ")"


if __name__ == "__main__":
    main()
