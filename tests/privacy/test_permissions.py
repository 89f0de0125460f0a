"""The privacy rows of the permission matrix (tests/privacy/permission_rows.py), run.

GET for every URL and visitor; POST for the state-changing ones, checking that those
who may not export or erase get nothing and change nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import AuditEvent, Person

from ..factories import PersonFactory, UserFactory
from .permission_rows import (
    ANON,
    LOGIN,
    MATRIX_ROWS,
    MAYOR,
    MEMBER,
    OTHER,
    POST_ROWS,
    SECRETARY,
    VISITORS,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(council, other_council, secretary, member, mayors_office, other_secretary):
    return {
        "council": council,
        "person": PersonFactory(council=council, email="oseba@example.test", phone="041 1"),
        "users": {
            MEMBER: member,
            SECRETARY: secretary,
            MAYOR: mayors_office,
            OTHER: other_secretary,
        },
    }


def url_for(name: str, kind: str, world: dict) -> str:
    if kind == "none":
        return reverse(name)
    kwargs = {"council_slug": world["council"].slug}
    if kind == "person":
        kwargs["pk"] = world["person"].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_privacy_permission_matrix(client, world, url_name, visitor):
    kind, expected = MATRIX_ROWS[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])

    response = client.get(url_for(url_name, kind, world))

    assert response.status_code == expected[visitor], (url_name, visitor)
    if expected[visitor] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(POST_ROWS))
def test_privacy_post_matrix(client, world, url_name, visitor):
    kind, expected = POST_ROWS[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])
    before = list(Person.objects.values_list("pk", "email", "phone", "erased_at"))

    response = client.post(url_for(url_name, kind, world), {"reason": "x"})

    assert response.status_code == expected[visitor], (url_name, visitor)
    assert list(Person.objects.values_list("pk", "email", "phone", "erased_at")) == before
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.PERSON_EXPORTED)
    assert exported.exists() == (visitor == SECRETARY and url_name.endswith("export"))


def test_site_administrators_read_the_installations_audit_log(client, world):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("audit_site")).status_code == 200
