"""Fixtures for the sessions app: an upcoming session with an agenda and members."""

import datetime

import pytest
from django.utils import timezone

from councils.models import Membership
from sessions import services
from sessions.models import Session

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, with_next_term


@pytest.fixture
def council(council):
    return with_next_term(council)


@pytest.fixture
def members(council):
    """Three standing members with e-mail, one non-standing, one without e-mail."""
    police = OrganisationFactory(council=council, name="Policijska postaja Ptuj", kind="police")
    csd = OrganisationFactory(council=council, name="CSD Spodnje Podravje", kind="social")
    result = []
    for first, last, org in [
        ("Aleksander", "Lubej", police),
        ("Simona", "Rajh", csd),
        ("Tjasa", "Žnidarič", None),
    ]:
        person = PersonFactory(
            council=council,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.test",
        )
        result.append(
            MembershipFactory(
                council=council,
                person=person,
                organisation=org,
                start_date=datetime.date(2023, 1, 1),
            )
        )
    adhoc = PersonFactory(
        council=council, first_name="Katja", last_name="Ribič", email="katja@example.test"
    )
    MembershipFactory(
        council=council,
        person=adhoc,
        kind=Membership.Kind.NON_STANDING,
        start_date=datetime.date(2023, 1, 1),
    )
    silent = PersonFactory(council=council, first_name="Brez", last_name="Pošte", email="")
    MembershipFactory(council=council, person=silent, start_date=datetime.date(2023, 1, 1))
    return result


@pytest.fixture
def upcoming(council, secretary):
    day = timezone.localdate() + datetime.timedelta(days=14)
    session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": day,
            "start_time": datetime.time(17, 0),
            "end_time": datetime.time(19, 0),
            "place": "Mestna hiša, sejna soba",
        },
    )
    services.agenda_item_create(
        session=session, by=secretary, data={"title": "Varnostne razmere v letu 2025"}
    )
    services.agenda_item_create(
        session=session, by=secretary, data={"title": "Varnost šolskih poti"}
    )
    return Session.objects.get(pk=session.pk)
