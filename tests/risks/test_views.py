import csv
import datetime
import io

import pytest
from django.urls import reverse

from risks.forms import RiskReviewForm
from tests.factories import PlanFactory, RiskFactory

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def register(partnership):
    return reverse("risks:register", kwargs={"slug": partnership.slug})


def heat_map(partnership):
    return reverse("risks:heat_map", kwargs={"slug": partnership.slug})


def review_url(risk):
    return reverse("risks:risk_review", kwargs={"pk": risk.pk})


REVIEW = {
    "likelihood": "4",
    "impact": "5",
    "target_likelihood": "2",
    "target_impact": "3",
    "status": "open",
    "review_date": "2027-01-31",
    "note": "Escalated at management team.",
}


@pytest.fixture
def risk(plan):
    return RiskFactory(partnership=plan.partnership, plan=plan, reference="R1", title="Failure to protect children")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("viewer", 403), ("outsider", 404), ("owner", 302), ("partnership_admin", 302)],
)
def test_review_permission_matrix(request, client, risk, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(review_url(risk), REVIEW)
    assert response.status_code == expected
    risk.refresh_from_db()
    reviewed = who in ("owner", "partnership_admin")
    assert risk.reviews.count() == (1 if reviewed else 0)
    assert risk.likelihood == (4 if reviewed else None)


def test_review_form_needs_both_scores_or_neither(risk):
    form = RiskReviewForm(REVIEW | {"impact": ""}, risk=risk)
    assert not form.is_valid()
    assert "Score both the current likelihood and impact" in form.errors["impact"][0]
    assert RiskReviewForm(REVIEW | {"likelihood": "", "impact": ""}, risk=risk).is_valid()
    assert not RiskReviewForm(REVIEW | {"likelihood": "6"}, risk=risk).is_valid()
    assert not RiskReviewForm(REVIEW | {"note": ""}, risk=risk).is_valid()


def test_detail_shows_the_review_history(login, owner, risk):
    client = login(owner)
    client.post(review_url(risk), REVIEW)
    page = client.get(risk.get_absolute_url()).text
    history = page.split('id="reviews"')[1].split("</ol>")[0]
    assert "Current likelihood: Not set → 4" in history
    assert "Escalated at management team." in history
    assert "20 · Very high" in page


def test_unscored_risks_say_so_and_never_get_a_score(seeded, login, superuser):
    page = login(superuser).get(reverse("risks:register", kwargs={"slug": "east-ayrshire-hscp"})).text
    assert page.count("Not yet scored") >= 10  # current and target for each of the five
    heat = login(superuser).get(reverse("risks:heat_map", kwargs={"slug": "east-ayrshire-hscp"})).text
    assert "0 scored" in heat and "5 not yet scored" in heat


def test_register_filters_by_plan_level_and_overdue(login, partnership_admin, plan, partnership):
    other_plan = PlanFactory(partnership=partnership, title="Justice plan")
    RiskFactory(partnership=partnership, plan=plan, reference="R1", likelihood=5, impact=5, review_date=YESTERDAY)
    RiskFactory(partnership=partnership, plan=plan, reference="R2", likelihood=1, impact=2)
    RiskFactory(partnership=partnership, plan=other_plan, reference="J1")
    client = login(partnership_admin)
    assert ">J1<" not in client.get(register(partnership), {"plan": plan.pk}).text
    very_high = client.get(register(partnership), {"level": "very_high"}).text
    assert ">R1<" in very_high and ">R2<" not in very_high
    unscored = client.get(register(partnership), {"level": "unscored"}).text
    assert ">J1<" in unscored and ">R1<" not in unscored
    overdue = client.get(register(partnership), {"overdue": "true"}).text
    assert ">R1<" in overdue and ">R2<" not in overdue and "Overdue" in overdue


def test_register_exports_csv(login, partnership_admin, plan, partnership):
    RiskFactory(partnership=partnership, plan=plan, reference="R1", title="=cmd|' /C calc'!A0", likelihood=3, impact=4)
    response = login(partnership_admin).get(register(partnership), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:2] == ["Ref", "Risk"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert "12 (High)" in rows[1]


def test_heat_map_counts_and_links_each_cell(login, viewer, plan, partnership):
    RiskFactory(partnership=partnership, plan=plan, reference="R1", likelihood=4, impact=3)
    RiskFactory(partnership=partnership, plan=plan, reference="R2", likelihood=4, impact=3)
    RiskFactory(partnership=partnership, plan=plan, reference="R3", likelihood=1, impact=1)
    RiskFactory(partnership=partnership, plan=plan, reference="R4", likelihood=5, impact=5, status="closed")
    page = login(viewer).get(heat_map(partnership)).text
    assert (
        'data-testid="cell-4-3">2</span><span class="visually-hidden"> risks,</span> <span class="small">High' in page
    )
    assert 'data-testid="cell-1-1">1</span><span class="visually-hidden"> risk,</span> <span class="small">Low' in page
    assert 'data-testid="cell-5-5">0</span>' in page  # closed risks are not on the map
    assert '<span class="visually-hidden">Likelihood 4, impact 3: </span>' in page
    assert f"{register(partnership)}?likelihood=4&amp;impact=3&amp;status=open" in page
    filtered = login(viewer).get(register(partnership), {"likelihood": 4, "impact": 3, "status": "open"}).text
    assert ">R1<" in filtered and ">R2<" in filtered and ">R3<" not in filtered


@pytest.mark.parametrize("rows", [3, 30])
def test_register_and_heat_map_query_counts_are_constant(
    login, viewer, plan, partnership, rows, django_assert_max_num_queries
):
    for n in range(rows):
        RiskFactory(partnership=partnership, plan=plan, reference=f"R{n}", likelihood=n % 5 + 1, impact=2)
    client = login(viewer)
    # The tenth query is the plan years offered by the year filter: one, however many risks.
    with django_assert_max_num_queries(10):
        assert client.get(register(partnership)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(heat_map(partnership)).status_code == 200


def test_another_partnerships_register_is_404(login, outsider, partnership, risk):
    client = login(outsider)
    assert client.get(register(partnership)).status_code == 404
    assert client.get(heat_map(partnership)).status_code == 404
    assert client.get(risk.get_absolute_url()).status_code == 404


def test_overdue_reviews_show_on_my_actions_and_the_dashboard(login, owner, plan, partnership):
    RiskFactory(
        partnership=partnership,
        plan=plan,
        reference="R9",
        title="Failure to recruit",
        owner_user=owner,
        review_date=YESTERDAY,
    )
    client = login(owner)
    mine = client.get(reverse("plans:my_actions")).text
    assert "Risk reviews overdue" in mine and f"R9 · {plan.period_label} Failure to recruit" in mine
    dashboard = client.get(reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug})).text
    assert "1 overdue for review" in dashboard


def test_a_review_names_an_owner_and_links_mitigating_actions(login, owner, colleague, outsider, risk, action):
    client = login(colleague)
    form = client.get(review_url(risk)).text
    assert "outsider" not in form  # only members of the risk's partnership can own it
    response = client.post(review_url(risk), REVIEW | {"owner_user": owner.pk, "related_actions": [action.pk]})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.owner_user == owner
    assert list(risk.related_actions.all()) == [action]
    changes = risk.reviews.get().changes
    assert changes["Owner"] == ["No one", owner.get_full_name()]
    assert changes["Improvement actions"] == ["None", "A01"]
    page = client.get(risk.get_absolute_url()).text
    assert "A01 Improve permanence planning" in page  # linked on the risk's page
    refused = client.post(review_url(risk), REVIEW | {"owner_user": outsider.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.text


def test_search_does_not_inflate_the_mitigation_count(seeded, login, superuser):
    """The search joins mitigations itself; the count must still be one per mitigation (R1 6 ... R5 5)."""
    client = login(superuser)
    url = reverse("risks:register", kwargs={"slug": "east-ayrshire-hscp"})
    expected = ["6", "4", "13", "11", "5"]
    for query in ({}, {"q": "the"}):
        page = client.get(url, query).text
        cells = [cell.split(">")[-1] for cell in page.split("</td>") if 'class="col-number' in cell.split("<td")[-1]]
        assert cells == expected, query
        rows = list(csv.reader(io.StringIO(client.get(url, query | {"export": "csv"}).getvalue().decode())))
        column = rows[0].index("Mitigations")
        assert [row[column] for row in rows[1:]] == expected, query


def test_the_risk_page_names_the_owner_from_the_latest_review(login, owner, colleague, risk):
    client = login(colleague)
    client.post(review_url(risk), REVIEW | {"owner_user": owner.pk})
    page = client.get(risk.get_absolute_url()).text
    owner_cell = page.split("<dt>Owner</dt>")[1].split("</dd>")[0]
    assert owner.get_full_name() in owner_cell and "Not stated" not in owner_cell
    row = client.get(register(risk.partnership)).text.split(">R1<")[1].split("</tr>")[0]
    assert owner.get_full_name() in row


def test_the_review_history_shows_uk_dates_and_scores_with_their_levels(login, owner, risk):
    client = login(owner)
    client.post(review_url(risk), REVIEW)
    page = client.get(risk.get_absolute_url()).text
    history = page.split('id="reviews"')[1].split("</ol>")[0]
    assert "Next review: Not set → 31 Jan 2027" in history
    assert "2027-01-31" not in history
    assert "Target score: Not yet scored → 6 · Medium" in history
    assert "Current score: Not yet scored → 20 · Very high" in history
    target = page.split("<dt>Target score</dt>")[1].split("</dd>")[0]
    assert "6 · Medium" in target


def test_after_a_review_the_page_names_the_owner_and_reads_dates_and_target_in_uk_form(login, colleague, owner, risk):
    """Issue 11: the risk page said "Owner: Not stated" after a review named one; dates read as ISO."""
    client = login(colleague)
    client.post(review_url(risk), REVIEW | {"owner_user": owner.pk})
    page = client.get(risk.get_absolute_url()).text
    assessment = page.split("<dt>Owner</dt>")[1].split("</dd>")[0]
    assert owner.get_full_name() in assessment and "Not stated" not in assessment
    history = page.split('id="reviews"')[1].split("</ol>")[0]
    assert "Next review: Not set → 31 Jan 2027" in history and "2027-01-31" not in history
    assert "Target score: Not yet scored → 6 · " in history


def test_register_and_heat_map_count_a_rolled_over_register_once(login, viewer, superuser, plan, partnership):
    from plans.services import plan_publish, plan_rollover

    for n in range(1, 6):
        RiskFactory(partnership=partnership, plan=plan, reference=f"R{n}", likelihood=4, impact=3)
    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False)
    plan_publish(plan=new_plan, user=superuser)
    client = login(viewer)

    page = client.get(register(partnership)).text
    assert page.count(">R1<") == 1 and f"{new_plan.title} · {new_plan.period_label}" in page
    every_year = client.get(register(partnership), {"year": "all"}).text
    assert every_year.count(">R1<") == 2 and f"{plan.title} · {plan.period_label}" in every_year
    assert 'data-testid="cell-4-3">5<' in client.get(heat_map(partnership)).text


def test_a_superseded_plans_risk_cannot_be_reviewed(login, owner, superuser, risk):
    from plans.services import plan_publish, plan_rollover

    new_plan, _ = plan_rollover(plan=risk.plan, user=superuser, dry_run=False)
    plan_publish(plan=new_plan, user=superuser)
    client = login(owner)

    page = client.get(risk.get_absolute_url()).text
    assert "Review this risk" not in page and f"superseded by {new_plan.period_label}" in page
    response = client.post(review_url(risk), REVIEW, follow=True)
    assert "superseded by" in response.text
    assert not risk.reviews.exists()
