"""Every public page and feed runs the same number of queries for 1 and for 3 items."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sessions.models import Session

from ..factories import CouncilFactory, MembershipFactory, MunicipalityFactory
from .conftest import add_indicator_years, adopt_report, invite, make_session, publish_minutes

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name: str, council, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"council_slug": council.slug, **kwargs})


def fill(council, count: int) -> list[Session]:
    """``count`` held sessions with published minutes and conclusions, ``count`` convened
    sessions ahead, ``count`` published reports, ``count`` indicator years, ``count``
    members."""
    held = []
    for n in range(count):
        session = make_session(
            council,
            D(2024, 1 + n, 10),
            status=Session.Status.HELD,
            number=n + 1,
            items=[(f"Točka {n}", True), (f"Zaprta {n}", False)],
        )
        publish_minutes(session, [(f"Točka {n}", f"Sklep {n}", True)])
        held.append(session)
        upcoming = make_session(
            council,
            datetime.date.today() + datetime.timedelta(days=10 + n),
            status=Session.Status.CONVENED,
            number=20 + n,
            items=[(f"Prihodnja {n}", True)],
        )
        invite(upcoming)
        adopt_report(council, 2015 + n, session)
        MembershipFactory(council=council)
    add_indicator_years(council, [2020 + n for n in range(count)])
    return held


@pytest.mark.parametrize("item_count", [1, 3])
def test_index_query_count(client, django_assert_num_queries, item_count):
    for _n in range(item_count):
        council = CouncilFactory(is_published=True)
        council.municipalities.add(MunicipalityFactory())
    # Count + page + municipalities.
    with django_assert_num_queries(3):
        response = client.get(reverse("public:index"))
    assert len(response.context["councils"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_index_search_query_count(client, django_assert_num_queries, item_count):
    for n in range(item_count):
        council = CouncilFactory(name=f"Sosvet {n}", is_published=True)
        council.municipalities.add(MunicipalityFactory(name=f"Občina Ormož {n}"))
    with django_assert_num_queries(5):
        response = client.get(reverse("public:index"), {"q": "ormoz"})
    assert len(response.context["councils"]) == item_count


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("item_count", [1, 3])
def test_council_page_query_count(
    client, django_assert_num_queries, public_council, item_count, cached, settings
):
    """The same queries whether the indicator section comes from its cache or not (its key
    is made of the rows the page reads anyway)."""
    settings.INDICATOR_SECTION_CACHE = cached
    fill(public_council, item_count)

    # The council with its working groups, its municipalities, a page of past sessions
    # with their number, their published minutes, the members, the police organisations
    # (no police station in the profile), the upcoming sessions, their agenda items, the
    # reports, the indicator values of the window with their indicators.
    with django_assert_num_queries(10):
        response = client.get(url("council", public_council))

    assert len(response.context["past_sessions"]) == item_count
    assert len(response.context["upcoming"]) == item_count
    assert len(response.context["reports"]) == item_count
    assert len(response.context["indicators"].summary.available_years) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_session_page_query_count(client, django_assert_num_queries, public_council, item_count):
    session = make_session(
        public_council,
        D(2024, 3, 19),
        status=Session.Status.HELD,
        number=1,
        items=[(f"Točka {n}", True) for n in range(item_count)],
    )
    publish_minutes(session, [(f"Točka {n}", f"Sklep {n}", True) for n in range(item_count)])

    with django_assert_num_queries(5):
        response = client.get(url("session", public_council, pk=session.pk))

    assert len(response.context["public_minutes"].items) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_page_query_count(client, django_assert_num_queries, public_council, item_count):
    fill(public_council, item_count)

    with django_assert_num_queries(3):
        response = client.get(url("report", public_council, year=2015))

    assert response.status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_calendar_query_count(client, django_assert_num_queries, public_council, item_count):
    fill(public_council, item_count)

    with django_assert_num_queries(4):
        response = client.get(url("calendar", public_council))

    assert response.content.count(b"BEGIN:VEVENT") == 2 * item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_feed_query_count(client, django_assert_num_queries, public_council, item_count):
    fill(public_council, item_count)

    with django_assert_num_queries(6):
        response = client.get(url("feed", public_council))

    assert response.content.count(b"<entry>") == 3 * item_count
