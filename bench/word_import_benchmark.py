"""How long does importing the East Ayrshire plan from its Word document take, against its XLSX workbook?

    DEBUG=0 SECRET_KEY=bench STATIC_MANIFEST=0 .venv/bin/python bench/word_import_benchmark.py [--runs 5]

Sets Django up against a throwaway SQLite database under /tmp, loads the seed fixtures, writes the
East Ayrshire SIP 2020/21 as a workbook (its export) and as a Word document (that workbook written
as Word, its actions table split by a page break), then empties the database of plans and times,
each import into a fresh copy of that empty database:

  (a) plan_import of the workbook, and
  (b) plan_import_word of the Word document (reading the .docx, building the workbook, importing it),

printing the rows the Word reader read and matched, the median of each import, and the ratio (b)/(a).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "bench-admin"
EA_SIP = "east-ayrshire-chcj-sip-2020-21"


def set_up_django(workdir):
    """A fresh SQLite file with the seed data loaded, and a superuser."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.yaml")), verbosity=0)
    get_user_model().objects.create_superuser(USERNAME, "bench@example.org", "not-a-real-password")


def documents():
    """The East Ayrshire plan as a workbook and as a Word document; then the database is emptied of plans."""
    from plans.models import Partnership, Plan, Service
    from plans.wordimport.sample import plan_document
    from plans.workbook.writer import export_plan
    from risks.models import Risk

    workbook = export_plan(Plan.objects.get(slug=EA_SIP))
    document = plan_document(workbook)
    for model in (Plan, Risk, Service, Partnership):
        model.objects.all().delete()
    return workbook, document


def fresh_database(workdir):
    from django.contrib.auth import get_user_model
    from django.db import connection

    connection.close()
    shutil.copyfile(workdir / "base.sqlite3", workdir / "bench.sqlite3")
    return get_user_model().objects.get(username=USERNAME)


def import_workbook(content, user):
    from plans.import_services import plan_import

    result = plan_import(content=content, filename="ea.xlsx", user=user, dry_run=False, allow_new_partnership=True)
    if not result.written:
        sys.exit(f"The workbook import failed: {result.problems[:5]}")


def import_word(content, user):
    from plans.import_services import plan_import_word

    result, conversion = plan_import_word(
        content=content, filename="ea.docx", user=user, dry_run=False, allow_new_partnership=True
    )
    if not result.written:
        sys.exit(f"The Word import failed: {result.problems[:5]}")
    return conversion


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each import (default 5)")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sip-word-bench-", dir="/tmp"))
    try:
        set_up_django(workdir)
        workbook, document = documents()
        from django.db import connection

        connection.close()
        shutil.copyfile(workdir / "bench.sqlite3", workdir / "base.sqlite3")
        conversion = import_word(document, fresh_database(workdir))
        xlsx_times = [timed(import_workbook, workbook, fresh_database(workdir)) for _ in range(options.runs)]
        word_times = [timed(import_word, document, fresh_database(workdir)) for _ in range(options.runs)]
        report(conversion, workbook, document, xlsx_times, word_times)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(conversion, workbook, document, xlsx_times, word_times):
    summary = conversion.summary()
    rows = summary["rows"]
    print(f"files: workbook {len(workbook):,} bytes, Word document {len(document):,} bytes")
    print(f"Word tables read: {len(summary['tables'])}, not read: {len(summary['unmapped'])}")
    for table in summary["tables"]:
        print(f"  {table['label']:<9} {table['section']:<13} read {table['read']:>3}, matched {table['matched']:>3}")
    print(
        f"rows read {rows['read']}, matched {rows['matched']}, outline {rows['outline']}, "
        f"continued after a page break {rows['continued']}, totals left out {rows['totals']}"
    )
    xlsx, word = statistics.median(xlsx_times), statistics.median(word_times)
    print(f"(a) XLSX import, median of {len(xlsx_times)}: {xlsx:.3f} s  {fmt(xlsx_times)}")
    print(f"(b) Word import, median of {len(word_times)}: {word:.3f} s  {fmt(word_times)}")
    print(f"ratio (b)/(a): {word / xlsx:.2f}")


def fmt(times):
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


if __name__ == "__main__":
    main()
