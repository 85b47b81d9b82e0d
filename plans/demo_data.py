"""Synthetic partnerships, plans and action histories at Scottish national scale.

Used by `manage.py generate_demo` (in dashboard, the layer that may see every app), which then asks
`risks` and `dashboard` to add their own rows to the plans made here. Everything is seeded, so a seed
and a "today" always give the same data. Rows go in with bulk_create for speed, but they follow the
services' rules: every update chains from the status before it, an action's status, percent and
version are those its last update left, and each model keeps its history rows.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from plans.choices import ActionCategory, ActionStatus, MembershipRole, PartnershipKind, PlanKind, PlanStatus
from plans.models import ImprovementAction, Membership, Partnership, Plan, ProgressUpdate, Service, Theme
from plans.periods import FinancialQuarter, financial_year_label, financial_year_of

SLUG_PREFIX = "demo-"
CHANGE_REASON = "Generated demo data"
AREAS = [
    "Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "Clackmannanshire", "Dumfries and Galloway",
    "Dundee City", "East Dunbartonshire", "East Lothian", "East Renfrewshire", "City of Edinburgh", "Falkirk",
    "Fife", "Glasgow City", "Highland", "Inverclyde", "Midlothian", "North Ayrshire", "North Lanarkshire",
    "Orkney Islands", "Perth and Kinross", "Renfrewshire", "Scottish Borders", "Shetland Islands",
    "South Lanarkshire", "Stirling", "West Dunbartonshire", "West Lothian", "Western Isles", "Inverness",
    "Lochaber", "Badenoch",
]  # fmt: skip
SERVICES = [
    "Children and Families", "Justice Social Work", "Adult Protection", "Mental Health", "Learning Disability",
    "Older People", "Addictions", "Primary Care", "Carers Support", "Community Hospitals", "Housing Support",
    "Early Years",
]  # fmt: skip
VERBS = ["Improve", "Reduce", "Increase", "Review", "Develop", "Embed", "Extend", "Redesign"]
SUBJECTS = [
    "permanence planning for looked after children", "waiting times for assessment", "uptake of self-directed support",
    "multi-agency chronologies", "throughcare and aftercare", "staff wellbeing and retention",
    "early help for families", "delayed discharge from hospital", "carers' assessments", "community payback orders",
]  # fmt: skip
RAG_WALK = [ActionStatus.RED, ActionStatus.AMBER, ActionStatus.GREEN]


@dataclass(frozen=True)
class DemoShape:
    """How much to make per partnership. The defaults give the national figures in the README."""

    partnerships: int = 64
    years: int = 8
    actions_per_plan: int = 60
    services_per_partnership: int = 10
    themes_per_plan: int = 4


@dataclass
class DemoWorld:
    """What the plans generator made, for the other apps' generators to build on."""

    today: datetime.date
    partnerships: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    services: dict = field(default_factory=dict)  # partnership pk -> [Service]
    managers: dict = field(default_factory=dict)  # partnership pk -> User
    board: object = None

    @property
    def current_quarter(self):
        return FinancialQuarter.containing(self.today)


def insert_rows(model, rows, batch_size=5000):
    """INSERT plain rows (dicts of column attname -> value) for rows nothing else will point at.

    bulk_create compiles every value of every row through the ORM, which made most of the run time
    at national scale; one prepared INSERT run with executemany does the same in a fraction of it.
    Values still go through each field's get_db_prep_save, so dates, times and JSON are stored as
    the ORM would store them.
    """
    if not rows:
        return
    # Columns the rows leave out take their field's default, as the ORM would give them.
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0] or not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in rows[0]}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.executemany(
                sql,
                [
                    [
                        field.get_db_prep_save(row.get(field.attname, defaults.get(field.attname)), connection)
                        for field in fields
                    ]
                    for row in batch
                ],
            )


