"""Security hardening: what a user who may not see something learns about it, sessions, headers, sign-in."""

import io
import logging
import re
from datetime import timedelta

import plotly.graph_objects as go
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as settings_module
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dashboard import charts
from dashboard.models import QuarterlyReport
from plans.choices import MembershipRole
from plans.models import Plan
from sipportal.security import client_ip
from tests.factories import MembershipFactory, UserFactory
from tests.plans.workbook.test_bad_input import book, plan_rows, run, snapshot


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the importer does not reveal which partnerships exist ----------------------------------------


@pytest.fixture
def other_admin(other_partnership):
    return MembershipFactory(
        partnership=other_partnership, role=MembershipRole.PARTNERSHIP_ADMIN, user=UserFactory(username="other-admin")
    ).user


@pytest.mark.parametrize(
    "typed",
    ["East Ayrshire Test HSCP", "east ayrshire test hscp", "East-Ayrshire Test HSCP", "Nowhere Test HSCP"],
    ids=["exists", "exists-other-case", "exists-by-slug", "missing"],
)
def test_a_partnership_that_is_not_yours_reads_the_same_as_one_that_does_not_exist(partnership, other_admin, typed):
    before = snapshot()
    result = run(book(Plan=plan_rows(Partnership=typed)), other_admin)
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        (
            "Plan",
            2,
            "Partnership",
            f"You are not a partnership admin of {typed}. Check the name is your partnership's, exactly. "
            "If it is a new partnership, a site administrator can create it.",
        )
    ]
    assert snapshot() == before


def test_a_superuser_is_told_a_partnership_does_not_exist(superuser):
    result = run(book(Plan=plan_rows(Partnership="Nowhere Test HSCP")), superuser)
    assert [p.message for p in result.problems] == [
        "There is no partnership called 'Nowhere Test HSCP'. You can create it from this preview, or correct the name."
    ]


# --- sign-in throttling (django-axes) -------------------------------------------------------------

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def ea_admin(db):
    return UserFactory(username="ea-admin")


def test_repeated_wrong_passwords_lock_the_username_out(client, ea_admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ea-admin", "wrong").status_code == 200
    locked = sign_in(client, "ea-admin", "wrong")
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.text
    assert "paused for 15 minutes" in locked.text

    right_password = sign_in(client, "ea-admin", PASSWORD)
    assert right_password.status_code == 429
    assert not signed_in(client)
    from_elsewhere = sign_in(client, "ea-admin", PASSWORD, address="198.51.100.7")  # per username, too
    assert from_elsewhere.status_code == 429
    assert not signed_in(client)


def test_failures_from_one_address_lock_that_address_out_for_every_username(client, ea_admin, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.5")
    assert sign_in(client, "ea-admin", PASSWORD, address="203.0.113.5").status_code == 429
    assert not signed_in(client)
    assert sign_in(client, "ea-admin", PASSWORD, address="198.51.100.7").status_code == 302  # another address
    assert signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, ea_admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ea-admin", "wrong")
    assert sign_in(client, "ea-admin", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ea-admin", "wrong")
    assert sign_in(client, "ea-admin", PASSWORD).status_code == 302


def test_an_admin_can_unlock_a_username(client, ea_admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ea-admin", "wrong")
    assert sign_in(client, "ea-admin", PASSWORD).status_code == 429
    call_command("axes_reset_username", "ea-admin", stdout=io.StringIO())
    assert sign_in(client, "ea-admin", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_admin_sees_and_can_clear_lockouts_in_the_admin(client, ea_admin, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ea-admin", "wrong")
    attempt = AccessAttempt.objects.get(username="ea-admin")
    client.force_login(superuser)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "ea-admin" in changelist.text
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "ea-admin", PASSWORD, address="198.51.100.7").status_code == 302


def test_failed_and_successful_sign_ins_are_logged(client, ea_admin, caplog):
    with caplog.at_level(logging.INFO, logger="axes"):
        sign_in(client, "ea-admin", "wrong")
        sign_in(client, "ea-admin", PASSWORD)
    messages = [record.getMessage() for record in caplog.records]
    who = '{username: "ea-admin", ip_address: "192.0.2.10"'
    assert any(m.startswith(f"AXES: New login failure by {who}") for m in messages), messages
    assert any(m.startswith(f"AXES: Successful login by {who}") for m in messages), messages
    assert PASSWORD not in " ".join(messages) and "wrong" not in " ".join(messages)
    assert AccessFailureLog.objects.filter(username="ea-admin", ip_address="192.0.2.10").count() == 1
    assert AccessLog.objects.filter(username="ea-admin", ip_address="192.0.2.10").count() == 1


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44")
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "192.0.2.44"  # the client can forge earlier entries, not the proxy's
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.2"


# --- sessions -------------------------------------------------------------------------------------


def stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_when_the_browser_closes(client, ea_admin):
    sign_in(client, "ea-admin", PASSWORD)
    cookie = client.cookies[settings_module.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


def test_the_idle_limit_is_eight_hours_by_default():
    assert settings_module.SESSION_COOKIE_AGE == 8 * 3600


def test_a_session_idle_past_the_limit_has_ended(client, ea_admin):
    sign_in(client, "ea-admin", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("plans:my_actions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_using_a_session_keeps_it_alive(client, ea_admin):
    sign_in(client, "ea-admin", PASSWORD)
    nearly_idle = timezone.now() + timedelta(minutes=5)  # as if unused for 7 h 55 min
    Session.objects.update(expire_date=nearly_idle)
    assert client.get(reverse("plans:my_actions")).status_code == 200
    assert stored_session(client).expire_date > nearly_idle + timedelta(hours=7)


def test_a_fresh_session_is_not_written_on_every_request(client, ea_admin):
    sign_in(client, "ea-admin", PASSWORD)
    expiry = stored_session(client).expire_date
    client.get(reverse("plans:my_actions"))
    assert stored_session(client).expire_date == expiry  # renewed only once it has run down a little


# --- headers --------------------------------------------------------------------------------------


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client):
    directives = csp_directives(client.get(reverse("login")))
    assert directives["script-src"] == ["'self'"]  # plus the request's nonce, on a page that uses one
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == directives["base-uri"] == directives["frame-ancestors"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def test_pages_with_charts_and_htmx_have_no_inline_script_or_handler(seeded, client, superuser):
    client.force_login(superuser)
    plan = Plan.objects.filter(measures__isnull=False).first()
    report = QuarterlyReport.objects.select_related("plan").first()
    pages = [
        reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}),
        reverse("dashboard:partnership_dashboard", kwargs={"slug": plan.partnership.slug}),
        reverse("dashboard:overview"),
        reverse("plans:action_list"),
        reverse(
            "dashboard:report_print",
            kwargs={"slug": report.plan.slug, "year": report.period_year, "quarter": report.period_quarter},
        ),
        reverse("plans:import_start"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_SCRIPT.findall(response.text), url
        assert not EVENT_HANDLER.findall(response.text), url
        assert "Content-Security-Policy" in response, url


def test_a_chart_label_cannot_close_its_json_script(db):
    html = charts.to_html(go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1])), "chart-x")
    assert "</script><script>" not in html
    assert html.count("</script>") == 1


def test_plain_http_is_redirected_to_https_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response.url == "https://testserver" + reverse("login")
    secure = client.get(reverse("login"), secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
