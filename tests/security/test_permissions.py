"""The two-factor rows of the permission matrix (tests/security/permission_rows.py), run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .permission_rows import ANON, MATRIX_ROWS, MAYOR, MEMBER, OTHER, SECRETARY, VISITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(secretary, member, mayors_office, other_secretary):
    return {MEMBER: member, SECRETARY: secretary, MAYOR: mayors_office, OTHER: other_secretary}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_two_factor_permission_matrix(client, users, url_name, visitor):
    _kind, expected = MATRIX_ROWS[url_name]
    if visitor != ANON:
        client.force_login(users[visitor])

    response = client.get(reverse(url_name))

    assert response.status_code == expected[visitor], (url_name, visitor)
    if visitor == ANON:
        assert response["Location"].startswith(reverse("login"))
