import datetime

import pytest
from django.utils import timezone

from dashboard import selectors
from dashboard.choices import ReportStatus
from dashboard.models import QuarterlyReport
from plans.choices import ActionStatus, PlanStatus
from plans.models import Partnership, Plan
from plans.periods import FinancialQuarter
from plans.services import action_update_progress
from risks.choices import RiskStatus
from tests.factories import ActionFactory, PartnershipFactory, PlanFactory, RiskFactory

Q1, Q2 = FinancialQuarter(2021, 1), FinancialQuarter(2021, 2)
TODAY = datetime.date(2021, 9, 15)  # in Q2


def record(action, author, status, period, percent=None, commentary="Noted."):
    action.refresh_from_db()
    return action_update_progress(
        action=action,
        author=author,
        status=status,
        percent_complete=percent,
        commentary=commentary,
        period=period,
        expected_version=action.version,
    )


@pytest.fixture
def four_actions(plan, superuser):
    improves, worsens, new, untouched = (ActionFactory(plan=plan, reference=f"A{i}") for i in range(1, 5))
    record(improves, superuser, ActionStatus.RED, Q1, 10)
    record(improves, superuser, ActionStatus.GREEN, Q2, 50)
    record(worsens, superuser, ActionStatus.GREEN, Q1, 60)
    record(worsens, superuser, ActionStatus.AMBER, Q2, 70, commentary="Staff shortages.")
    record(new, superuser, ActionStatus.COMPLETE, Q2, 100)
    untouched.due_date = datetime.date(2021, 6, 30)
    untouched.save()
    return improves, worsens, new, untouched


def test_rag_counts_and_movement_since_last_quarter(plan, four_actions):
    summary = selectors.action_summary(actions=plan.actions.all(), quarter=Q2, today=TODAY)
    rag = {row["status"]: (row["count"], row["previous"]) for row in summary["rag"]}
    assert rag["green"] == (1, 1)
    assert rag["amber"] == (1, 0)
    assert rag["red"] == (0, 1)
    assert rag["complete"] == (1, 0)
    assert rag["not_assessed"] == (1, 2)
    movement = {row["key"]: row["count"] for row in summary["movement"]}
    assert movement == {"improved": 1, "worsened": 1, "unchanged": 1, "new": 1}


def test_completion_overdue_and_not_updated(plan, four_actions):
    summary = selectors.action_summary(actions=plan.actions.all(), quarter=Q2, today=TODAY)
    assert summary["percent_complete"] == round((50 + 70 + 100) / 3)
    assert summary["percent_basis"] == 3
    assert summary["overdue"] == 1  # the untouched action was due 30 June
    assert summary["not_updated"] == 1


def test_exceptions_are_red_and_amber_with_latest_commentary(plan, four_actions):
    summary = selectors.action_summary(actions=plan.actions.all(), quarter=Q2, today=TODAY)
    assert [(e["reference"], e["status"], e["commentary"]) for e in summary["exceptions"]] == [
        ("A2", "amber", "Staff shortages.")
    ]


def test_a_past_quarter_reads_the_updates_of_its_time(plan, four_actions):
    summary = selectors.action_summary(actions=plan.actions.all(), quarter=Q1, today=TODAY)
    rag = {row["status"]: row["count"] for row in summary["rag"]}
    assert (rag["red"], rag["green"], rag["complete"]) == (1, 1, 0)


@pytest.mark.parametrize("rows", [3, 30])
def test_dashboard_queries_do_not_grow_with_data(plan, superuser, rows, django_assert_max_num_queries):
    for action in ActionFactory.create_batch(rows, plan=plan):
        record(action, superuser, ActionStatus.AMBER, Q1, 20)
    with django_assert_max_num_queries(9):
        data = selectors.plan_dashboard(plan=plan, quarter=Q1, today=TODAY)
    assert data["actions"]["total"] == rows


def test_default_quarter_is_the_latest_with_data(seeded):
    moray = Plan.objects.filter(slug="moray-loip-children-2021-22")
    assert selectors.default_quarter(plans=moray, today=datetime.date(2026, 11, 22)) == Q1
    # A finished plan without data opens on its last quarter.
    east_ayrshire = Plan.objects.filter(slug="east-ayrshire-chcj-sip-2020-21")
    assert selectors.default_quarter(plans=east_ayrshire, today=datetime.date(2026, 11, 22)) == FinancialQuarter(
        2020, 4
    )


def test_quarter_choices_cover_the_plan_to_now(seeded):
    moray = Plan.objects.filter(slug="moray-loip-children-2021-22")
    choices = selectors.quarter_choices(plans=moray, today=datetime.date(2022, 1, 10))
    assert choices[0] == FinancialQuarter(2021, 4)
    assert choices[-1] == Q1


