"""The plan's outline is kept: themes from the Actions sheet become the plan's themes, linked to their actions."""

import pytest
from django.urls import reverse

from plans.models import ImprovementAction, Theme
from plans.workbook.schema import ACTIONS
from tests.plans.workbook.test_bad_input import GOOD_ACTION, book, rows_for, run

SAFE = "Children and young people are safe"
WELL = "Children and young people are healthy"
OUTCOME = "Fewer children are looked after away from home"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def outline_book():
    """Eight actions under one outcome heading, as a Word table repeats it, under two themes."""
    rows = [
        GOOD_ACTION
        | {
            "Reference": f"A{n}",
            "Theme": SAFE if n <= 5 else WELL,
            "Theme & outcome": OUTCOME,
            "Action steps": f"• Step {n} of the plan\n• Then review",
        }
        for n in range(1, 9)
    ]
    rows.append(
        GOOD_ACTION | {"Reference": "B1", "Theme": "  children and young people  are SAFE ", "Theme & outcome": "Own"}
    )
    return book(Actions=rows_for(ACTIONS, *rows))


def test_themes_are_created_in_order_and_linked(partnership_admin):
    result = run(outline_book(), partnership_admin)
    assert result.problems == []
    plan = result.plan
    assert list(plan.themes.values_list("title", "order")) == [(SAFE, 1), (WELL, 2)]
    assert result.counts["Themes"]["created"] == 2
    by_theme = dict(plan.actions.values_list("reference", "theme__title"))
    assert by_theme["A1"] == by_theme["A5"] == by_theme["B1"] == SAFE and by_theme["A6"] == WELL


def test_reimporting_the_outline_changes_nothing(partnership_admin):
    run(outline_book(), partnership_admin)
    again = run(outline_book(), partnership_admin)
    assert again.counts["Actions"]["updated"] == 0
    assert "Themes" not in again.counts
    assert Theme.objects.count() == 2


def test_actions_can_be_filtered_by_theme(login, partnership_admin):
    plan = run(outline_book(), partnership_admin).plan
    well = plan.themes.get(title=WELL)
    page = login(partnership_admin).get(reverse("plans:plan_actions", kwargs={"slug": plan.slug}), {"theme": well.pk})
    assert "3 results" in page.text
    assert "Step 6 of the plan" in page.text and "Step 1 of the plan" not in page.text


def test_the_overview_lists_the_structure(login, partnership_admin, django_assert_max_num_queries):
    plan = run(outline_book(), partnership_admin).plan
    client = login(partnership_admin)
    with django_assert_max_num_queries(12):
        page = client.get(plan.get_absolute_url()).text
    themes = page.split('id="themes-heading"')[1].split("</section>")[0]
    assert themes.index(SAFE) < themes.index(OUTCOME) < themes.index(WELL)
    assert "6 actions" in themes and "3 actions" in themes


def test_the_action_column_shows_each_actions_own_words(login, partnership_admin):
    """Actions sharing their outcome heading read by their own first step, the heading beneath."""
    plan = run(outline_book(), partnership_admin).plan
    page = login(partnership_admin).get(reverse("plans:plan_actions", kwargs={"slug": plan.slug})).text
    for n in range(1, 9):
        assert f">Step {n} of the plan</a>" in page
    assert ">Own</a>" in page  # a title of its own is the action's own words
    action = ImprovementAction.objects.with_own_text().get(reference="A3")
    assert action.own_text() == "Step 3 of the plan"
