import pytest
from django.urls import reverse

from plans.models import Partnership, Plan
from tests.factories import ActionFactory, ActionStepFactory, MembershipFactory, UserFactory

EA_SIP = "east-ayrshire-chcj-sip-2020-21"


@pytest.fixture
def reader(client, db):
    """A client signed in as a viewer of every partnership (a board member)."""
    user = UserFactory(username="board-reader")
    for partnership in Partnership.objects.all():
        MembershipFactory(user=user, partnership=partnership)
    client.force_login(user)
    return client


def test_home_lists_every_partnership(seeded, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = reader.get(reverse("home"))
    assert response.status_code == 200
    for name in [
        "East Ayrshire Health and Social Care Partnership",
        "South Ayrshire Health and Social Care Partnership",
        "South Ayrshire Community Planning Partnership",
        "Moray Community Planning Partnership",
    ]:
        assert name in response.text


def test_partnership_page_lists_its_plans_only(seeded, reader):
    response = reader.get(reverse("plans:partnership_detail", kwargs={"slug": "east-ayrshire-hscp"}))
    assert "Children&#x27;s Health, Care and Justice Service Improvement Plan" in response.text
    assert "Keeping The Promise in East Ayrshire" in response.text
    assert "Moray" not in response.text.split("<main")[1]


def test_plan_page_shows_sections_and_source(seeded, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = reader.get(reverse("plans:plan_detail", kwargs={"slug": EA_SIP}))
    assert response.status_code == 200
    assert "20 improvement actions" in response.text
    assert "13 quality measures" in response.text
    assert "5 planned efficiencies" in response.text
    assert "68 fostering households" in response.text
    assert "Not yet assessed" in response.text


def test_inspection_plan_shows_grades_as_words(seeded, reader):
    response = reader.get(
        reverse("plans:plan_detail", kwargs={"slug": "south-ayrshire-joint-inspection-progress-review-2018"})
    )
    for grade in ["Significant progress", "Encouraging progress", "Steady progress", "Sound progress", "Some progress"]:
        assert grade in response.text


def test_plan_actions_section_shows_rag_as_words_and_sorts(seeded, reader):
    url = reverse("plans:plan_actions", kwargs={"slug": EA_SIP})
    response = reader.get(url, {"sort": "-reference"})
    assert response.status_code == 200
    assert response.text.index(">A20<") < response.text.index(">A01<")
    assert "Not yet assessed" in response.text
    assert "bi-dash-circle" in response.text  # the icon that goes with the word


def test_plan_actions_filter_by_category(seeded, reader):
    response = reader.get(reverse("plans:plan_actions", kwargs={"slug": EA_SIP}), {"category": "ongoing"})
    assert "5 results" in response.text
    assert ">A09<" in response.text
    assert ">A01<" not in response.text


def test_budget_section_totals_the_lines(seeded, reader):
    response = reader.get(reverse("plans:plan_budget", kwargs={"slug": EA_SIP}))
    assert "£18,085,000" in response.text
    assert "£34,785,000" in response.text
    assert "Alcohol &amp; Drugs Partnership" in response.text


def test_efficiencies_section_totals_the_savings(seeded, reader):
    response = reader.get(reverse("plans:plan_efficiencies", kwargs={"slug": EA_SIP}))
    assert "£315,000" in response.text
    assert "Kinship Care Review" in response.text


def test_measures_section_has_a_column_per_result_year(seeded, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = reader.get(reverse("dashboard:plan_measures", kwargs={"slug": EA_SIP}))
    assert "2018/19 result" in response.text
    assert "2019/20 result" in response.text
    assert "Final Result Not Yet Available" in response.text
    assert "5 errors involving 8 staff" in response.text


def test_risks_and_contracts_sections(seeded, reader):
    risks = reader.get(reverse("risks:plan_risks", kwargs={"slug": EA_SIP}))
    assert "Failure to protect children &amp; young people" in risks.text
    assert "Not yet scored" in risks.text
    contracts = reader.get(reverse("plans:plan_contracts", kwargs={"slug": EA_SIP}))
    assert "Blue Triangle" in contracts.text
    assert "£211,632" in contracts.text


def test_action_detail_shows_steps_and_unstated_fields(seeded, reader):
    response = reader.get(reverse("plans:action_detail", kwargs={"pk": 1014}))
    assert "Remobilisation of mental health assessment clinics" in response.text
    assert "Responsible</dt><dd>Not stated" in response.text.replace("\n", "")


def test_unknown_plan_and_action_are_404(reader):
    assert reader.get(reverse("plans:plan_detail", kwargs={"slug": "nope"})).status_code == 404
    assert reader.get(reverse("plans:action_detail", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_action_list_query_count_does_not_grow_with_rows(login, viewer, plan, rows, django_assert_max_num_queries):
    reader = login(viewer)
    for action in ActionFactory.create_batch(rows, plan=plan):
        ActionStepFactory(action=action)
    # One query each for the drop-downs' choices, the theme filter's included; one for the plans
    # whose current quarter is signed off, so "Updated this quarter" reads their next quarter.
    with django_assert_max_num_queries(12):
        response = reader.get(reverse("plans:action_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(13):
        response = reader.get(reverse("plans:plan_actions", kwargs={"slug": plan.slug}), {"q": "outcome"})
    assert f"{rows} results" in response.text


def test_stated_facts_reach_the_pages_a_reader_opens(seeded, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        overview = reader.get(reverse("plans:plan_detail", kwargs={"slug": EA_SIP})).text
    outcomes = overview.split('id="outcomes-heading"')[1].split("</section>")[0]
    assert outcomes.count("<li value=") == 15 and "Our children have the best start in life." in outcomes
    assert "no action in this plan is linked to it" in outcomes  # the plan links none: none are invented
    budget = reader.get(reverse("plans:plan_budget", kwargs={"slug": EA_SIP})).text
    assert "Keeping children safe is the highest priority" in budget
    contracts = reader.get(reverse("plans:plan_contracts", kwargs={"slug": EA_SIP})).text
    assert "400 nights commissioned" in contracts and "100% occupancy" in contracts


def test_a_stated_total_is_shown_beside_the_computed_one_and_flagged_when_they_differ(seeded, reader):
    url = reverse("plans:plan_budget", kwargs={"slug": EA_SIP})
    footer = reader.get(url).text.split("<tfoot")[1].split("</tfoot>")[0]
    assert "£34,785,000" in footer and "as the document states" in footer and "Differs" not in footer
    Plan.objects.filter(slug=EA_SIP).update(budget_total_stated=34_000_000)
    footer = reader.get(url).text.split("<tfoot")[1].split("</tfoot>")[0]
    assert "£34,785,000" in footer and "Differs" in footer and "the document states £34,000,000" in footer
    efficiencies = reader.get(reverse("plans:plan_efficiencies", kwargs={"slug": EA_SIP})).text
    assert "£315,000" in efficiencies and "as the document states" in efficiencies


def test_only_people_who_update_actions_are_offered_my_actions(login, viewer, owner):
    my_actions = f'href="{reverse("plans:my_actions")}"'
    assert my_actions not in login(viewer).get(reverse("home")).text
    assert my_actions in login(owner).get(reverse("home")).text


def test_searching_actions_matches_reference_prefixes_and_text(login, owner, plan):
    ActionFactory(plan=plan, reference="B12", title="Kinship care review")
    ActionFactory(plan=plan, reference="C3", title="Transitions for care leavers")
    client = login(owner)
    url = reverse("plans:action_list")
    by_prefix = client.get(url, {"q": "b1"}).text
    assert ">B12<" in by_prefix and ">C3<" not in by_prefix
    by_text = client.get(url, {"q": "care leavers"}).text
    assert ">C3<" in by_text and ">B12<" not in by_text


def test_a_superseded_plan_is_read_only_and_links_to_its_successor(login, partnership_admin, plan, action, superuser):
    from plans.services import plan_publish, plan_rollover

    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False)
    plan_publish(plan=new_plan, user=superuser)
    client = login(partnership_admin)

    old = client.get(plan.get_absolute_url()).text
    assert f"This is the {plan.period_label} plan; it was superseded by" in old
    assert new_plan.get_absolute_url() in old
    assert "Roll over to next year" not in old
    action_page = client.get(action.get_absolute_url()).text
    assert "Update progress" not in action_page and f"superseded by {new_plan.period_label}" in action_page
    assert f"A01 · {plan.period_label}" in action_page
    assert "Prepare the" not in client.get(reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug})).text
    assert 'aria-label="Update A01"' not in client.get(reverse("plans:plan_actions", kwargs={"slug": plan.slug})).text
    new = client.get(new_plan.get_absolute_url()).text
    assert f'follows the <a href="{plan.get_absolute_url()}">{plan.period_label} plan</a>' in new

    refused = client.post(reverse("plans:action_update", kwargs={"pk": action.pk}), {"status": "green"}, follow=True)
    assert "superseded by" in refused.text and not action.updates.exists()


def test_withdrawn_actions_are_listed_with_a_badge(login, viewer, plan, action):
    from django.utils import timezone

    ActionFactory(plan=plan, reference="A02", title="Dropped at re-import", withdrawn_at=timezone.now())
    page = login(viewer).get(reverse("plans:plan_actions", kwargs={"slug": plan.slug})).text
    assert "Dropped at re-import" in page and "Withdrawn" in page
    overview = login(viewer).get(plan.get_absolute_url()).text
    assert "1 improvement action<" in overview


def test_a_withdrawn_budget_line_is_listed_but_left_out_of_the_total(login, viewer, plan):
    from django.utils import timezone

    from plans.models import BudgetLine
    from tests.factories import ServiceFactory

    service = ServiceFactory(partnership=plan.partnership, name="Fostering")
    BudgetLine.objects.create(plan=plan, service=service, financial_year=2021, amount=100)
    BudgetLine.objects.create(plan=plan, service=service, financial_year=2022, amount=900, withdrawn_at=timezone.now())

    page = login(viewer).get(reverse("plans:plan_budget", kwargs={"slug": plan.slug})).text

    assert "Withdrawn" in page and "£900" in page
    assert "£1,000" not in page
