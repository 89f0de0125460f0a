"""sosvet.collation: names in Slovenian alphabetical order, on SQLite and on PostgreSQL."""

import pytest

from councils import public_selectors
from councils import selectors as council_selectors
from councils.models import Municipality, Organisation, Person
from sessions import selectors as session_selectors
from sessions.models import Invitee
from sosvet.collation import collation_key
from tests.factories import (
    CouncilFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.sessions.fixtures_extra import make_session

SURNAMES = ["Zupan", "Čeh", "Cvetko", "Šket", "Sever", "Žnidarič", "Tomažič", "cankar"]
SLOVENIAN_ORDER = ["cankar", "Cvetko", "Čeh", "Sever", "Šket", "Tomažič", "Zupan", "Žnidarič"]


def test_the_python_key_keeps_caron_letters_after_their_base_letter():
    names = ["Četrtna skupnost", "CSD Spodnje Podravje", "Dom", "Cankar", "Šola", "Svet", "Žalec"]

    assert sorted(names, key=collation_key) == [
        "Cankar",
        "CSD Spodnje Podravje",
        "Četrtna skupnost",
        "Dom",
        "Svet",
        "Šola",
        "Žalec",
    ]


@pytest.mark.django_db
def test_people_members_and_organisations_are_listed_in_slovenian_order():
    council = CouncilFactory()
    for surname in SURNAMES:
        person = PersonFactory(council=council, first_name="Ana", last_name=surname)
        MembershipFactory(
            council=council,
            person=person,
            organisation=OrganisationFactory(council=council, name=f"{surname} d.o.o."),
        )

    people = council_selectors.people_list(council=council)
    memberships = council_selectors.memberships_list(council=council)
    organisations = council_selectors.organisations_list(council=council)

    assert [p.last_name for p in people] == SLOVENIAN_ORDER
    assert [p.last_name for p in Person.objects.filter(council=council)] == SLOVENIAN_ORDER
    assert [m.person.last_name for m in memberships] == SLOVENIAN_ORDER
    assert [o.name for o in organisations] == [f"{s} d.o.o." for s in SLOVENIAN_ORDER]
    assert [o.name for o in Organisation.objects.filter(council=council)] == [
        f"{s} d.o.o." for s in SLOVENIAN_ORDER
    ]


@pytest.mark.django_db
def test_municipalities_and_councils_are_listed_in_slovenian_order():
    names = ["Žalec", "Velenje", "Šentjur", "Celje", "Črnomelj", "Slovenj Gradec"]
    council = CouncilFactory(is_published=True)
    council.municipalities.set([MunicipalityFactory(name=name) for name in names])
    for name in names:
        CouncilFactory(name=f"Sosvet {name}", is_published=True)

    expected = ["Celje", "Črnomelj", "Slovenj Gradec", "Šentjur", "Velenje", "Žalec"]
    municipalities = public_selectors.municipalities_of(council=council)
    councils = public_selectors.councils_published(search="sosvet ").exclude(pk=council.pk)

    assert [m.name for m in municipalities] == expected
    assert list(Municipality.objects.filter(name__in=names).values_list("name", flat=True)) == (
        expected
    )
    assert [c.name for c in councils] == [f"Sosvet {name}" for name in expected]


@pytest.mark.django_db
def test_invitees_are_listed_by_surname_with_guests_by_their_name(council):
    session = make_session(council)
    for first_name, surname in [("Ana", "Zupan"), ("Zala", "Čeh"), ("Ivo", "Cvetko")]:
        person = PersonFactory(council=council, first_name=first_name, last_name=surname)
        Invitee.objects.create(
            session=session, person=person, name=person.full_name, email=person.email
        )
    for name in ["Šket", "Avsec"]:
        Invitee.objects.create(
            session=session, name=name, email=f"{name}@example.test", kind=Invitee.Kind.GUEST
        )

    invitees = list(session_selectors.invitees_list(session=session))

    members = [i.name for i in invitees if i.kind != Invitee.Kind.GUEST]
    guests = [i.name for i in invitees if i.kind == Invitee.Kind.GUEST]
    assert members == ["Ivo Cvetko", "Zala Čeh", "Ana Zupan"]
    assert guests == ["Avsec", "Šket"]


@pytest.mark.django_db
def test_the_database_check_finds_the_collation():
    from sosvet.collation import check_collation

    assert check_collation(databases=["default"]) == []


@pytest.mark.django_db
def test_the_database_check_reports_a_postgresql_without_the_collation(monkeypatch):
    from django.db import connection

    from sosvet import collation

    if connection.vendor != "postgresql":
        pytest.skip("the collation is registered by the project itself on SQLite")
    monkeypatch.setattr(collation, "NAME_COLLATION", "xx-no-such-collation")

    errors = collation.check_collation(databases=["default"])

    assert [e.id for e in errors] == ["sosvet.E001"]
