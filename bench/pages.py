"""How fast is every main page at the seed size and at Scottish national scale?

    .venv/bin/python bench/pages.py                        # SQLite and PostgreSQL, seed and national
    .venv/bin/python bench/pages.py --db sqlite --runs 7   # one database
    .venv/bin/python bench/pages.py --scale 16             # a smaller "national" (16 partnerships)
    .venv/bin/python bench/pages.py --skip-exports --skip-gunicorn

It builds its own databases once and reuses them (--rebuild to start again): SQLite files under
var/bench/ (or BENCH_DIR) and the PostgreSQL databases sip_bench_seed and sip_bench (at POSTGRES_URL, by
default postgres://postgres@127.0.0.1:5432; BENCH_POSTGRES_DB names another). The seed database holds
the seed documents and the demo accounts; the national one adds `manage.py generate_demo --scale national`.

Each (database, size) is measured in its own process, in-process with Django's test Client and DEBUG
off: the query count of each page and the median of --runs timed requests after one warm-up. It prints
a table with the growth from seed to national, and the ratios that are the contract on any machine:
  - the all-actions list (50 rows) against the Django admin changelist and a plain template loop of
    the same 50 rows;
  - CSV and XLSX exports of every action: seconds, and peak memory above the process's baseline;
  - under gunicorn (2 workers, 127.0.0.1, a free port), the plan dashboard's and the all-actions list's
    throughput against the login page's (PostgreSQL only unless --gunicorn-db says otherwise).
The dashboards and the Overview cache their figures until the next write, so each is timed twice: as
a reader finds it (cached after the warm-up) and ", computed" (the cache emptied before every run).
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DIR = Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench"))
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# The national database's name; the seed-size one adds "_seed".
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "sip_bench")
SECRET = "bench-only-not-secret"
TARGET_GROWTH, TARGET_MS, TARGET_QUERY_DRIFT = 3.0, 300, 2
TARGET_ADMIN_RATIO, TARGET_PDF_MS, TARGET_THROUGHPUT = 1.5, 1000, 1 / 3
EXPORT_MEMORY_MB = 100


def database_url(db, size):
    if db == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'{size}.sqlite3'}"
    return f"{POSTGRES_URL}/{POSTGRES_DB if size == 'national' else POSTGRES_DB + '_seed'}"


def django_env(db, size, debug=False):
    env = dict(os.environ, DATABASE_URL=database_url(db, size), SECRET_KEY=SECRET, STATIC_MANIFEST="0")
    # Plain http in process and on 127.0.0.1: no redirect to https, cookies sent without TLS.
    env |= {"SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0"}
    return env | {"DEBUG": "1" if debug else "0", "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}


# --- building the databases -------------------------------------------------------------------------


def build(db, size, scale, rebuild):
    """Migrate, load the seeds and demo accounts, and at national size generate the demo data."""
    marker = BENCH_DIR / f"{db}-{size}.built"
    wanted = f"scale={scale}\n" if size == "national" else "seed\n"
    if marker.exists() and marker.read_text() == wanted and not rebuild:
        # Built before: only bring the schema up to date (new indexes), keeping the data.
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=django_env(db, size), check=True)
        analyze(db, size)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    if db == "sqlite":
        Path(database_url(db, size).removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = database_url(db, size).rsplit("/", 1)[1]
        admin_url = f"{POSTGRES_URL}/postgres"
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    env = django_env(db, size, debug=True)  # seed_demo only runs with DEBUG on
    started = time.perf_counter()
    for command in (["migrate", "-v0"], ["load_seed", "-v0"], ["seed_demo"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    if size == "national":
        subprocess.run([PYTHON, "manage.py", "generate_demo", "--scale", str(scale)], cwd=ROOT, env=env, check=True)
    print(f"built {db} {size} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    marker.write_text(wanted)
    analyze(db, size)


def analyze(db, size):
    """Planner statistics, as autovacuum keeps them on a live server: without them PostgreSQL guesses
    a bulk-loaded table holds a handful of rows and nests loops over 30,000 actions."""
    if db == "postgres":
        subprocess.run(["psql", database_url(db, size), "-qc", "ANALYZE"], check=True)


# --- measuring inside one process -------------------------------------------------------------------


def set_up_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    import django

    django.setup()


def subjects(size):
    """The users and objects each page is measured on: the biggest at each size."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dashboard.models import QuarterlyReport
    from plans.models import ImprovementAction, Partnership

    User = get_user_model()
    partnerships = Partnership.objects.annotate(n=Count("plans__actions")).order_by("-n", "name")
    if size == "national":
        partnerships = partnerships.filter(slug__startswith="demo-")
    partnership = partnerships.first()
    plan = partnership.plans.annotate(n=Count("actions")).order_by("-start_year", "-n").first()
    manager = (
        User.objects.filter(memberships__partnership=partnership, memberships__role="manager")
        .annotate(n=Count("responsible_actions"))
        .order_by("-n")
        .first()
    )
    report = QuarterlyReport.objects.filter(plan=plan).order_by("-period_year", "-period_quarter").first()
    report = report or QuarterlyReport.objects.order_by("-period_year", "-period_quarter").first()
    return {
        "board": User.objects.get(username="board"),
        "admin": User.objects.get(username="admin"),
        "manager": manager,
        "partnership": partnership,
        "plan": plan,
        "action": ImprovementAction.objects.filter(plan=plan).order_by("order").first(),
        "report": report,
        "manager_actions": manager.responsible_actions.count(),
    }


