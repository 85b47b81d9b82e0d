"""manage.py generate_demo: a small, consistent, repeatable dataset of the national shape."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from dashboard.choices import ReportStatus
from dashboard.models import MeasureResult, QualityMeasure, QuarterlyReport
from plans.choices import ActionStatus, MembershipRole
from plans.models import ImprovementAction, Membership, Partnership, Plan, ProgressUpdate
from plans.periods import FinancialQuarter
from risks.models import Risk, RiskReview

TODAY = datetime.date(2026, 11, 23)  # 2026/27 Q3


def generate(**options):
    call_command("generate_demo", scale="2", years=3, actions=4, today=TODAY, stdout=None, **options)


@pytest.fixture
def generated(db):
    generate()


def test_it_makes_the_requested_shape(generated):
    assert Partnership.objects.count() == 2
    assert Plan.objects.count() == 2 * 3
    assert ImprovementAction.objects.count() == 2 * 3 * 4
    assert set(Plan.objects.values_list("start_year", flat=True)) == {2024, 2025, 2026}
    assert QualityMeasure.objects.count() == 6 * 16
    assert MeasureResult.objects.count() == 6 * 16 * 7
    assert RiskReview.objects.exists()
    manager = Membership.objects.filter(role=MembershipRole.MANAGER).first().user
    assert manager.responsible_actions.count() == 3 * 4  # every year's actions of their partnership
    board = Membership.objects.filter(user__username="board").count()
    assert board == 2


def test_each_plan_follows_the_year_before(generated):
    for plan in Plan.objects.exclude(start_year=2024):
        assert plan.predecessor.partnership_id == plan.partnership_id
        assert plan.predecessor.start_year == plan.start_year - 1


def test_every_action_holds_what_its_last_update_left(generated):
    for action in ImprovementAction.objects.annotate(n=Count("updates")):
        updates = list(action.updates.order_by("created_at"))
        assert action.version == 1 + len(updates)
        previous = ActionStatus.NOT_ASSESSED
        for update in updates:
            assert update.status_before == previous
            assert update.period.start_year == action.plan.start_year
            assert update.period <= FinancialQuarter.containing(TODAY)
            assert update.created_at.date() <= TODAY
            previous = update.status
        assert action.status == previous
        if updates:
            assert action.percent_complete == updates[-1].percent_complete
        assert action.history.count() == 1


def test_no_update_falls_in_a_future_or_duplicate_quarter(generated):
    per_quarter = ProgressUpdate.objects.values("action", "period_year", "period_quarter").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_quarter) == 1


def test_each_risk_holds_its_last_reviews_next_date(generated):
    for risk in Risk.objects.all():
        reviews = list(risk.reviews.order_by("reviewed_at"))
        assert reviews, risk
        assert reviews[-1].changes["Next review"][1] == risk.review_date.isoformat()
        for before, after in zip(reviews, reviews[1:], strict=False):
            assert after.changes["Next review"][0] == before.changes["Next review"][1]


def test_last_years_final_quarter_is_signed_off_with_a_snapshot(generated):
    signed_off = QuarterlyReport.objects.filter(status=ReportStatus.SIGNED_OFF)
    assert signed_off.count() == 2
    assert all(report.snapshot and report.period == FinancialQuarter(2025, 4) for report in signed_off)


def wipe():
    QuarterlyReport.objects.all().delete()
    Risk.objects.all().delete()
    ProgressUpdate.objects.all().delete()
    Plan.objects.all().delete()
    Partnership.objects.all().delete()
    get_user_model().objects.all().delete()


def test_the_same_seed_gives_the_same_data(db):
    def updates():
        return list(ProgressUpdate.objects.order_by("pk").values_list("status", "percent_complete", "created_at"))

    generate(seed=7)
    first = updates()
    wipe()
    generate(seed=7)
    assert updates() == first
    wipe()
    generate(seed=8)
    assert updates() != first


def test_it_refuses_to_generate_twice(generated):
    with pytest.raises(CommandError, match="already exist"):
        generate()


def test_a_bad_scale_is_refused(db):
    with pytest.raises(CommandError, match="national"):
        call_command("generate_demo", scale="everything")
