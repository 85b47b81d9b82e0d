import datetime

import pytest

from plans import selectors
from plans.choices import ActionStatus
from plans.periods import FinancialQuarter
from tests.factories import ActionFactory, MeasureFactory, PlanFactory, RiskFactory, record_progress

Q1 = FinancialQuarter(2022, 1)


@pytest.mark.django_db
def test_partnerships_with_counts_include_what_other_apps_contribute(owner, partnership, other_partnership, plan):
    ActionFactory(plan=plan, reference="A02")
    RiskFactory(partnership=partnership, plan=plan)
    RiskFactory(partnership=partnership, plan=plan, status="closed")

    (found,) = selectors.partnerships_with_counts(user=owner)

    assert found == partnership
    assert (found.plan_count, found.action_count, found.open_risk_count) == (1, 2, 1)


@pytest.mark.django_db
def test_plans_with_counts_count_each_plans_own_rows(partnership, plan):
    other = PlanFactory(partnership=partnership, start_year=plan.start_year + 1, end_year=plan.end_year + 1)
    MeasureFactory(plan=plan)
    MeasureFactory(plan=plan)
    RiskFactory(partnership=partnership, plan=other)

    counts = {
        p.pk: (p.action_count, p.measure_count, p.risk_count)
        for p in selectors.plans_with_counts(partnership=partnership)
    }

    assert counts == {plan.pk: (0, 2, 0), other.pk: (0, 0, 1)}


@pytest.mark.django_db
def test_plan_overview_counts_every_section_and_actions_by_status(plan, action):
    ActionFactory(plan=plan, reference="A02", status=ActionStatus.GREEN)
    MeasureFactory(plan=plan)
    RiskFactory(partnership=plan.partnership, plan=plan)

    overview = selectors.plan_overview(plan=plan)

    assert overview["counts"] == {
        "actions": 2,
        "budget_lines": 0,
        "efficiencies": 0,
        "contracts": 0,
        "measures": 1,
        "indicators": 0,
        "reports": 0,
        "risks": 1,
    }
    by_status = {value: count for value, _, count in overview["status_counts"]}
    assert by_status[ActionStatus.GREEN] == 1
    assert sum(by_status.values()) == 2


@pytest.mark.django_db
def test_readable_plans_and_plan_for_page_stop_at_the_partnership(outsider, owner, plan):
    assert list(selectors.readable_plans(user=owner)) == [plan]
    assert list(selectors.readable_plans(user=outsider)) == []
    with pytest.raises(plan.DoesNotExist):
        selectors.plan_for_page(user=outsider, slug=plan.slug)


@pytest.mark.django_db
def test_actions_for_list_marks_the_actions_updated_in_the_quarter(owner, plan, action):
    other = ActionFactory(plan=plan, reference="A02")
    record_progress(action, owner, ActionStatus.GREEN, Q1)

    updated = {a.reference: a.updated_in_quarter for a in selectors.actions_for_list(user=owner, quarter=Q1)}

    assert updated == {action.reference: True, other.reference: False}


@pytest.mark.django_db
def test_my_actions_sorts_a_managers_actions_by_what_is_due(owner, plan, action):
    today = datetime.date(2022, 5, 15)
    action.due_date = datetime.date(2022, 4, 30)
    action.save()
    due_soon = ActionFactory(plan=plan, reference="A02", due_date=datetime.date(2022, 6, 30))
    due_soon.responsible_users.add(owner)
    ActionFactory(plan=plan, reference="A03", due_date=datetime.date(2022, 4, 1))  # not the owner's

    mine = selectors.my_actions(user=owner, today=today)

    assert mine["quarter"] == Q1
    assert {a.reference for a in mine["actions"]} == {"A01", "A02"}
    assert [a.reference for a in mine["overdue"]] == ["A01"]
    assert [a.reference for a in mine["due_this_quarter"]] == ["A02"]
    assert {a.reference for a in mine["not_updated"]} == {"A01", "A02"}


@pytest.mark.django_db
def test_manages_any_partnership_is_true_only_for_a_partnership_admin(owner, partnership_admin):
    assert selectors.manages_any_partnership(user=partnership_admin)
    assert not selectors.manages_any_partnership(user=owner)
