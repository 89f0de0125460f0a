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
    monkeypatch.setitem(collation.COLLATIONS, "xx", "xx-no-such-collation")

    errors = collation.check_collation(databases=["default"])

    assert [e.id for e in errors] == ["sosvet.E001"]


NORWEGIAN = ["Åsheim", "Ørstavik", "Zahl", "Aasen", "Andersen", "Ærø", "Håland", "Ødegård"]
NORWEGIAN_ORDER = ["Andersen", "Håland", "Zahl", "Ærø", "Ødegård", "Ørstavik", "Aasen", "Åsheim"]
CZECH = ["Chalupa", "Horák", "Hrubý", "Ibrahim", "Čech", "Cibulka", "Řehoř", "Rada", "Ábel"]
CZECH_ORDER = ["Ábel", "Cibulka", "Čech", "Horák", "Hrubý", "Chalupa", "Ibrahim", "Rada", "Řehoř"]


@pytest.mark.parametrize(
    ("alphabet", "names", "expected"),
    [("nb", NORWEGIAN, NORWEGIAN_ORDER), ("cs", CZECH, CZECH_ORDER)],
)
def test_the_python_key_follows_the_councils_alphabet(alphabet, names, expected):
    assert sorted(names, key=lambda name: collation_key(name, alphabet)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("alphabet", "names", "expected"),
    [
        ("nb", NORWEGIAN, NORWEGIAN_ORDER),
        ("cs", CZECH, CZECH_ORDER),
        ("sl", ["Ábel", "Ćosić", "Čeh", "Azor", "Đurić", "Dolenc"], None),
    ],
)
def test_a_councils_people_and_members_follow_its_alphabet(alphabet, names, expected):
    """The database (ICU on PostgreSQL, the project's collations on SQLite) and the
    Python key (the public page, the annual report) agree."""
    council = CouncilFactory(alphabet=alphabet)
    expected = expected or ["Ábel", "Azor", "Čeh", "Ćosić", "Dolenc", "Đurić"]
    for surname in names:
        person = PersonFactory(council=council, first_name="Ana", last_name=surname)
        MembershipFactory(council=council, person=person, organisation=None)

    people = council_selectors.people_list(council=council)
    memberships = council_selectors.memberships_list(council=council)
    [group] = public_selectors.members_public(council=council)

    assert [p.last_name for p in people] == expected
    assert [m.person.last_name for m in memberships] == expected
    assert [member.name.split()[-1] for member in group.members] == expected
