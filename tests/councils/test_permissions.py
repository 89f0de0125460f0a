"""The permission predicates of councils.permissions, for every kind of user."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from councils import permissions
from councils.models import CouncilRole, Membership

from ..factories import MembershipFactory, PersonFactory, UserFactory

ONE_DAY = datetime.timedelta(days=1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def fresh(user):
    """The user as a new request would load it (council_access caches on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def linked_member(council, **membership_fields):
    user = UserFactory()
    person = PersonFactory(council=council, user=user)
    MembershipFactory(council=council, person=person, **membership_fields)
    return user


@pytest.fixture
def chair_by_membership(council):
    return linked_member(council, role=Membership.Role.CHAIR)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def inactive_secretary(secretary):
    secretary.is_active = False
    secretary.save()
    return fresh(secretary)


@pytest.fixture
def superuser(council):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def ended_member(council):
    return linked_member(council, end_date=timezone.localdate() - ONE_DAY)


@pytest.fixture
def future_member(council):
    return linked_member(council, start_date=timezone.localdate() + ONE_DAY)


@pytest.fixture
def member_elsewhere(council, other_council):
    """An active member of the other council only."""
    return linked_member(other_council)


# fixture name -> (roles, can_view, can_read_internal, can_manage, can_download_reports)
MATRIX = {
    "secretary": ({"secretary"}, True, True, True, True),
    "chair": ({"chair"}, True, True, True, True),
    "chair_by_membership": ({"chair"}, True, True, True, True),
    "member": ({"member"}, True, True, False, False),
    "mayors_office": ({"mayors_office"}, True, False, False, True),
    "superuser": ({"secretary"}, True, True, True, True),
    "anonymous": (set(), False, False, False, False),
    "inactive_secretary": (set(), False, False, False, False),
    "other_secretary": (set(), False, False, False, False),
    "member_elsewhere": (set(), False, False, False, False),
    "ended_member": (set(), False, False, False, False),
    "future_member": (set(), False, False, False, False),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_council_access_roles_for_each_user(request, council, who):
    user = request.getfixturevalue(who)
    roles = MATRIX[who][0]

    access = permissions.council_access(user, council)

    assert access.roles == frozenset(roles)
    assert access.has_access is bool(roles)


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_predicates_for_each_user(request, council, who):
    user = request.getfixturevalue(who)
    _, view, read_internal, manage, reports = MATRIX[who]

    assert {
        "can_view_council": permissions.can_view_council(user, council),
        "can_read_internal": permissions.can_read_internal(user, council),
        "can_manage_council": permissions.can_manage_council(user, council),
        "can_download_reports": permissions.can_download_reports(user, council),
    } == {
        "can_view_council": view,
        "can_read_internal": read_internal,
        "can_manage_council": manage,
        "can_download_reports": reports,
    }


def test_council_access_of_other_secretary_in_own_council(other_council, other_secretary):
    assert permissions.council_access(other_secretary, other_council).roles == frozenset(
        {"secretary"}
    )


def test_council_access_of_none_is_no_access(council):
    assert permissions.council_access(None, council) is permissions.NO_ACCESS


def test_council_access_membership_ending_today_still_counts(council):
    user = linked_member(council, end_date=timezone.localdate())

    assert permissions.council_access(user, council).roles == frozenset({"member"})


@pytest.mark.parametrize(
    "membership_role", [Membership.Role.DEPUTY_CHAIR, Membership.Role.SECRETARY]
)
def test_council_access_other_membership_roles_give_member_access(council, membership_role):
    user = linked_member(council, role=membership_role)

    access = permissions.council_access(user, council)

    assert access.roles == frozenset({"member"})
    assert access.can_manage is False


def test_council_access_explicit_role_and_membership_are_combined(council, mayors_office):
    person = PersonFactory(council=council, user=mayors_office)
    MembershipFactory(council=council, person=person)

    access = permissions.council_access(mayors_office, council)

    assert access.roles == frozenset({"mayors_office", "member"})
    assert (access.can_read_internal, access.can_download_reports, access.can_manage) == (
        True,
        True,
        False,
    )


def test_council_access_is_cached_on_the_user_object(council, secretary):
    assert permissions.can_manage_council(secretary, council) is True

    CouncilRole.objects.filter(user=secretary).delete()

    # The same request (same user object) keeps its answer; the next request sees the change.
    assert permissions.can_manage_council(secretary, council) is True
    assert permissions.can_manage_council(fresh(secretary), council) is False


def test_council_access_cache_is_per_council(council, other_council, secretary):
    assert permissions.can_view_council(secretary, council) is True
    assert permissions.can_view_council(secretary, other_council) is False


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({"mayors_office", "member", "chair", "secretary"}, "secretary"),
        ({"mayors_office", "member", "chair"}, "chair"),
        ({"mayors_office", "member"}, "member"),
        ({"mayors_office"}, "mayors_office"),
        (set(), None),
    ],
)
def test_council_access_primary_role_is_the_strongest(roles, expected):
    assert permissions.access_for_roles(roles).primary_role == expected


@pytest.mark.parametrize(
    ("roles", "label"),
    [
        ({"secretary"}, "Secretary"),
        ({"chair"}, "Chair"),
        ({"member"}, "Member"),
        ({"mayors_office"}, "Mayor's office"),
        (set(), ""),
    ],
)
def test_council_access_primary_role_label(roles, label):
    assert permissions.access_for_roles(roles).primary_role_label == label