def pages(s):
    from django.urls import reverse

    report = s["report"]
    report_kwargs = {"slug": report.plan.slug, "year": report.period_year, "quarter": report.period_quarter}
    plan, partnership = {"slug": s["plan"].slug}, {"slug": s["partnership"].slug}
    return [
        ("home", "board", reverse("home")),
        ("overview", "board", reverse("dashboard:overview")),
        ("partnership", "board", reverse("plans:partnership_detail", kwargs=partnership)),
        ("partnership dashboard", "board", reverse("dashboard:partnership_dashboard", kwargs=partnership)),
        ("plan overview", "board", reverse("plans:plan_detail", kwargs=plan)),
        ("plan dashboard", "board", reverse("dashboard:plan_dashboard", kwargs=plan)),
        ("plan actions", "board", reverse("plans:plan_actions", kwargs=plan)),
        ("all actions, 50 rows", "board", reverse("plans:action_list") + "?per_page=50"),
        ("My actions", "manager", reverse("plans:my_actions")),
        ("action detail", "board", reverse("plans:action_detail", kwargs={"pk": s["action"].pk})),
        ("measures", "board", reverse("dashboard:plan_measures", kwargs=plan)),
        ("risk register", "board", reverse("risks:register", kwargs=partnership)),
        ("heat map", "board", reverse("risks:heat_map", kwargs=partnership)),
        ("quarterly report", "board", reverse("dashboard:report_detail", kwargs=report_kwargs)),
        ("report PDF", "board", reverse("dashboard:report_pdf", kwargs=report_kwargs)),
    ] + [
        # The dashboards cache their figures until the next write: also time them computed afresh.
        (f"{name}, computed", "board", url)
        for name, url in (
            ("overview", reverse("dashboard:overview")),
            ("partnership dashboard", reverse("dashboard:partnership_dashboard", kwargs=partnership)),
            ("plan dashboard", reverse("dashboard:plan_dashboard", kwargs=plan)),
        )
    ]


def timed(function, runs):
    function()  # warm-up: caches, imports, connection
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def fetch(client, url, computed=False):
    from django.core.cache import cache

    def get():
        if computed:
            cache.clear()
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return b"".join(response) if response.streaming else response.content

    return get


def measure_pages(size, runs):
    s = subjects(size)
    clients = {role: client_for(s[role]) for role in ("board", "manager", "admin")}
    results = {}
    for name, role, url in pages(s):
        get = fetch(clients[role], url, computed=name.endswith(", computed"))
        results[name] = {"url": url, "queries": count_queries(get), "ms": timed(get, runs), "bytes": len(get())}
    return {"pages": results, "ratios": measure_list_ratios(clients["admin"], runs), "subjects": describe(s)}


