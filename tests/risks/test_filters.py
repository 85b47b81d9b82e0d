import datetime

import pytest
from django.test import RequestFactory

from plans import periods
from risks.choices import RiskStatus
from risks.filters import RiskFilterSet
from risks.models import Mitigation, Risk
from tests.factories import RiskFactory


def filtered_list(user, **params):
    request = RequestFactory().get("/risks/", params)
    request.user = user
    return list(RiskFilterSet(params, queryset=Risk.objects.all(), request=request).qs)


def filtered(user, **params):
    return set(filtered_list(user, **params))


@pytest.fixture
def risks(partnership):
    return {
        "very_high": RiskFactory(partnership=partnership, likelihood=5, impact=4, title="Placement breakdown"),
        "high": RiskFactory(partnership=partnership, likelihood=2, impact=4, title="Workforce shortage"),
        "medium": RiskFactory(partnership=partnership, likelihood=2, impact=2, title="Budget overspend"),
        "low": RiskFactory(partnership=partnership, likelihood=1, impact=3, title="Data breach"),
        "unscored": RiskFactory(partnership=partnership, likelihood=3, impact=None, title="Legislation change"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["very_high", "high", "medium", "low", "unscored"])
def test_the_level_filter_finds_the_risks_the_matrix_puts_in_that_level(owner, risks, level):
    assert filtered(owner, level=level) == {risks[level]}


@pytest.mark.django_db
def test_search_matches_title_reference_and_mitigation_text_once_each(owner, risks):
    Mitigation.objects.create(risk=risks["low"], text="Encrypted laptops")
    Mitigation.objects.create(risk=risks["low"], text="Encrypted email")

    assert filtered(owner, q="overspend") == {risks["medium"]}
    assert filtered(owner, q=risks["high"].reference) == {risks["high"]}
    assert filtered_list(owner, q="encrypted") == [risks["low"]]


@pytest.mark.django_db
def test_the_overdue_filter_splits_open_risks_past_their_review_date(owner, partnership):
    yesterday = periods.today() - datetime.timedelta(days=1)
    overdue = RiskFactory(partnership=partnership, review_date=yesterday)
    on_time = RiskFactory(partnership=partnership, review_date=periods.today() + datetime.timedelta(days=30))
    closed = RiskFactory(partnership=partnership, review_date=yesterday, status=RiskStatus.CLOSED)

    assert filtered(owner, overdue="true") == {overdue}
    assert filtered(owner, overdue="false") == {on_time, closed}


@pytest.mark.django_db
def test_the_status_filter(owner, partnership):
    open_risk = RiskFactory(partnership=partnership)
    closed = RiskFactory(partnership=partnership, status=RiskStatus.CLOSED)

    assert filtered(owner, status="open") == {open_risk}
    assert filtered(owner, status="closed") == {closed}
