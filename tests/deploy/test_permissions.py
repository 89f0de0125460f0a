"""The deployment rows of the permission matrix (tests/deploy/permission_rows.py), run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .permission_rows import ANON, MATRIX_ROWS, MAYOR, MEMBER, OTHER, SECRETARY, VISITORS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_deploy_permission_matrix(
    client, url_name, visitor, member, secretary, mayors_office, other_secretary
):
    users = {MEMBER: member, SECRETARY: secretary, MAYOR: mayors_office, OTHER: other_secretary}
    if visitor != ANON:
        client.force_login(users[visitor])
    kind, expected = MATRIX_ROWS[url_name]
    assert kind == "none"
    response = client.get(reverse(url_name))
    assert response.status_code == expected[visitor]