def describe(s):
    return {
        "partnership": s["partnership"].name,
        "plan": str(s["plan"]),
        "manager": s["manager"].username,
        "manager_actions": s["manager_actions"],
    }


def measure_list_ratios(admin_client, runs):
    """The same 50 rows: our list, the Django admin changelist, and a bare template loop."""
    from django.contrib import admin
    from django.template import Context, Template
    from django.urls import reverse

    from plans import selectors
    from plans.models import ImprovementAction

    admin.site._registry[ImprovementAction].list_per_page = 50
    admin_get = fetch(admin_client, reverse("admin:plans_improvementaction_changelist"))
    # Every year, as the admin lists them (the list shows the current plans unless asked).
    list_get = fetch(admin_client, reverse("plans:action_list") + "?per_page=50&year=all")
    loop = Template(
        "<table>{% for a in rows %}<tr><td><a href='{{ a.get_absolute_url }}'>{{ a.reference }}</a></td>"
        "<td>{{ a.title }}</td><td>{{ a.plan.partnership.name }}</td><td>{{ a.get_category_display }}</td>"
        "<td>{{ a.responsible }}</td><td>{{ a.due_date }}</td><td>{{ a.get_status_display }}</td>"
        "<td>{{ a.percent_complete }}</td><td>{{ a.updated_in_quarter|yesno }}</td></tr>{% endfor %}</table>"
    )
    user = admin_client.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.get(pk=user)

    def loop_get():
        rows = list(selectors.actions_for_list(user=admin_user)[:50])
        return loop.render(Context({"rows": rows}))

    list_ms, admin_ms, loop_ms = timed(list_get, runs), timed(admin_get, runs), timed(loop_get, runs)
    return {"list_ms": list_ms, "admin_ms": admin_ms, "loop_ms": loop_ms}


def measure_export(export_format, size):
    """Seconds and peak RSS above the baseline for one download of every action."""
    import resource

    from django.urls import reverse

    s = subjects(size)
    client = client_for(s["board"])
    fetch(client, reverse("plans:action_list"))()  # warm: the baseline includes a rendered page
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    body = fetch(client, reverse("plans:action_list") + f"?year=all&export={export_format}")()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "extra_mb": (peak - baseline) / 1024, "bytes": len(body)}


def session_cookie(size):
    """A signed-in session for the board member, stored in the database gunicorn reads."""
    from django.conf import settings

    s = subjects(size)
    client = client_for(s["board"])
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def child(args):
    set_up_django()
    if args.child == "pages":
        result = measure_pages(args.size, args.runs)
    elif args.child == "session":
        result = session_cookie(args.size)
    elif args.child == "urls":
        result = {"pages": {name: {"url": url} for name, role, url in pages(subjects(args.size))}}
    else:
        result = measure_export(args.child, args.size)
    print(json.dumps(result))


