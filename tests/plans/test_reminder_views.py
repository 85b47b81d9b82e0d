"""The profile page (reminder settings) and the reporting calendar page."""

import datetime

import pytest
from django.urls import reverse

from plans.choices import ReminderFrequency
from plans.models import ReminderPreference, ReportingPeriod
from tests.factories import ReportingPeriodFactory


def calendar_post(rows, days="14, 3", initial=0):
    data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": initial, "reminder_days_before": days}
    for n, row in enumerate(rows):
        data |= {f"form-{n}-{key}": value for key, value in row.items()}
    return data


def test_a_user_switches_reminders_to_a_weekly_digest_on_their_profile(login, owner):
    client = login(owner)
    page = client.get(reverse("plans:profile"))
    assert page.status_code == 200 and "Every reminder (before the deadline and the day after)" in page.text
    response = client.post(reverse("plans:profile"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=owner).frequency == ReminderFrequency.WEEKLY
    assert client.post(reverse("plans:profile"), {"frequency": "hourly"}).status_code == 200  # refused, re-shown
    assert ReminderPreference.objects.get(user=owner).frequency == ReminderFrequency.WEEKLY


def test_the_profile_needs_a_sign_in(client, db):
    assert client.post(reverse("plans:profile"), {"frequency": "off"}).status_code == 302
    assert not ReminderPreference.objects.exists()


def test_a_partnership_admin_sets_deadlines_and_reminder_days(login, partnership_admin, partnership):
    url = reverse("plans:reporting_calendar", kwargs={"slug": partnership.slug})
    row = {"quarter": "2021/22 Q1", "update_deadline": "2021-07-16", "board_date": "2021-08-26"}
    response = login(partnership_admin).post(url, calendar_post([row], days="10, 2"))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(partnership=partnership)
    assert (period.period_year, period.period_quarter, period.update_deadline) == (2021, 1, datetime.date(2021, 7, 16))
    partnership.refresh_from_db()
    assert partnership.reminder_days_before == "10, 2"
    assert period.history.get().history_change_reason == f"Reporting calendar edited by {partnership_admin}"


def test_the_calendar_refuses_a_quarter_twice_and_bad_reminder_days(login, partnership_admin, partnership):
    url = reverse("plans:reporting_calendar", kwargs={"slug": partnership.slug})
    row = {"quarter": "2021/22 Q1", "update_deadline": "2021-07-16"}
    page = login(partnership_admin).post(url, calendar_post([row, row], days="14, soon"))
    assert "2021/22 Q1 is in the calendar twice." in page.text
    assert "List whole numbers of days" in page.text
    assert not ReportingPeriod.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("owner", 403)])
def test_only_the_partnership_admin_changes_the_calendar(client, request, partnership, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = reverse("plans:reporting_calendar", kwargs={"slug": partnership.slug})
    row = {"quarter": "2021/22 Q1", "update_deadline": "2021-07-16"}
    assert client.post(url, calendar_post([row])).status_code == status
    assert not ReportingPeriod.objects.exists()


def test_members_read_the_calendar_and_my_actions_says_when_updates_are_due(login, owner, partnership, settings):
    ReportingPeriodFactory(partnership=partnership, period_year=2099, update_deadline=datetime.date(2099, 7, 16))
    client = login(owner)
    calendar = client.get(reverse("plans:reporting_calendar", kwargs={"slug": partnership.slug}))
    assert "Thursday 16 July 2099" in calendar.text and "Save the calendar" not in calendar.text
    my_actions = client.get(reverse("plans:my_actions")).text
    assert "2099/00 Q1 updates due by Thursday 16 July 2099" in my_actions
    dashboard = client.get(reverse("dashboard:partnership_dashboard", kwargs={"slug": partnership.slug})).text
    assert "2099/00 Q1 updates due by Thursday 16 July 2099" in dashboard
