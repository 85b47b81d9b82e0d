"""The actions list: current plans by default, older years on request, drop-downs scoped to what it shows."""

import pytest
from django.db import connection
from django.urls import reverse

from plans.choices import PlanStatus
from plans.models import ProgressUpdate
from tests.factories import ActionFactory, PlanFactory, RiskFactory, ServiceFactory


@pytest.fixture
def last_year(plan):
    """Last year's plan, which `plan` has replaced: publishing `plan` superseded it."""
    old = PlanFactory(
        partnership=plan.partnership, title="Old plan", start_year=2020, end_year=2020, status=PlanStatus.SUPERSEDED
    )
    plan.predecessor = old
    plan.save()
    return old


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_list_shows_current_plans_unless_a_year_is_chosen(login, viewer, plan, last_year):
    ActionFactory(plan=plan, reference="NEW1")
    ActionFactory(plan=last_year, reference="OLD1")
    client, url = login(viewer), reverse("plans:action_list")
    assert ">NEW1<" in listed(client, url).text and ">OLD1<" not in listed(client, url).text
    every_year = listed(client, url, year="all").text
    assert ">NEW1<" in every_year and ">OLD1<" in every_year
    chosen = listed(client, url, year="2020").text
    assert ">OLD1<" in chosen and ">NEW1<" not in chosen


def test_an_old_plans_own_page_still_lists_its_actions(login, viewer, plan, last_year):
    ActionFactory(plan=last_year, reference="OLD1")
    response = listed(login(viewer), reverse("plans:plan_actions", kwargs={"slug": last_year.slug}))
    assert ">OLD1<" in response.text
    assert "year" not in response.context["filter"].form.fields


def test_plan_choices_are_the_readable_plans_of_the_chosen_year(login, viewer, plan, last_year, other_partnership):
    PlanFactory(partnership=other_partnership, title="Foreign plan", start_year=2021, end_year=2021)
    client, url = login(viewer), reverse("plans:action_list")

    def plan_choices(**params):
        return set(listed(client, url, **params).context["filter"].form.fields["plan"].queryset)

    assert plan_choices() == {plan}
    assert plan_choices(year="2020") == {last_year}
    assert plan_choices(year="all") == {plan, last_year}
    years = dict(listed(client, url).context["filter"].form.fields["year"].choices)
    assert set(years) == {"", "all", "2021", "2020"}  # the foreign plan's year is the same as ours


def test_service_choices_are_those_of_the_listed_plans(login, viewer, plan, last_year, other_partnership):
    current_service = ServiceFactory(partnership=plan.partnership, name="Justice")
    old_service = ServiceFactory(partnership=plan.partnership, name="Closed service")
    foreign_service = ServiceFactory(partnership=other_partnership, name="Foreign service")
    ActionFactory(plan=plan, service=current_service)
    ActionFactory(plan=last_year, service=old_service)
    ActionFactory(plan=PlanFactory(partnership=other_partnership), service=foreign_service)
    client = login(viewer)
    response = listed(client, reverse("plans:action_list"))
    assert dict(response.context["filter"].form.fields["service"].choices) == {"": "Any service", "Justice": "Justice"}
    other = ActionFactory(plan=plan, service=ServiceFactory(partnership=plan.partnership, name="Early Years"))
    chosen = listed(client, reverse("plans:action_list"), service="Early Years").context["table"].data
    assert [action.pk for action in chosen] == [other.pk]


def test_risk_register_offers_only_its_partnerships_plans(login, viewer, plan, other_partnership):
    RiskFactory(partnership=plan.partnership, plan=plan)
    foreign = PlanFactory(partnership=other_partnership)
    viewer.memberships.create(partnership=other_partnership)
    response = listed(login(viewer), reverse("risks:register", kwargs={"slug": plan.partnership.slug}))
    choices = set(response.context["filter"].form.fields["plan"].queryset)
    assert choices == {plan} and foreign not in choices


def test_my_actions_lists_only_the_current_plans(login, owner, plan, last_year):
    old = ActionFactory(plan=last_year, reference="OLD1")
    old.responsible_users.add(owner)
    ActionFactory(plan=plan, reference="NEW1").responsible_users.add(owner)
    response = listed(login(owner), reverse("plans:my_actions"))
    assert [action.reference for action in response.context["actions"]] == ["A01", "NEW1"]


def test_updates_are_indexed_by_action_and_quarter(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ProgressUpdate._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if c["index"]]
    assert ["action_id", "period_year", "period_quarter"] in indexed


def test_an_old_plans_page_offers_that_plans_services(login, viewer, plan, last_year):
    ActionFactory(plan=plan, service=ServiceFactory(partnership=plan.partnership, name="Justice"))
    ActionFactory(plan=last_year, service=ServiceFactory(partnership=plan.partnership, name="Closed service"))
    response = listed(login(viewer), reverse("plans:plan_actions", kwargs={"slug": last_year.slug}))
    assert dict(response.context["filter"].form.fields["service"].choices) == {
        "": "Any service",
        "Closed service": "Closed service",
    }
