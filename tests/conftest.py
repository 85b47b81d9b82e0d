"""Shared fixtures: the seed data, and an owner, a colleague and an outsider."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from plans.choices import MembershipRole
from tests.factories import ActionFactory, MembershipFactory, PartnershipFactory, PlanFactory, UserFactory

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
SEED_FIXTURES = sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml"))

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def tasks_run_immediately():
    """Tasks run where they are enqueued; tests/test_worker.py runs the real worker process instead."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(autouse=True, scope="session")
def plain_http():
    """Tests speak plain http whatever the environment says (tests/test_settings.py checks production's redirect).

    Session-scoped, so it applies before the browser tests' live server builds its middleware.
    """
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a rolled-back test's data version can come round again."""
    cache.clear()


@pytest.fixture
def commit(db):
    """What a commit would do after the writes so far: run their on-commit callbacks (tests never commit)."""

    def run_callbacks():
        callbacks, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _, callback, _ in callbacks:
            callback()

    return run_callbacks


@pytest.fixture
def seeded(db):
    """The five source documents, loaded exactly as `make run` loads them."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="East Ayrshire Test HSCP", slug="ea-test")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Moray Test CPP", slug="moray-test")


@pytest.fixture
def plan(partnership):
    return PlanFactory(partnership=partnership)


@pytest.fixture
def action(plan):
    return ActionFactory(plan=plan, reference="A01", title="Improve permanence planning")


def member(partnership, role, username):
    return MembershipFactory(partnership=partnership, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def owner(partnership, action):
    """A manager in the action's partnership, named as its responsible officer."""
    user = member(partnership, MembershipRole.MANAGER, "owner")
    action.responsible_users.add(user)
    return user


@pytest.fixture
def colleague(partnership):
    """Another manager in the same partnership (with an apostrophe in her name, as many have)."""
    user = member(partnership, MembershipRole.MANAGER, "colleague")
    user.first_name, user.last_name = "Siobhan", "O'Neill"
    user.save()
    return user


@pytest.fixture
def viewer(partnership):
    return member(partnership, MembershipRole.VIEWER, "viewer")


@pytest.fixture
def partnership_admin(partnership):
    return member(partnership, MembershipRole.PARTNERSHIP_ADMIN, "padmin")


@pytest.fixture
def outsider(other_partnership):
    """A manager of a different partnership."""
    return member(other_partnership, MembershipRole.MANAGER, "outsider")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
