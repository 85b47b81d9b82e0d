"""East Ayrshire's counts before and after rolling its 2020/21 plan over and publishing the new year.

    .venv/bin/python bench/rollover_counts.py

Loads the seed fixtures into a throwaway SQLite database under /tmp, then prints, before the roll-over,
after it (the new year a draft) and after publishing the new year, East Ayrshire's improvement actions
and open risks as each page counts them: the partnerships page (home), the risk register's default
list, the cross-partnership Overview and the partnership dashboard. Each should stay at 31 actions
and 5 open risks: the draft is not counted, and publishing supersedes the old year.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    database = Path(tempfile.mkdtemp(prefix="sip-rollover-")) / "db.sqlite3"
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="bench", STATIC_MANIFEST="0", DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipportal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.yaml")), verbosity=0)


def counts(user):
    from dashboard import selectors as dashboard
    from plans import selectors as plans
    from plans.models import Partnership
    from plans.periods import FinancialQuarter
    from risks.filters import RiskFilterSet
    from risks.models import Risk

    partnership = Partnership.objects.get(slug="east-ayrshire-hscp")
    home = next(p for p in plans.partnerships_with_counts(user=user) if p.pk == partnership.pk)

    class Request:  # what RiskFilterSet reads from a request
        pass

    request = Request()
    request.user = user
    register = RiskFilterSet({"status": "open"}, Risk.objects.filter(partnership=partnership), request=request).qs
    quarter = FinancialQuarter.current()
    (overview,) = dashboard.overview(partnerships=Partnership.objects.filter(pk=partnership.pk), quarter=quarter)
    # The partnership dashboard opens on its default plan year, as the page does.
    year = dashboard.default_year(years=dashboard.year_choices(plans=partnership.plans.all()))
    year_plans = dashboard.plans_of_year(plans=partnership.plans.all(), year=year)
    board = dashboard.partnership_dashboard(partnership=partnership, plans=year_plans, quarter=quarter)
    return {
        "home (partnerships page)": (home.action_count, home.open_risk_count),
        "risk register, default (open)": ("-", register.count()),
        "Overview": (overview["actions"], overview["open_risks"]),
        "partnership dashboard (default year)": (board["actions"]["total"], board["risks"]["open"]),
    }


def show(stage, found):
    print(f"\n{stage}")
    for page, (actions, risks) in found.items():
        print(f"  {page:<46} actions {actions!s:>3}   open risks {risks!s:>3}")


def main():
    setup()
    from django.contrib.auth import get_user_model

    from plans.models import Plan
    from plans.services import plan_publish, plan_rollover

    user = get_user_model().objects.create(username="bench", is_superuser=True)
    show("Before the roll-over", counts(user))
    new_plan, _ = plan_rollover(plan=Plan.objects.get(slug="east-ayrshire-chcj-sip-2020-21"), user=user, dry_run=False)
    show(f"After the roll-over ({new_plan.title}, {new_plan.period_label}, draft)", counts(user))
    plan_publish(plan=new_plan, user=user)
    show("After publishing it (2020/21 superseded)", counts(user))


if __name__ == "__main__":
    main()