def create_with_history(model, objects, batch_size=2000):
    """bulk_create, and each row's first history entry, as simple_history would record a creation."""
    objects = model.objects.bulk_create(objects, batch_size=batch_size)
    fields = [field.attname for field in model._meta.concrete_fields]
    now = timezone.now()
    insert_rows(
        model.history.model,
        [
            {name: getattr(obj, name) for name in fields}
            | {
                "history_date": now,
                "history_type": "+",
                "history_change_reason": CHANGE_REASON,
                "history_user_id": None,
            }
            for obj in objects
        ],
    )
    return objects


def moment_in(quarter, rng, today):
    """A working-day time inside the quarter, never after today."""
    last = min(quarter.last_day, today)
    day = last - datetime.timedelta(days=rng.randint(0, max(0, (last - quarter.first_day).days)))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 8), rng.randint(0, 59))))


def partnership_names(count):
    """(name, slug, kind): an HSCP and a CPP per area, numbered once the areas run out."""
    names = []
    for index in range(count):
        area = AREAS[(index // 2) % len(AREAS)]
        round_number = index // (2 * len(AREAS))
        area = f"{area} {round_number + 1}" if round_number else area
        kind = PartnershipKind.HSCP if index % 2 == 0 else PartnershipKind.CPP
        name = f"{area} {kind.name} (demo)"
        names.append((name, SLUG_PREFIX + f"{area} {kind.name}".lower().replace(" ", "-"), kind))
    return names


@transaction.atomic
def generate_plans(*, shape, rng, today, password=None):
    """Partnerships with their services, people, yearly plans, themes, actions and quarterly updates."""
    world = DemoWorld(today=today)
    if Partnership.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError("Demo partnerships already exist: generate into a fresh database.")
    world.partnerships = Partnership.objects.bulk_create(
        Partnership(name=name, slug=slug, kind=kind, local_authority=name.split(" HSCP")[0].split(" CPP")[0])
        for name, slug, kind in partnership_names(shape.partnerships)
    )
    _create_services(world, shape)
    _create_people(world, password)
    _create_plans(world, shape)
    _create_actions(world, shape, rng)
    return world


def _create_services(world, shape):
    services = Service.objects.bulk_create(
        Service(partnership=partnership, name=name)
        for partnership in world.partnerships
        for name in SERVICES[: shape.services_per_partnership]
    )
    for service in services:
        world.services.setdefault(service.partnership_id, []).append(service)


def _create_people(world, password):
    """A viewer, a manager and an admin per partnership, and a board member who sees them all.

    Without a password (DEBUG off) the accounts cannot sign in: only tests and benchmarks use them.
    """
    User = get_user_model()
    hashed = make_password(password)  # once: hashing per user would take most of the run
    users = User.objects.bulk_create(
        User(username=f"{partnership.slug}-{role.value.removeprefix('partnership_')}", password=hashed,
             first_name=partnership.local_authority, last_name=role.label)
        for partnership in world.partnerships
        for role in MembershipRole
    )  # fmt: skip
    roles = list(MembershipRole) * len(world.partnerships)
    partnerships = [p for p in world.partnerships for _ in MembershipRole]
    world.board, _ = User.objects.get_or_create(
        username="board", defaults={"first_name": "Board", "last_name": "Member", "password": hashed}
    )
    memberships = [
        Membership(user=u, partnership=p, role=r) for u, p, r in zip(users, partnerships, roles, strict=True)
    ]
    memberships += [Membership(user=world.board, partnership=p, role=MembershipRole.VIEWER) for p in world.partnerships]
    Membership.objects.bulk_create(memberships)
    world.managers = {
        p.pk: u for u, p, r in zip(users, partnerships, roles, strict=True) if r == MembershipRole.MANAGER
    }


def _create_plans(world, shape):
    """One plan per financial year, each the successor of the year before (see `supersede_earlier_years`)."""
    this_year = financial_year_of(world.today)
    previous = {}
    for year in range(this_year - shape.years + 1, this_year + 1):
        plans = [
            Plan(partnership=partnership, kind=PlanKind.SERVICE_IMPROVEMENT_PLAN, start_year=year, end_year=year,
                 title=f"{partnership.local_authority} Service Improvement Plan",
                 slug=f"{partnership.slug}-sip-{year}", predecessor=previous.get(partnership.pk),
                 status=PlanStatus.PUBLISHED,
                 summary=f"Synthetic demonstration plan for {financial_year_label(year)}.")
            for partnership in world.partnerships
        ]  # fmt: skip
        plans = create_with_history(Plan, plans)
        previous = {plan.partnership_id: plan for plan in plans}
        world.plans += plans
    world.plans = list(Plan.objects.filter(partnership__in=world.partnerships).order_by("partnership", "start_year"))


def supersede_earlier_years(*, world):
    """Only this year's plans stay live. Done last: a superseded plan refuses the updates and reviews made before."""
    this_year = financial_year_of(world.today)
    earlier = [plan.pk for plan in world.plans if plan.start_year < this_year]
    Plan.objects.filter(pk__in=earlier).update(status=PlanStatus.SUPERSEDED)


def _create_actions(world, shape, rng):
    themes = create_with_history(
        Theme,
        [Theme(plan=plan, reference=str(n), title=f"Theme {n}: {rng.choice(SUBJECTS).capitalize()}", order=n)
         for plan in world.plans for n in range(1, shape.themes_per_plan + 1)],
    )  # fmt: skip
    themes_of = {}
    for theme in themes:
        themes_of.setdefault(theme.plan_id, []).append(theme)
    actions, histories = [], []
    for plan in world.plans:
        for number in range(1, shape.actions_per_plan + 1):
            action = _action(plan, number, rng, themes_of[plan.pk], world.services[plan.partnership_id])
            histories.append(_history(action, plan, rng, world))
            actions.append(action)
    actions = create_with_history(ImprovementAction, actions)
    insert_rows(
        ImprovementAction.responsible_users.through,
        [{"improvementaction_id": a.pk, "user_id": world.managers[a.plan.partnership_id].pk} for a in actions],
    )
    insert_rows(
        ProgressUpdate,
        [
            update | {"action_id": action.pk}
            for action, history in zip(actions, histories, strict=True)
            for update in history
        ],
    )


def _action(plan, number, rng, themes, services):
    service = rng.choice(services)
    category = rng.choice(ActionCategory.values)
    return ImprovementAction(
        plan=plan, theme=themes[number % len(themes)], service=service, reference=f"A{number:02d}",
        category=category, title=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} ({service.name})",
        outcome="Children, families and adults get the right support at the right time.",
        responsible=f"Service Manager, {service.name}", order=number,
        start_date=datetime.date(plan.start_year, 4, 1),
        due_date=datetime.date(plan.start_year + rng.choice([0, 0, 1]), rng.choice([6, 9, 12, 3]), 28),
    )  # fmt: skip


def _history(action, plan, rng, world):
    """The action's quarterly updates, oldest first, and the state they leave it in."""
    quarters = [FinancialQuarter(plan.start_year, q) for q in range(1, 5)]
    current = world.current_quarter
    quarters = [q for q in quarters if q < current or (q == current and rng.random() < 0.5)]
    status, percent, updates = ActionStatus.NOT_ASSESSED, 0, []
    author = world.managers[plan.partnership_id]
    for index, quarter in enumerate(quarters):
        before = status
        percent = min(100, percent + rng.randint(10, 35))
        last_of_year = index == 3
        status = ActionStatus.COMPLETE if percent == 100 or (last_of_year and rng.random() < 0.5) else None
        status = status or rng.choice(RAG_WALK)
        percent = 100 if status == ActionStatus.COMPLETE else percent
        updates.append({
            "period_year": quarter.start_year, "period_quarter": quarter.quarter, "status_before": before,
            "status": status, "percent_complete": percent, "author_id": author.pk,
            "created_at": moment_in(quarter, rng, world.today),
            "commentary": f"{quarter}: {ActionStatus(status).label.lower()}, {percent}% complete.",
        })  # fmt: skip
        if status == ActionStatus.COMPLETE:
            break
    if updates:
        action.status, action.percent_complete = status, percent
        action.version, action.updated_at = 1 + len(updates), updates[-1]["created_at"]
    return updates