def test_seeded_measures_are_assessed_without_inventing_values(seeded):
    plan = Plan.objects.filter(slug="east-ayrshire-chcj-sip-2020-21")
    measures = {m["title"]: m for m in selectors.measure_summary(plans=plan)}
    complaints = measures["Number of complaints"]
    assert (complaints["status"], complaints["latest"]) == ("no_trend", "75 (2018/19)")
    eager = measures["% of relevant workforce with active EAGER"]
    # Issue 11: a 2019/20 result is not judged against the 2020/21 target (was "off_target").
    assert (eager["status"], eager["latest"]) == ("not_comparable", "48% (2019/20)")
    assert eager["series"] == [("2018/19", 90.0), ("2019/20", 48.0)]


def test_closed_quarters_say_who_signed_them_off_and_when(plan, partnership_admin):
    QuarterlyReport.objects.create(
        plan=plan,
        period_year=2021,
        period_quarter=1,
        status=ReportStatus.SIGNED_OFF,
        signed_off_by=partnership_admin,
        signed_off_at=datetime.datetime(2021, 8, 3, 10, tzinfo=datetime.UTC),
    )
    QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=2)
    name = partnership_admin.get_full_name() or partnership_admin.get_username()
    assert selectors.closed_quarters(plan=plan) == {Q1: f"signed off by {name} on 3 August 2021"}


def _east_ayrshire_overview():
    from plans.models import Partnership

    (row,) = selectors.overview(partnerships=Partnership.objects.filter(slug="east-ayrshire-hscp"), quarter=Q1)
    return row["actions"], row["open_risks"]


# The figures the board reported wrong: 50 actions and 10 open risks after roll-over and publish.
@pytest.mark.django_db
def test_overview_counts_east_ayrshire_once_after_rollover_and_publish(seeded, django_user_model):
    from plans.services import plan_publish, plan_rollover

    user = django_user_model.objects.create(username="root", is_superuser=True)
    assert _east_ayrshire_overview() == (31, 5)
    new_plan, _ = plan_rollover(plan=Plan.objects.get(slug="east-ayrshire-chcj-sip-2020-21"), user=user, dry_run=False)
    plan_publish(plan=new_plan, user=user)
    assert _east_ayrshire_overview() == (31, 5)


@pytest.mark.django_db
def test_plan_dashboard_leaves_withdrawn_rows_out_of_every_figure(plan):
    from django.utils import timezone

    from plans.models import BudgetLine, PlannedEfficiency
    from tests.factories import MeasureFactory, RiskFactory, ServiceFactory

    gone = timezone.now()
    ActionFactory(plan=plan, reference="A01")
    ActionFactory(plan=plan, reference="A02", withdrawn_at=gone)
    MeasureFactory(plan=plan)
    MeasureFactory(plan=plan, withdrawn_at=gone)
    RiskFactory(partnership=plan.partnership, plan=plan)
    RiskFactory(partnership=plan.partnership, plan=plan, withdrawn_at=gone)
    service = ServiceFactory(partnership=plan.partnership)
    BudgetLine.objects.create(plan=plan, service=service, financial_year=2021, amount=100)
    BudgetLine.objects.create(plan=plan, service=service, financial_year=2022, amount=900, withdrawn_at=gone)
    PlannedEfficiency.objects.create(plan=plan, number=1, division="D", option="O", planned_saving=10)
    PlannedEfficiency.objects.create(plan=plan, number=2, division="D", option="P", planned_saving=9, withdrawn_at=gone)

    data = selectors.plan_dashboard(plan=plan, quarter=Q1, today=TODAY)

    assert (data["actions"]["total"], len(data["measures"]), data["risks"]["open"]) == (1, 1, 1)
    assert (data["money"]["budget_total"], data["money"]["planned_total"]) == (100, 10)


# --- the cross-partnership Overview ---------------------------------------------------------------


def overview_row(partnership, quarter=Q2):
    partnerships = Partnership.objects.filter(pk=partnership.pk)
    (row,) = selectors.overview(partnerships=partnerships, quarter=quarter, today=TODAY)
    return row


def test_overview_row_agrees_with_the_plan_dashboard(plan, four_actions):
    row = overview_row(plan.partnership)
    summary = selectors.action_summary(actions=plan.actions.all(), quarter=Q2, today=TODAY)
    assert row["actions"] == summary["total"] == 4
    assert row["rag"] == {r["status"]: r["count"] for r in summary["rag"]}
    assert row["movement"] == {m["key"]: m["count"] for m in summary["movement"]}
    assert row["movement"]["worsened"] == row["movement"]["improved"] == 1
    assert (row["percent_complete"], row["overdue"], row["not_updated"]) == (73, 1, 1)
    assert overview_row(plan.partnership, Q1)["rag"]["red"] == 1  # a past quarter reads its own updates


