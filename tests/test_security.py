"""Security hardening: what a user who may not see something learns about it, sessions, headers, sign-in."""

import pytest

from plans.choices import MembershipRole
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
            f"You are not a partnership admin of {typed}. Check the name is your partnership's, exactly.",
        )
    ]
    assert snapshot() == before


def test_a_superuser_is_told_a_partnership_does_not_exist(superuser):
    result = run(book(Plan=plan_rows(Partnership="Nowhere Test HSCP")), superuser)
    assert [p.message for p in result.problems] == ["There is no partnership called 'Nowhere Test HSCP'."]
