"""Reminder emails, sent through a real SMTP server on localhost and read as they arrive."""

import datetime
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.choices import MembershipRole, ReminderFrequency, ReminderKind
from plans.models import ReminderPreference, SentReminder
from plans.periods import FinancialQuarter
from plans.reminders import reminder_dates, reminders_send
from tests.conftest import member
from tests.factories import ActionFactory, PlanFactory, ReportingPeriodFactory, RiskFactory, record_progress
from tests.support.processes import ROOT, process_env
from tests.support.smtp import SmtpServer

Q1 = FinancialQuarter(2021, 1)
DEADLINE = datetime.date(2021, 7, 16)  # a Friday, in Q2, for the updates of Q1
FIRST_REMINDER = datetime.date(2021, 7, 2)  # 14 days before
DAY_AFTER = datetime.date(2021, 7, 19)  # Saturday the 17th moves to Monday


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.MAILERS = server.mailers
        settings.SITE_URL = "https://sip.example.gov.uk"
        yield server


@pytest.fixture
def calendar(partnership):
    return ReportingPeriodFactory(partnership=partnership, update_deadline=DEADLINE)


def with_email(user):
    user.email = f"{user.username}@example.gov.uk"
    user.save()
    return user


@pytest.fixture
def officer(owner):
    return with_email(owner)


@pytest.fixture
def elsewhere(other_partnership, outsider):
    """Another partnership with the same deadline, an officer and an action of its own."""
    ReportingPeriodFactory(partnership=other_partnership, update_deadline=DEADLINE)
    action = ActionFactory(plan=PlanFactory(partnership=other_partnership), reference="M9", title="Moray secret work")
    action.responsible_users.add(with_email(outsider))
    return action


def links(text):
    return re.findall(r"https://sip\.example\.gov\.uk(/\S+)", text)


def test_reminders_go_days_before_the_deadline_and_on_the_working_day_after():
    assert reminder_dates(deadline=DEADLINE, days_before=[14, 3]) == {
        datetime.date(2021, 7, 2): "before",
        datetime.date(2021, 7, 13): "before",
        DAY_AFTER: "after",
    }


def test_a_deadline_on_a_weekend_moves_reminders_to_working_days():
    sunday = datetime.date(2021, 10, 17)
    assert reminder_dates(deadline=sunday, days_before=[14, 3, 1]) == {
        datetime.date(2021, 10, 1): "before",  # Sunday the 3rd: the Friday before
        datetime.date(2021, 10, 14): "before",
        datetime.date(2021, 10, 15): "before",  # Saturday the 16th: the Friday before
        datetime.date(2021, 10, 18): "after",
    }


def test_an_officer_gets_one_email_with_links_to_update_their_own_actions(
    smtp, calendar, officer, action, elsewhere, outsider, login
):
    second = ActionFactory(plan=action.plan, reference="A02", title="Reduce waiting times")
    second.responsible_users.add(officer)
    ActionFactory(plan=action.plan, reference="A03", title="Someone else's action")

    assert reminders_send(today=FIRST_REMINDER) == 2  # the officer here, and the one in the other partnership

    [email] = smtp.inbox.to(officer.email)
    assert email.recipients == [officer.email]
    assert email.subject == "SIP Portal: updates due by 16 July 2021 (East Ayrshire Test HSCP, 2021/22 Q1)"
    assert "due by Friday 16 July 2021" in email.body
    assert "A01 Improve permanence planning" in email.body and "A02 Reduce waiting times" in email.body
    assert "Someone else's action" not in email.body
    assert "Moray" not in email.body
    update_links = [link for link in links(email.body) if link.endswith("/update/")]
    assert update_links == [reverse("plans:action_update", kwargs={"pk": pk}) for pk in (action.pk, second.pk)]
    form = login(officer).get(update_links[0])
    assert form.status_code == 200 and "Improve permanence planning" in form.text

    [theirs] = smtp.inbox.to(outsider.email)
    assert "Moray secret work" in theirs.body and "permanence" not in theirs.body
    assert login(outsider).get(update_links[0]).status_code == 404  # never another partnership's action
    assert login(officer).get(links(theirs.body)[0]).status_code == 404


def test_a_reminder_across_the_quarter_boundary_chases_the_quarter_just_ended(smtp, calendar, officer, action):
    done = ActionFactory(plan=action.plan, reference="A02")
    done.responsible_users.add(officer)
    record_progress(done, officer, "green", Q1)  # updated for Q1
    record_progress(action, officer, "amber", Q1.next(), commentary="Slipping.")  # only for Q2

    reminders_send(today=FIRST_REMINDER)  # 2 July: calendar Q2, chasing Q1's updates

    [email] = smtp.inbox.to(officer.email)
    assert "A01" in email.body and "no update yet for 2021/22 Q1" in email.body
    assert "A02" not in email.body


