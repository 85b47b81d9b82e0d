"""The all-actions table's cells, rendered straight from each record (ActionTable.cell_<column>)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from plans.choices import ActionCategory, ActionStatus
from tests.factories import ActionFactory


def cells(page, pk):
    """The <tr> of one action, as the list renders it."""
    row = page.split(f'id="status-{pk}"')[0].rsplit("<tr", 1)[1] + page.split(f'id="status-{pk}"')[1].split("</tr>")[0]
    return row


def test_each_cell_shows_what_the_action_states(login, owner, plan, action):
    action.category, action.category_text = ActionCategory.choices[0][0], "As the plan words it"
    action.status, action.percent_complete = ActionStatus.AMBER, 40
    action.due_date = datetime.date(2022, 3, 31)
    action.save()
    page = login(owner).get(reverse("plans:action_list")).text
    row = cells(page, action.pk)
    detail = reverse("plans:action_detail", kwargs={"pk": action.pk})
    assert f'<td class="col-key" data-label="Ref"><a href="{detail}">{action.reference}</a></td>' in row
    assert f'<a href="{detail}">{action.title}</a>' in row
    assert '<td class="small" data-label="Category">As the plan words it</td>' in row
    assert '<td class="col-date" data-label="Due">31 Mar 2022</td>' in row
    # RAG never colour alone: an icon and the word, and the percentage beneath.
    assert '<i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i> Amber</span>' in row
    assert f'id="percent-{action.pk}">40%</span>' in row
    assert f'<span id="updated-{action.pk}">No</span>' in row
    update = reverse("plans:action_update", kwargs={"pk": action.pk})
    assert f'href="{update}?next=/actions/" hx-get="{update}"' in row
    assert f'aria-label="Update {action.reference}"' in row


def test_empty_values_show_a_dash_and_a_stated_category_needs_a_category(login, owner, plan):
    action = ActionFactory(plan=plan, category="", category_text="Stated only", responsible="", due_date=None)
    row = cells(login(owner).get(reverse("plans:action_list")).text, action.pk)
    assert '<td class="small" data-label="Category">—</td>' in row
    assert '<td class="small" data-label="Responsible">—</td>' in row
    assert '<td class="col-date" data-label="Due">—</td>' in row
    assert f'id="percent-{action.pk}">—</span>' in row


def test_the_update_button_is_only_for_those_who_may_update(login, viewer, plan, action):
    page = login(viewer).get(reverse("plans:action_list")).text
    assert f'id="status-{action.pk}"' in page
    assert 'aria-label="Update' not in page


def test_the_return_address_keeps_the_filters(login, owner, plan, action):
    page = login(owner).get(reverse("plans:action_list") + "?status=not_assessed&q=A0").text
    assert "?next=/actions/%3Fstatus%3Dnot_assessed%26q%3DA0" in page


def test_a_withdrawn_action_is_marked_beside_its_status(login, owner, plan):
    action = ActionFactory(plan=plan, withdrawn_at=timezone.now())
    row = cells(login(owner).get(reverse("plans:plan_actions", kwargs={"slug": plan.slug})).text, action.pk)
    assert 'Not yet assessed</span> <span class="badge text-bg-secondary">Withdrawn</span>' in row


def test_a_title_shared_by_several_actions_shows_the_actions_own_words(login, owner, plan):
    from tests.factories import ActionStepFactory

    first = ActionFactory(plan=plan, title="A shared outcome heading")
    ActionFactory(plan=plan, title="A shared outcome heading")
    ActionStepFactory(action=first, text="What this action does")
    row = cells(login(owner).get(reverse("plans:action_list")).text, first.pk)
    assert ">What this action does</a>" in row
    assert '<span class="d-block small text-body-secondary mt-1">A shared outcome heading</span>' in row
