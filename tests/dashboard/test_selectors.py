import datetime

import pytest

from dashboard import selectors
from dashboard.choices import ReportStatus
from dashboard.models import QuarterlyReport
from plans.choices import ActionStatus
from plans.models import Plan
from plans.periods import FinancialQuarter
from plans.services import action_update_progress
from tests.factories import ActionFactory

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

    (row,) = selectors.overview(partnerships=[Partnership.objects.get(slug="east-ayrshire-hscp")], quarter=Q1)
    return row["actions"], row["open_risks"]


# The Overview aggregation is being rewritten (issue 12) to count only Plan.objects.current() and in_force()
# rows; this pins the figures the board reported wrong. Remove the marker once that rewrite is merged.
@pytest.mark.xfail(reason="Overview counts every year until the issue 12 rewrite uses Plan.objects.current()")
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