def test_nothing_is_sent_on_a_day_without_reminders_nor_twice_on_one_day(smtp, calendar, officer, action):
    assert reminders_send(today=datetime.date(2021, 7, 5)) == 0
    assert reminders_send(today=FIRST_REMINDER) == 1
    assert reminders_send(today=FIRST_REMINDER) == 0
    assert len(smtp.inbox.received) == 1
    sent = SentReminder.objects.get()
    assert (sent.user, sent.kind, sent.sent_on, sent.email) == (
        officer,
        ReminderKind.REMINDER,
        FIRST_REMINDER,
        officer.email,
    )
    assert [item["label"] for item in sent.items] == ["A01 Improve permanence planning"]


def test_the_day_after_the_deadline_escalates_to_partnership_admins(
    smtp, calendar, officer, action, partnership_admin, colleague, elsewhere
):
    with_email(partnership_admin)
    unowned = ActionFactory(plan=action.plan, reference="A07", title="Nobody's action")

    reminders_send(today=DAY_AFTER)

    [overdue] = smtp.inbox.to(officer.email)
    assert overdue.subject.startswith("SIP Portal: updates overdue since 16 July 2021")
    [escalation] = smtp.inbox.to(partnership_admin.email)
    assert escalation.subject == "SIP Portal: 2 updates overdue for 2021/22 Q1 (East Ayrshire Test HSCP)"
    body = escalation.body
    assert body.index(officer.get_full_name()) < body.index("A01 Improve permanence planning")
    assert body.index("No officer linked") < body.index(f"{unowned.reference} Nobody's action")
    assert "Moray" not in body
    assert smtp.inbox.to(colleague.email) == []  # a manager with nothing outstanding hears nothing


def test_risk_reviews_falling_due_are_listed_for_their_owner(smtp, calendar, officer, action, partnership):
    due = RiskFactory(partnership=partnership, owner_user=officer, review_date=datetime.date(2021, 7, 10))
    RiskFactory(partnership=partnership, owner_user=officer, review_date=datetime.date(2021, 9, 1), title="Later")

    reminders_send(today=FIRST_REMINDER)

    [email] = smtp.inbox.to(officer.email)
    assert f"Risk {due.reference} {due.title} (review due 10 July 2021)" in email.body
    assert reverse("risks:risk_review", kwargs={"pk": due.pk}) in email.body
    assert "Later" not in email.body


def test_an_officer_who_switched_reminders_off_gets_none(smtp, calendar, officer, action):
    ReminderPreference.objects.create(user=officer, frequency=ReminderFrequency.OFF)
    assert reminders_send(today=FIRST_REMINDER) == 0
    assert smtp.inbox.received == []


def test_a_weekly_digest_replaces_the_reminders_and_comes_on_mondays(smtp, calendar, officer, action):
    ReminderPreference.objects.create(user=officer, frequency=ReminderFrequency.WEEKLY)
    assert reminders_send(today=FIRST_REMINDER) == 0  # a reminder date, but a Friday
    assert reminders_send(today=datetime.date(2021, 6, 28)) == 0  # a Monday before the first reminder
    assert reminders_send(today=datetime.date(2021, 7, 5)) == 1  # the Monday after it
    assert reminders_send(today=datetime.date(2021, 7, 12)) == 1
    record_progress(action, officer, "green", Q1)
    assert reminders_send(today=DAY_AFTER) == 0  # nothing outstanding any more
    subjects = [email.subject for email in smtp.inbox.to(officer.email)]
    assert (
        subjects == ["SIP Portal weekly digest: updates due by 16 July 2021 (East Ayrshire Test HSCP, 2021/22 Q1)"] * 2
    )


def test_the_command_sends_for_the_given_date(smtp, calendar, officer, action, capsys):
    call_command("send_reminders", "--date", "2021-07-02")
    assert "1 reminder email sent for 02 July 2021." in capsys.readouterr().out
    assert len(smtp.inbox.to(officer.email)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(calendar, officer, action, partnership):
    for n in range(5):
        colleague = with_email(member(partnership, MembershipRole.MANAGER, f"officer{n}"))
        ActionFactory(plan=action.plan).responsible_users.add(colleague)
    with SmtpServer() as server:
        env = process_env(EMAIL_DELIVERY="smtp", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(server.port))
        command = [sys.executable, "manage.py", "send_reminders", "--date", "2021-07-02"]
        runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    recipients = sorted(address for email in server.inbox.received for address in email.recipients)
    assert recipients == sorted([officer.email] + [f"officer{n}@example.gov.uk" for n in range(5)])
    assert SentReminder.objects.count() == 6
