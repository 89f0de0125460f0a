"""The public rows of the permission matrix (tests/public/permission_rows.py), run; and
an unpublished council's public pages, which are 404 for everyone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Council

from .permission_rows import ANON, MATRIX_ROWS, MAYOR, MEMBER, OTHER, SECRETARY, VISITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitors(member, secretary, mayors_office, other_secretary):
    return {MEMBER: member, SECRETARY: secretary, MAYOR: mayors_office, OTHER: other_secretary}


def url_for(name: str, kind: str, world: dict, slug: str | None = None) -> str:
    if kind == "none":
        return reverse(name)
    kwargs = {"council_slug": slug or world["council"].slug}
    if kind == "session":
        kwargs["pk"] = world["held"].pk
    elif kind == "report":
        kwargs["year"] = world["published_report"].year
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_public_permission_matrix(client, world, visitors, url_name, visitor):
    kind, expected = MATRIX_ROWS[url_name]
    if visitor != ANON:
        client.force_login(visitors[visitor])

    response = client.get(url_for(url_name, kind, world))

    assert response.status_code == expected[visitor], (url_name, visitor)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(n for n in MATRIX_ROWS if n != "public:index"))
def test_unpublished_council_is_404_for_everyone(client, world, visitors, url_name, visitor):
    """Even its own secretary sees the public page only once it is published."""
    Council.objects.filter(pk=world["council"].pk).update(is_published=False)
    if visitor != ANON:
        client.force_login(visitors[visitor])
    kind, _expected = MATRIX_ROWS[url_name]

    response = client.get(url_for(url_name, kind, world))

    assert response.status_code == 404, (url_name, visitor)


@pytest.mark.parametrize("url_name", sorted(n for n in MATRIX_ROWS if n != "public:index"))
def test_missing_council_is_404(client, world, url_name):
    kind, _expected = MATRIX_ROWS[url_name]

    assert client.get(url_for(url_name, kind, world, slug="nikjer")).status_code == 404


def test_unpublished_council_is_not_in_the_index(client, world):
    Council.objects.filter(pk=world["council"].pk).update(is_published=False)

    response = client.get(reverse("public:index"))

    assert world["council"] not in response.context["councils"]
    assert world["council"].name not in response.content.decode()
