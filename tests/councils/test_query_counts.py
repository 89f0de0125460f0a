"""Every list page runs the same number of queries for 1 and for 3 items."""

import pytest
from django.urls import reverse

from councils.models import CouncilRole

from ..factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermFactory,
)


@pytest.fixture
def signed_in(client, secretary):
    client.force_login(secretary)
    # Warm up the session so that the count below is the steady state of a page view.
    client.get(reverse("dashboard"))
    return client


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_query_count(client, django_assert_num_queries, secretary, item_count):
    for _ in range(item_count - 1):
        council = CouncilFactory()
        TermFactory(council=council)
        CouncilRoleFactory(council=council, user=secretary, role=CouncilRole.Role.SECRETARY)
    client.force_login(secretary)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(6):
        response = client.get(reverse("dashboard"))
    assert len(response.context["user_councils"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_organisation_list_query_count(signed_in, django_assert_num_queries, council, item_count):
    for _ in range(item_count):
        MembershipFactory(council=council)
    with django_assert_num_queries(7):
        response = signed_in.get(
            reverse("councils:organisation_list", kwargs={"council_slug": council.slug})
        )
    assert len(response.context["organisations"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_person_list_query_count(signed_in, django_assert_num_queries, council, item_count):
    for _ in range(item_count):
        PersonFactory(council=council)
    with django_assert_num_queries(6):
        response = signed_in.get(
            reverse("councils:person_list", kwargs={"council_slug": council.slug})
        )
    assert len(response.context["people"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_membership_list_query_count(signed_in, django_assert_num_queries, council, item_count):
    for _ in range(item_count):
        MembershipFactory(council=council, organisation=OrganisationFactory(council=council))
    with django_assert_num_queries(8):
        response = signed_in.get(
            reverse("councils:membership_list", kwargs={"council_slug": council.slug})
        )
    assert len(response.context["memberships"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_person_detail_query_count(signed_in, django_assert_num_queries, council, item_count):
    person = PersonFactory(council=council)
    for year in range(item_count):
        MembershipFactory(
            council=council,
            person=person,
            start_date=f"20{10 + 2 * year}-01-01",
            end_date=f"20{11 + 2 * year}-01-01",
        )
    with django_assert_num_queries(9):
        response = signed_in.get(person.get_absolute_url())
    assert len(response.context["memberships"]) == item_count