def run_child(kind, db, size, runs=7):
    command = [PYTHON, __file__, "--child", kind, "--db", db, "--size", size, "--runs", str(runs)]
    done = subprocess.run(command, env=django_env(db, size), cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{kind} on {db} {size} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- gunicorn throughput ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hammer(port, path, cookie, seconds, threads=4, limit=2000):
    """Requests per second over keep-alive connections, for at most `seconds` or `limit` requests."""
    import http.client

    done, failures, lock = [0], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                if done[0] >= limit:
                    return
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            with lock:
                done[0] += 1
                failures[0] += response.status != 200

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return {"rps": done[0] / (time.perf_counter() - started), "requests": done[0], "failures": failures[0]}


def measure_gunicorn(db, size, paths, seconds):
    cookie = run_child("session", db, size)["cookie"]
    port = free_port()
    env = django_env(db, size) | {"SECURE_COOKIES": "0"}
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "sipportal.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.2)
        results = {}
        for name, path in paths.items():
            hammer(port, path, cookie, 2, limit=20)  # warm both workers
            results[name] = hammer(port, path, cookie, seconds)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the report -------------------------------------------------------------------------------------


def verdict(ok):
    return "ok" if ok else "MISS"


def print_pages(db, seed, national):
    print(f"\n## {db}: seed ({seed['subjects']['partnership']}) vs national ({national['subjects']['partnership']})")
    print(f"My actions manager at national: {national['subjects']['manager']} with "
          f"{national['subjects']['manager_actions']} actions")  # fmt: skip
    print("| page | queries seed | queries national | ms seed | ms national | growth | KB national | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, big in national["pages"].items():
        small = seed["pages"].get(name)
        if small is None:
            continue  # a page the seed run did not know
        growth = big["ms"] / small["ms"] if small["ms"] else float("inf")
        limit = TARGET_PDF_MS if name == "report PDF" else TARGET_MS
        ok = big["ms"] <= limit and (name == "report PDF" or growth <= TARGET_GROWTH)
        ok = ok and abs(big["queries"] - small["queries"]) <= TARGET_QUERY_DRIFT
        print(
            f"| {name} | {small['queries']} | {big['queries']} | {small['ms']:.0f} | {big['ms']:.0f} "
            f"| {growth:.1f}x | {big['bytes'] / 1024:.0f} | {verdict(ok)} |"
        )
    for label, data in (("seed", seed), ("national", national)):
        r = data["ratios"]
        ratio = r["list_ms"] / r["admin_ms"]
        print(
            f"{label}: all actions {r['list_ms']:.0f} ms, admin changelist {r['admin_ms']:.0f} ms, template loop "
            f"{r['loop_ms']:.0f} ms: list/admin {ratio:.2f}x ({verdict(ratio <= TARGET_ADMIN_RATIO)}), "
            f"list/loop {r['list_ms'] / r['loop_ms']:.1f}x"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both, comma-separated")
    parser.add_argument("--scale", default="national", help="generate_demo --scale for the national database")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-gunicorn", action="store_true")
    parser.add_argument("--skip-pages", action="store_true", help="only exports and gunicorn")
    parser.add_argument("--gunicorn-db", default="postgres")
    parser.add_argument("--gunicorn-seconds", type=float, default=10)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    for db in args.db.split(","):
        for size in ("seed", "national"):
            build(db, size, args.scale, args.rebuild)
        if args.skip_pages:
            national = run_child("urls", db, "national")
        else:
            seed, national = run_child("pages", db, "seed", args.runs), run_child("pages", db, "national", args.runs)
            print_pages(db, seed, national)
        if not args.skip_exports:
            for export_format in ("csv", "xlsx"):
                found = run_child(export_format, db, "national")
                ok = found["extra_mb"] <= EXPORT_MEMORY_MB
                print(
                    f"{db} national: {export_format.upper()} export of every action: {found['seconds']:.1f} s, "
                    f"+{found['extra_mb']:.0f} MB peak RSS above baseline, {found['bytes'] / 1e6:.1f} MB "
                    f"({verdict(ok)} against +{EXPORT_MEMORY_MB} MB)"
                )
        if not args.skip_gunicorn and db in args.gunicorn_db.split(","):
            s = json.loads(json.dumps(national["pages"]))
            paths = {"login": "/login/", "plan dashboard": s["plan dashboard"]["url"]}
            paths["all actions"] = s["all actions, 50 rows"]["url"]
            found = measure_gunicorn(db, "national", paths, args.gunicorn_seconds)
            login = found["login"]["rps"]
            for name, row in found.items():
                share = row["rps"] / login
                ok = name != "plan dashboard" or share >= TARGET_THROUGHPUT
                print(
                    f"{db} national under gunicorn -w 2: {name} {row['rps']:.1f} req/s "
                    f"({row['requests']} requests, {row['failures']} failed), {share:.2f} of login's ({verdict(ok)})"
                )


if __name__ == "__main__":
    main()
