"""Partnership admins manage their members in the app: add by username with a role, change a role, remove."""

import pytest
from django.urls import reverse

from plans.choices import MembershipRole
from plans.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def members_url(partnership):
    return reverse("plans:partnership_members", kwargs={"slug": partnership.slug})


def role_url(membership):
    return reverse("plans:partnership_member_role", kwargs={"slug": membership.partnership.slug, "pk": membership.pk})


def remove_url(membership):
    return reverse("plans:partnership_member_remove", kwargs={"slug": membership.partnership.slug, "pk": membership.pk})


def test_a_partnership_admin_adds_changes_and_removes_a_member(
    login, partnership_admin, partnership, django_assert_max_num_queries
):
    UserFactory(username="newstarter")
    client = login(partnership_admin)
    response = client.post(members_url(partnership), {"username": "NewStarter", "role": MembershipRole.MANAGER})
    assert response.status_code == 302
    added = Membership.objects.get(user__username="newstarter", partnership=partnership)
    assert added.role == MembershipRole.MANAGER

    client.post(role_url(added), {"role": MembershipRole.PARTNERSHIP_ADMIN})
    added.refresh_from_db()
    assert added.role == MembershipRole.PARTNERSHIP_ADMIN

    for n in range(5):
        MembershipFactory(partnership=partnership, user=UserFactory(username=f"reader{n}"))
    with django_assert_max_num_queries(12):
        page = client.get(members_url(partnership))
    assert page.status_code == 200 and "reader4" in page.text and "newstarter" in page.text

    client.post(remove_url(added))
    assert not Membership.objects.filter(pk=added.pk).exists()


def test_the_partnership_page_links_to_members_for_its_admins_only(login, partnership_admin, viewer, partnership):
    assert members_url(partnership) in login(partnership_admin).get(partnership.get_absolute_url()).text
    assert members_url(partnership) not in login(viewer).get(partnership.get_absolute_url()).text


def test_an_unknown_user_or_a_second_membership_is_refused(login, partnership_admin, viewer, partnership):
    client = login(partnership_admin)
    unknown = client.post(members_url(partnership), {"username": "nobody", "role": "viewer"})
    assert "There is no active user called &#x27;nobody&#x27;" in unknown.text
    twice = client.post(members_url(partnership), {"username": viewer.username, "role": "manager"})
    assert "is a member already" in twice.text
    assert Membership.objects.get(user=viewer).role == MembershipRole.VIEWER


def test_the_last_partnership_admin_cannot_be_demoted_or_removed(login, partnership_admin, partnership):
    own = Membership.objects.get(user=partnership_admin)
    client = login(partnership_admin)
    response = client.post(role_url(own), {"role": MembershipRole.VIEWER}, follow=True)
    assert "needs a partnership admin" in response.text
    client.post(remove_url(own))
    own.refresh_from_db()
    assert own.role == MembershipRole.PARTNERSHIP_ADMIN


def test_a_superuser_manages_any_partnerships_members(login, superuser, other_partnership):
    UserFactory(username="newstarter")
    login(superuser).post(members_url(other_partnership), {"username": "newstarter", "role": "viewer"})
    assert Membership.objects.filter(user__username="newstarter", partnership=other_partnership).exists()


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("owner", 403)])
def test_only_the_partnerships_admins_reach_or_change_members(request, client, partnership, viewer, who, expected):
    UserFactory(username="newstarter")
    target = Membership.objects.get(user=viewer)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(members_url(partnership)).status_code == expected
    assert client.post(members_url(partnership), {"username": "newstarter", "role": "viewer"}).status_code == expected
    assert client.post(role_url(target), {"role": MembershipRole.PARTNERSHIP_ADMIN}).status_code == expected
    assert client.post(remove_url(target)).status_code == expected
    target.refresh_from_db()
    assert target.role == MembershipRole.VIEWER
    assert not Membership.objects.filter(user__username="newstarter").exists()


def test_a_member_of_another_partnership_cannot_be_changed_through_this_one(login, partnership_admin, outsider):
    theirs = Membership.objects.get(user=outsider)
    url = reverse(
        "plans:partnership_member_role",
        kwargs={"slug": partnership_admin.memberships.get().partnership.slug, "pk": theirs.pk},
    )
    assert login(partnership_admin).post(url, {"role": "viewer"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == MembershipRole.MANAGER
