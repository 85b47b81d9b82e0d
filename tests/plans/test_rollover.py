"""Each app's roll-over step carries its own rows, in bulk, with their links and history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import selectors
from plans.choices import ActionStatus, PlanStatus
from plans.models import NationalOutcome, Plan, PlanSuperseded, Theme
from plans.periods import FinancialQuarter
from plans.permissions import can_update_action
from plans.rollover import next_year_title, steps
from plans.services import action_update_progress, plan_publish, plan_rollover
from risks.models import Mitigation
from risks.services import risk_review
from tests.factories import ActionFactory, MeasureFactory, RiskFactory


def test_every_app_registers_its_step_in_order():
    assert [step.name for step in steps()] == ["actions", "measures", "risks"]


@pytest.mark.django_db
def test_carried_rows_keep_their_links_and_start_their_history(plan, owner, superuser):
    outcome = NationalOutcome.objects.create(number=4, text="Children are safe")
    action = ActionFactory(plan=plan, reference="A02", status=ActionStatus.RED)
    action.national_outcomes.add(outcome)
    action.responsible_users.add(owner)
    risk = RiskFactory(partnership=plan.partnership, plan=plan, reference="R1", likelihood=3, impact=4)
    Mitigation.objects.create(risk=risk, kind="current", text="Weekly huddle", order=1)
    Mitigation.objects.create(risk=risk, kind="planned", text="Recruit", order=2)
    MeasureFactory(plan=plan, title="Reviews on time", target_year=2021)

    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False)

    copies = {a.reference: a for a in new_plan.actions.all()}
    assert set(copies) == {"A01", "A02"}
    assert list(copies["A02"].national_outcomes.all()) == [outcome]
    assert list(copies["A02"].responsible_users.all()) == [owner]
    assert copies["A02"].history.count() == 1
    (risk_copy,) = new_plan.risks.all()
    assert (risk_copy.likelihood, risk_copy.impact, risk_copy.history.count()) == (3, 4, 1)
    assert [(m.kind, m.text) for m in risk_copy.mitigations.all()] == [
        ("current", "Weekly huddle"),
        ("planned", "Recruit"),
    ]
    measure_copy = new_plan.measures.get()
    assert (measure_copy.title, measure_copy.target_year, measure_copy.baseline_note) == ("Reviews on time", 2022, "")


# --- one current year: publishing the new year supersedes the old one (issue 10) -----------------

EAST_AYRSHIRE_SIP = "east-ayrshire-chcj-sip-2020-21"


def roll_over_and_publish(plan, user, **kwargs):
    new_plan, _ = plan_rollover(plan=plan, user=user, dry_run=False, **kwargs)
    plan_publish(plan=new_plan, user=user)
    plan.refresh_from_db()
    return new_plan


def east_ayrshire_counts(user):
    found = {p.slug: p for p in selectors.partnerships_with_counts(user=user)}["east-ayrshire-hscp"]
    return found.action_count, found.open_risk_count


@pytest.mark.django_db
def test_publishing_the_new_year_supersedes_its_predecessor_with_history(plan, superuser):
    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False)
    assert list(Plan.objects.current()) == [plan]  # the draft does not count yet

    plan_publish(plan=new_plan, user=superuser)

    plan.refresh_from_db()
    assert (plan.status, new_plan.status) == (PlanStatus.SUPERSEDED, PlanStatus.PUBLISHED)
    assert plan.history.first().history_change_reason == f"Superseded by {new_plan.period_label}, published by root"
    assert list(Plan.objects.current()) == [new_plan]
    assert plan.successor == new_plan and new_plan.predecessor == plan


@pytest.mark.django_db
def test_east_ayrshire_counts_once_before_and_after_rollover_and_publish(seeded, superuser):
    assert east_ayrshire_counts(superuser) == (31, 5)
    sip = Plan.objects.get(slug=EAST_AYRSHIRE_SIP)
    new_plan, _ = plan_rollover(plan=sip, user=superuser, dry_run=False)
    assert east_ayrshire_counts(superuser) == (31, 5)  # the draft is not counted
    plan_publish(plan=new_plan, user=superuser)
    assert east_ayrshire_counts(superuser) == (31, 5)  # nor is the superseded year


@pytest.mark.django_db
def test_my_actions_lists_each_action_once_labelled_with_its_year(plan, owner, action, superuser):
    new_plan = roll_over_and_publish(plan, superuser)

    mine = selectors.my_actions(user=owner)

    assert [a.label for a in mine["actions"]] == [f"A01 · {new_plan.period_label}"]
    assert mine["actions"][0].plan == new_plan


@pytest.mark.django_db
def test_withdrawn_rows_stay_listed_but_are_not_counted(plan, owner, action):
    ActionFactory(plan=plan, reference="A02", withdrawn_at=timezone.now())
    RiskFactory(partnership=plan.partnership, plan=plan, reference="R1")
    RiskFactory(partnership=plan.partnership, plan=plan, reference="R2", withdrawn_at=timezone.now())

    (found,) = selectors.partnerships_with_counts(user=owner)
    overview = selectors.plan_overview(plan=plan)

    assert (found.action_count, found.open_risk_count) == (1, 1)
    assert (overview["counts"]["actions"], overview["counts"]["risks"]) == (1, 1)
    assert sum(count for _, _, count in overview["status_counts"]) == 1
    assert plan.actions.count() == 2  # still there, to browse


@pytest.mark.django_db
def test_services_refuse_writes_to_a_superseded_plan(plan, owner, action, superuser):
    risk = RiskFactory(partnership=plan.partnership, plan=plan, reference="R1")
    roll_over_and_publish(plan, superuser)
    action.refresh_from_db()

    with pytest.raises(PlanSuperseded, match="superseded by 2022/23"):
        action_update_progress(
            action=action,
            author=owner,
            status=ActionStatus.GREEN,
            percent_complete=50,
            commentary="Late",
            period=FinancialQuarter(2021, 4),
            expected_version=action.version,
        )
    with pytest.raises(PlanSuperseded):
        risk_review(risk=risk, reviewer=owner, note="Looked again", likelihood=2, impact=2)
    assert not action.updates.exists() and not risk.reviews.exists()
    assert not can_update_action(owner, action)


# --- roll-over keeps the facts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "start", "end", "proposed"),
    [
        ("Children's Services Plan 2017", 2017, 2017, "Children's Services Plan 2018"),
        ("Service Improvement Plan 2020/21", 2020, 2020, "Service Improvement Plan 2021/22"),
        ("Service Improvement Plan 2020-21", 2020, 2020, "Service Improvement Plan 2021-22"),
        ("Integrated Children's Services Plan 2017-20", 2017, 2019, "Integrated Children's Services Plan 2018-21"),
        ("Strategic Plan 2018 – 2021", 2018, 2020, "Strategic Plan 2019 – 2022"),
        ("Keeping The Promise in East Ayrshire", 2021, 2023, "Keeping The Promise in East Ayrshire"),
        ("Plan 2020/21 (Community Plan 2015 – 30)", 2020, 2020, "Plan 2021/22 (Community Plan 2015 – 30)"),
    ],
)
def test_next_year_title_replaces_the_plans_own_years(title, start, end, proposed):
    assert next_year_title(title, start_year=start, end_year=end) == proposed


@pytest.mark.django_db
def test_rollover_keeps_timescales_themes_and_the_plans_source(plan, superuser):
    plan.title, plan.start_year, plan.end_year = "Children's Services Plan 2017-20", 2017, 2019
    plan.source_document, plan.source_title, plan.source_date = "000_x.txt", "The 2017-20 plan", "June 2017"
    plan.author, plan.summary, plan.service_area = "Head of Service", "What the plan is for.", "Children"
    plan.save()
    theme = Theme.objects.create(plan=plan, reference="1", title="Safe at home", order=1, progress_grade="sound")
    ActionFactory(
        plan=plan,
        reference="A06",
        theme=theme,
        category="transformation",
        start_text="July 2017",
        start_date=datetime.date(2017, 7, 1),
        due_date=datetime.date(2020, 3, 31),
        timescale_text="2017-20",
        responsible="Head of Service",
        status=ActionStatus.AMBER,
    )

    new_plan, preview = plan_rollover(plan=plan, user=superuser, dry_run=False)

    assert preview["title"] == "Children's Services Plan 2018-21"
    assert (new_plan.title, new_plan.period_label) == ("Children's Services Plan 2018-21", "2018/19 to 2020/21")
    facts = ("source_document", "source_title", "source_date", "author", "summary", "service_area")
    assert all(getattr(new_plan, name) == getattr(plan, name) for name in facts)
    carried = new_plan.actions.get()
    assert (carried.start_text, carried.start_date, carried.due_date, carried.timescale_text) == (
        "July 2017",
        datetime.date(2017, 7, 1),
        datetime.date(2020, 3, 31),
        "2017-20",
    )
    assert (carried.category, carried.responsible) == ("transformation", "Head of Service")
    assert carried.is_overdue(today=datetime.date(2021, 1, 1))
    assert (carried.theme.plan, carried.theme.title, carried.theme.progress_grade) == (new_plan, "Safe at home", "")


@pytest.mark.django_db
def test_rollover_takes_the_title_the_admin_chose(plan, superuser):
    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False, title="  Children's Plan 2022/23 ")
    assert new_plan.title == "Children's Plan 2022/23"
    assert new_plan.slug == f"{plan.partnership.slug}-childrens-plan-2022-23"


@pytest.mark.django_db
def test_rollover_preview_says_what_is_not_carried(plan, superuser, action):
    ActionFactory(plan=plan, reference="A02", withdrawn_at=timezone.now())
    RiskFactory(partnership=plan.partnership, plan=plan, reference="R9", status="closed")

    _, preview = plan_rollover(plan=plan, user=superuser, dry_run=True)

    assert preview["actions"] == ["A01"] and preview["withdrawn"] == ["A02"]
    assert preview["closed_risks"] == ["R9"]
    not_carried = " ".join(preview["not_carried"]).lower()
    assert "budget" in not_carried and "efficiencies" in not_carried and "progress updates" in not_carried


@pytest.mark.django_db
def test_the_rollover_page_proposes_a_title_the_admin_can_change(login, partnership_admin, plan):
    plan.title = "Children's Services Plan 2021/22"
    plan.save()
    client = login(partnership_admin)
    url = reverse("plans:plan_rollover", kwargs={"slug": plan.slug})

    page = client.get(url).text
    assert 'value="Children&#x27;s Services Plan 2022/23"' in page
    assert "Not carried" in page and "Budget (0 lines)" in page

    client.post(url, {"title": "Children's Services Plan 2022 to 2023"})
    assert Plan.objects.get(predecessor=plan).title == "Children's Services Plan 2022 to 2023"


@pytest.mark.django_db
def test_nothing_is_imported_into_a_superseded_plan(plan, superuser):
    from plans.import_services import plan_import

    roll_over_and_publish(plan, superuser)
    csv_text = "Reference,Theme & outcome,Action steps,RAG status\nB1,Families stay together,Map support,Green\n"

    result = plan_import(content=csv_text.encode(), filename="a.csv", user=superuser, plan=plan, dry_run=False)

    assert not result.written and "superseded by 2022/23" in result.problems[0].message
    assert not plan.actions.filter(reference="B1").exists()


@pytest.mark.django_db
def test_the_migration_supersedes_years_whose_successor_was_already_published(partnership):
    import importlib

    from django.apps import apps

    from tests.factories import PlanFactory

    migration = importlib.import_module("plans.migrations.0011_supersede_replaced_plans")
    replaced = PlanFactory(partnership=partnership, start_year=2020, end_year=2020)
    PlanFactory(partnership=partnership, predecessor=replaced)
    drafted = PlanFactory(partnership=partnership, start_year=2019, end_year=2019)
    PlanFactory(partnership=partnership, predecessor=drafted, start_year=2020, status=PlanStatus.DRAFT)

    migration.supersede_replaced_plans(apps, None)

    replaced.refresh_from_db(), drafted.refresh_from_db()
    assert (replaced.status, drafted.status) == (PlanStatus.SUPERSEDED, PlanStatus.PUBLISHED)


@pytest.mark.django_db
def test_publishing_warns_of_updates_awaiting_approval_in_the_old_year(login, partnership_admin, plan, owner, action):
    from tests.factories import record_progress

    plan.partnership.updates_need_approval = True
    plan.partnership.save()
    new_plan, _ = plan_rollover(plan=plan, user=partnership_admin, dry_run=False)
    update = record_progress(action, owner, ActionStatus.GREEN, FinancialQuarter(2021, 4))
    assert update.approval == "submitted"
    client = login(partnership_admin)

    page = client.get(reverse("plans:plan_publish", kwargs={"slug": new_plan.slug})).text
    assert "1 progress update(s) on the 2021/22 plan still await approval" in page and "becomes superseded" in page

    client.post(reverse("plans:plan_publish", kwargs={"slug": new_plan.slug}))
    assert list(selectors.updates_awaiting_approval(user=partnership_admin)) == []
    response = client.post(
        reverse("plans:update_decide", kwargs={"pk": update.pk}), {"decision": "approve"}, follow=True
    )
    assert "superseded by 2022/23" in response.text
    update.refresh_from_db()
    assert update.approval == "submitted"
