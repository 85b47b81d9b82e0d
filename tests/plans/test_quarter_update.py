"""Bulk update from My actions: every action still to update this quarter, saved at once, row by row."""

import pytest
from django.urls import reverse

from plans.choices import ActionStatus
from plans.periods import FinancialQuarter
from tests.factories import ActionFactory, record_progress

URL = reverse("plans:quarter_update")
QUARTER = FinancialQuarter.current()


def row(action, **fields):
    """One submitted row, as the page posts it: the action's id and its prefixed fields."""
    values = {"period": str(QUARTER), "version": action.version, "commentary": "", "percent_complete": ""} | fields
    return {f"a{action.pk}-{name}": value for name, value in values.items()}


def post(client, *rows):
    data = {"action": []}
    for action, fields in rows:
        data["action"].append(action.pk)
        data |= row(action, **fields)
    return client.post(URL, data)


@pytest.fixture
def second(plan, owner):
    action = ActionFactory(plan=plan, reference="A02", title="Second action")
    action.responsible_users.add(owner)
    return action


def test_the_page_lists_open_actions_not_yet_updated_with_last_commentary_offered(
    login, owner, colleague, plan, action
):
    record_progress(action, colleague, "amber", QUARTER.previous(), percent=30, commentary="Panel recruited.")
    done_now = ActionFactory(plan=plan, reference="A02", title="Updated already")
    done_now.responsible_users.add(owner)
    record_progress(done_now, owner, "green", QUARTER, commentary="On track.")
    finished = ActionFactory(plan=plan, reference="A03", title="Finished", status=ActionStatus.COMPLETE)
    finished.responsible_users.add(owner)

    page = login(owner).get(URL).text
    assert "Improve permanence planning" in page
    assert "Updated already" not in page and "Finished" not in page
    assert f'name="a{action.pk}-commentary"' in page
    assert "\nPanel recruited.</textarea>" in page  # last quarter's commentary, ready to edit
    assert str(QUARTER.previous()) in page and plan.period_label in page
    assert "30%" in page


def test_filled_rows_are_saved_and_untouched_rows_left_for_later(login, owner, action, second):
    response = post(
        login(owner), (action, {"status": "green", "commentary": "Going well.", "percent_complete": "50"}), (second, {})
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:my_actions")
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (ActionStatus.GREEN, 50)
    assert action.updates.get().commentary == "Going well."
    assert second.updates.count() == 0


def test_each_row_follows_the_single_update_forms_rules(login, owner, action, second):
    response = post(
        login(owner),
        (action, {"status": "red", "commentary": "", "percent_complete": "10"}),  # Red needs a commentary
        (second, {"status": "complete", "commentary": "Done.", "percent_complete": "80"}),  # complete is 100%
    )
    assert response.status_code == 200
    page = response.text
    assert "Add a commentary: it is required when the status is Red." in page
    assert "A complete action is 100% complete." in page
    assert 'value="10"' in page  # what was typed stays
    assert action.updates.count() == 0 and second.updates.count() == 0


def test_a_conflicting_row_is_refused_alone_and_keeps_what_was_typed(login, owner, colleague, action, second):
    stale_version = action.version
    record_progress(action, colleague, "amber", QUARTER, commentary="Siobhan's view.")
    response = post(
        login(owner),
        (action, {"status": "red", "commentary": "My view.", "version": stale_version}),
        (second, {"status": "green", "commentary": "Fine."}),
    )
    assert response.status_code == 200
    page = response.text
    assert f'id="update-conflict-{action.pk}"' in page
    assert "Siobhan&#x27;s view." in page and "Siobhan O&#x27;Neill" in page
    assert "\nMy view.</textarea>" in page
    action.refresh_from_db()
    assert f'name="a{action.pk}-version" value="{action.version}"' in page  # saving again is a choice
    assert action.status == ActionStatus.AMBER and action.updates.count() == 1
    assert second.updates.get().status == ActionStatus.GREEN


@pytest.mark.parametrize(("who", "expected_status"), [("anonymous", 302), ("viewer", 403), ("outsider", 200)])
def test_only_people_who_may_update_each_action_can_save(request, client, action, who, expected_status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = post(client, (action, {"status": "green", "commentary": "Forged."}))
    assert response.status_code == expected_status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if who == "outsider":  # another partnership's action is not theirs to see: nothing is saved
        assert "Nothing saved" in response.text
    assert action.updates.count() == 0


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_runs_a_fixed_number_of_queries(login, owner, plan, count, django_assert_max_num_queries):
    for number in range(count):
        ActionFactory(plan=plan, reference=f"B{number:02d}").responsible_users.add(owner)
    client = login(owner)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200