def test_overview_counts_only_current_plans_and_rows_in_force(plan, four_actions, superuser):
    older = PlanFactory(partnership=plan.partnership, start_year=2020, end_year=2020)
    draft = PlanFactory(
        partnership=plan.partnership, start_year=2022, end_year=2022, status=PlanStatus.DRAFT, predecessor=plan
    )
    for other in (older, draft):
        record(ActionFactory(plan=other), superuser, ActionStatus.RED, Q1)
    type(older).objects.filter(pk=older.pk).update(status=PlanStatus.SUPERSEDED)  # after its year's updates
    withdrawn = ActionFactory(plan=plan, withdrawn_at=timezone.now())
    record(withdrawn, superuser, ActionStatus.RED, Q2)
    RiskFactory(partnership=plan.partnership, plan=plan)
    RiskFactory(partnership=plan.partnership, plan=None, review_date=datetime.date(2020, 1, 1))
    RiskFactory(partnership=plan.partnership, plan=plan, withdrawn_at=timezone.now())
    RiskFactory(partnership=plan.partnership, plan=older)  # the superseded year's copy of a risk
    RiskFactory(partnership=plan.partnership, plan=plan, status=RiskStatus.CLOSED)
    row = overview_row(plan.partnership)
    assert row["actions"] == 4 and row["rag"]["red"] == 0
    assert (row["open_risks"], row["overdue_reviews"]) == (2, 1)


def test_overview_puts_the_most_worsened_partnership_first(plan, four_actions, superuser):
    steady = PlanFactory(partnership=PartnershipFactory(name="Aberdeen Test HSCP")).partnership
    worse = PlanFactory(partnership=PartnershipFactory(name="Zetland Test HSCP"))
    for action in ActionFactory.create_batch(2, plan=worse):
        record(action, superuser, ActionStatus.GREEN, Q1)
        record(action, superuser, ActionStatus.RED, Q2)
    partnerships = Partnership.objects.filter(pk__in=[plan.partnership_id, steady.pk, worse.partnership_id])
    rows = selectors.overview(partnerships=partnerships, quarter=Q2, today=TODAY)
    assert [(r["partnership"].name, r["movement"]["worsened"]) for r in rows] == [
        ("Zetland Test HSCP", 2),
        (plan.partnership.name, 1),
        ("Aberdeen Test HSCP", 0),
    ]
    assert rows[2]["actions"] == 0 and rows[2]["percent_complete"] is None


@pytest.mark.parametrize("partnerships", [1, 6])
def test_overview_queries_do_not_grow_with_partnerships_or_updates(superuser, partnerships, django_assert_num_queries):
    for _ in range(partnerships):
        for action in ActionFactory.create_batch(3, plan=PlanFactory()):
            record(action, superuser, ActionStatus.GREEN, Q1)
            record(action, superuser, ActionStatus.AMBER, Q2)
    with django_assert_num_queries(2):
        rows = selectors.overview(partnerships=Partnership.objects.all(), quarter=Q2, today=TODAY)
    assert [r["movement"]["worsened"] for r in rows] == [3] * partnerships


# --- plan years, for the partnership dashboard -----------------------------------------------------


def test_year_choices_default_year_and_the_plans_of_a_year(partnership):
    first = PlanFactory(partnership=partnership, start_year=2019, end_year=2021, status=PlanStatus.SUPERSEDED)
    second = PlanFactory(partnership=partnership, start_year=2021, end_year=2022, predecessor=first)
    PlanFactory(partnership=partnership, start_year=2023, end_year=2023, status=PlanStatus.DRAFT, predecessor=second)
    plans = partnership.plans.all()
    years = selectors.year_choices(plans=plans)
    assert years == [2022, 2021, 2020, 2019]  # the rolled-over draft's year is nobody's figures yet
    assert selectors.default_year(years=years, today=datetime.date(2022, 5, 1)) == 2022
    assert selectors.default_year(years=years, today=datetime.date(2030, 5, 1)) == 2022
    assert selectors.default_year(years=years, today=datetime.date(2010, 5, 1)) == 2019
    assert list(selectors.plans_of_year(plans=plans, year=2020)) == [first]
    assert list(selectors.plans_of_year(plans=plans, year=2021)) == [second]  # its successor replaces it
    assert selectors.year_quarters(year=2022, today=datetime.date(2022, 8, 1)) == [
        FinancialQuarter(2022, 2),
        FinancialQuarter(2022, 1),
    ]
