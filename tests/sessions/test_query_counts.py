"""Every sessions list page runs the same number of queries for 1 and for 3 rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from councils.models import Membership
from sessions import services
from sessions.models import Invitee

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory
from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import make_session, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, secretary):
    client.force_login(secretary)
    # Warm up the session so that the count below is the steady state of a page view.
    client.get(reverse("dashboard"))
    return client


def u(name: str, council, **kwargs) -> str:
    return reverse(f"sessions:{name}", kwargs={"council_slug": council.slug, **kwargs})


def add_members(council, count: int) -> list[Membership]:
    """Standing members, each with an organisation and a login account."""
    result = []
    for n in range(count):
        person = PersonFactory(
            council=council, email=f"clan{n}@example.test", user=UserFactory(username=f"clan{n}")
        )
        result.append(
            MembershipFactory(
                council=council,
                person=person,
                organisation=OrganisationFactory(council=council),
            )
        )
    return result


@pytest.mark.parametrize("item_count", [1, 3])
def test_session_list_query_count(
    signed_in, django_assert_num_queries, council, secretary, item_count
):
    for n in range(item_count):
        session = make_session(
            council, days=10 + n, term=council.terms.get(start_date=datetime.date(2022, 12, 1))
        )
        session.agenda_items.create(title="Točka", position=1)
        services.proposal_submit(
            session=session, by=secretary, proposer=None, data={"title": "P", "rationale": "R"}
        )
    with django_assert_num_queries(6):
        response = signed_in.get(u("session_list", council))
    assert len(response.context["sessions"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_proposal_list_query_count(
    signed_in, django_assert_num_queries, council, secretary, upcoming, item_count
):
    later = make_session(council, days=40)
    for n, membership in enumerate(add_members(council, item_count)):
        proposal = services.proposal_submit(
            session=upcoming,
            by=membership.person.user,
            proposer=membership.person,
            data={
                "title": f"Predlog {n}",
                "rationale": "Utemeljitev",
                "organisation": membership.organisation,
            },
            upload=upload(f"priloga{n}.pdf", pdf_bytes()),
        )
        if n == 0:
            services.proposal_move(proposal=proposal, by=secretary, target=later)
    with django_assert_num_queries(9):
        response = signed_in.get(u("proposal_list", council))
    assert len(response.context["pending"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_invitation_detail_query_count(
    signed_in, django_assert_num_queries, council, secretary, upcoming, item_count
):
    memberships = add_members(council, item_count)
    services.invitation_send(session=upcoming, by=secretary, memberships=memberships)
    with django_assert_num_queries(9):
        response = signed_in.get(u("invitation_detail", council, pk=upcoming.pk, revision=1))
    assert len(response.context["deliveries"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_attendance_query_count(
    signed_in, django_assert_num_queries, council, secretary, upcoming, item_count
):
    memberships = add_members(council, item_count)
    services.invitation_send(session=upcoming, by=secretary, memberships=memberships)
    for n, invitee in enumerate(Invitee.objects.filter(session=upcoming)):
        services.rsvp_record(
            invitee=invitee,
            response="substitute",
            substitute={"name": f"Namestnik {n}", "email": f"namestnik{n}@example.test"},
        )
    with django_assert_num_queries(7):
        response = signed_in.get(u("attendance", council, pk=upcoming.pk))
    assert len(response.context["invitees"]) == 2 * item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_session_detail_query_count(
    signed_in, django_assert_num_queries, council, secretary, item_count
):
    session = make_session(council, days=20)
    for n, membership in enumerate(add_members(council, item_count)):
        item = services.agenda_item_create(
            session=session,
            by=secretary,
            data={
                "title": f"Točka {n}",
                "presenter": membership.person,
                "presenter_organisation": membership.organisation,
                "proposed_by": membership.person,
            },
        )
        for name in ("a.pdf", "b.png"):
            content = pdf_bytes() if name.endswith(".pdf") else png_bytes()
            services.attachment_add(
                council=council, by=secretary, upload=upload(name, content), agenda_item=item
            )
        services.proposal_submit(
            session=session,
            by=membership.person.user,
            proposer=membership.person,
            data={
                "title": f"Predlog {n}",
                "rationale": "R",
                "organisation": membership.organisation,
            },
        )
    services.invitation_send(
        session=session, by=secretary, memberships=list(Membership.objects.all())
    )
    with django_assert_num_queries(14):
        response = signed_in.get(u("session_detail", council, pk=session.pk))
    assert len(response.context["items"]) == item_count
    assert len(response.context["proposals"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_proposal_list_own_proposals_query_count(
    client, django_assert_num_queries, council, member, upcoming, item_count
):
    person = member.persons.get()
    organisation = OrganisationFactory(council=council)
    for n in range(item_count):
        services.proposal_submit(
            session=upcoming,
            by=member,
            proposer=person,
            data={"title": f"Predlog {n}", "rationale": "R", "organisation": organisation},
            upload=upload(f"priloga{n}.pdf", pdf_bytes()),
        )
    client.force_login(member)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(9):
        response = client.get(u("proposal_list", council))
    assert len(response.context["my_proposals"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_invitation_send_page_query_count(
    signed_in, django_assert_num_queries, council, upcoming, item_count
):
    add_members(council, item_count)
    with django_assert_num_queries(14):
        response = signed_in.get(u("invitation_send", council, pk=upcoming.pk))
    assert len(response.context["form"].fields["memberships"].choices) == item_count
