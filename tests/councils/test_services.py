"""Writes of the councils app: valid data is saved with history, invalid data changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from councils import services
from councils.models import Council, Membership, Organisation, Person, Term

from ..factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def row_counts() -> dict[str, int]:
    """Rows of every model and of its history table."""
    counts = {}
    for model in (Council, Term, Organisation, Person, Membership):
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


def raises_unchanged(call) -> dict[str, list[str]]:
    """Call a service that must fail; return its messages and check nothing was written."""
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert row_counts() == before
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


@pytest.fixture
def person(council):
    return PersonFactory(council=council, first_name="Simona", last_name="Rajh")


@pytest.fixture
def organisation(council):
    return OrganisationFactory(council=council, name="CSD Spodnje Podravje", kind="social")


@pytest.fixture
def membership(council, person, organisation, term):
    return MembershipFactory(
        council=council,
        person=person,
        organisation=organisation,
        term=term,
        start_date=D(2023, 1, 1),
    )


# --- council_update ------------------------------------------------------------------------


def test_council_update_saves_fields_and_municipalities(council, secretary):
    ptuj = MunicipalityFactory(name="Mestna občina Ptuj")
    history_before = council.history.count()

    services.council_update(
        council=council,
        by=secretary,
        data={"short_name": "VS MO Ptuj", "purpose": "Varnost občanov."},
        municipalities=[ptuj],
    )

    council.refresh_from_db()
    assert (council.short_name, council.purpose) == ("VS MO Ptuj", "Varnost občanov.")
    assert list(council.municipalities.all()) == [ptuj]
    assert council.history.count() == history_before + 1
    assert council.history.first().history_type == "~"


def test_council_update_without_municipalities_keeps_them(council, secretary):
    ptuj = MunicipalityFactory(name="Mestna občina Ptuj")
    council.municipalities.set([ptuj])

    services.council_update(council=council, by=secretary, data={"short_name": "VS"})

    assert list(council.municipalities.all()) == [ptuj]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"contact_email": "not-an-e-mail"}, {"contact_email": ["Enter a valid email address."]}),
        ({"name": ""}, {"name": ["This field cannot be blank."]}),
        ({"language": "xx"}, {"language": ["Value 'xx' is not a valid choice."]}),
    ],
)
def test_council_update_rejects_invalid_data(council, secretary, data, errors):
    ptuj = MunicipalityFactory(name="Mestna občina Ptuj")

    assert (
        raises_unchanged(
            lambda: services.council_update(
                council=council, by=secretary, data=data, municipalities=[ptuj]
            )
        )
        == errors
    )
    stored = Council.objects.get(pk=council.pk)
    assert (stored.name, stored.contact_email, stored.language) == (
        "Varnostni sosvet Mestne občine Ptuj",
        "sosvet@example.test",
        "sl",
    )
    assert list(stored.municipalities.all()) == []


# --- terms ----------------------------------------------------------------------------------


def test_term_create_saves_term_with_history(council, secretary):
    term = services.term_create(
        council=council, by=secretary, start_date=D(2026, 12, 1), end_date=D(2030, 11, 30)
    )

    assert list(council.terms.order_by("start_date").values_list("start_date", "end_date")) == [
        (D(2022, 12, 1), D(2026, 11, 30)),
        (D(2026, 12, 1), D(2030, 11, 30)),
    ]
    assert [h.history_type for h in term.history.all()] == ["+"]


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (D(2030, 1, 1), D(2029, 1, 1), {"end_date": ["The term cannot end before it starts."]}),
        (D(2025, 1, 1), D(2028, 12, 31), {"__all__": ["This term overlaps the term 2022–2026."]}),
    ],
)
def test_term_create_rejects_invalid_term(council, secretary, start, end, errors):
    assert (
        raises_unchanged(
            lambda: services.term_create(
                council=council, by=secretary, start_date=start, end_date=end
            )
        )
        == errors
    )


def test_term_update_saves_dates_with_history(term, secretary):
    services.term_update(
        term=term, by=secretary, start_date=D(2022, 12, 1), end_date=D(2026, 12, 31)
    )

    term.refresh_from_db()
    assert term.end_date == D(2026, 12, 31)
    assert [h.history_type for h in term.history.all()] == ["~", "+"]


def test_term_update_rejects_overlap_and_keeps_stored_dates(council, term, secretary):
    previous = services.term_create(
        council=council, by=secretary, start_date=D(2018, 12, 1), end_date=D(2022, 11, 30)
    )

    errors = raises_unchanged(
        lambda: services.term_update(
            term=previous, by=secretary, start_date=D(2018, 12, 1), end_date=D(2022, 12, 31)
        )
    )

    assert errors == {"__all__": ["This term overlaps the term 2022–2026."]}
    previous.refresh_from_db()
    assert previous.end_date == D(2022, 11, 30)


# --- organisations --------------------------------------------------------------------------


def test_organisation_create_saves_with_history(council, secretary):
    organisation = services.organisation_create(
        council=council, by=secretary, name="Policijska postaja Ptuj", kind="police"
    )

    assert list(Organisation.objects.for_council(council).values_list("name", "kind")) == [
        ("Policijska postaja Ptuj", "police")
    ]
    assert [h.history_type for h in organisation.history.all()] == ["+"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"name": "CSD Spodnje Podravje"},
            {"__all__": ["An organisation with this name already exists in this council."]},
        ),
        ({"name": ""}, {"name": ["This field cannot be blank."]}),
        (
            {"name": "Nova", "kind": "sect"},
            {"kind": ["Value 'sect' is not a valid choice."]},
        ),
        ({"name": "Nova", "website": "not a url"}, {"website": ["Enter a valid URL."]}),
    ],
)
def test_organisation_create_rejects_invalid_data(council, secretary, organisation, data, errors):
    assert (
        raises_unchanged(
            lambda: services.organisation_create(council=council, by=secretary, **data)
        )
        == errors
    )


def test_organisation_create_allows_name_used_by_another_council(
    organisation, other_council, secretary
):
    services.organisation_create(council=other_council, by=secretary, name="CSD Spodnje Podravje")

    assert Organisation.objects.filter(name="CSD Spodnje Podravje").count() == 2


def test_organisation_update_saves_with_history(organisation, secretary):
    services.organisation_update(organisation=organisation, by=secretary, short_name="CSD SP")

    organisation.refresh_from_db()
    assert organisation.short_name == "CSD SP"
    assert [h.history_type for h in organisation.history.all()] == ["~", "+"]


def test_organisation_update_rejects_duplicate_name_and_keeps_stored_name(
    council, organisation, secretary
):
    police = OrganisationFactory(council=council, name="Policijska postaja Ptuj")

    errors = raises_unchanged(
        lambda: services.organisation_update(
            organisation=police, by=secretary, name="CSD Spodnje Podravje"
        )
    )

    assert errors == {"__all__": ["An organisation with this name already exists in this council."]}
    police.refresh_from_db()
    assert police.name == "Policijska postaja Ptuj"


# --- people ---------------------------------------------------------------------------------


def test_person_create_saves_with_history(council, secretary):
    person = services.person_create(
        council=council,
        by=secretary,
        title="mag.",
        first_name="Aleksander",
        last_name="Lubej",
        email="aleksander.lubej@policija.example",
    )

    stored = Person.objects.get(pk=person.pk)
    assert (stored.council, stored.full_name, stored.email) == (
        council,
        "mag. Aleksander Lubej",
        "aleksander.lubej@policija.example",
    )
    assert [h.history_type for h in person.history.all()] == ["+"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"first_name": "Ana", "last_name": ""}, {"last_name": ["This field cannot be blank."]}),
        (
            {"first_name": "Ana", "last_name": "Kos", "email": "ana@"},
            {"email": ["Enter a valid email address."]},
        ),
        (
            {"first_name": "A" * 101, "last_name": "Kos"},
            {"first_name": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
    ],
)
def test_person_create_rejects_invalid_data(council, secretary, data, errors):
    assert (
        raises_unchanged(lambda: services.person_create(council=council, by=secretary, **data))
        == errors
    )


def test_person_update_saves_with_history(person, secretary):
    services.person_update(person=person, by=secretary, function="direktorica")

    person.refresh_from_db()
    assert person.function == "direktorica"
    assert [h.history_type for h in person.history.all()] == ["~", "+"]


def test_person_update_rejects_invalid_data_and_keeps_stored_values(person, secretary):
    errors = raises_unchanged(
        lambda: services.person_update(person=person, by=secretary, last_name="", email="x")
    )

    assert errors == {
        "last_name": ["This field cannot be blank."],
        "email": ["Enter a valid email address."],
    }
    person.refresh_from_db()
    assert person.last_name == "Rajh"


# --- memberships ----------------------------------------------------------------------------


def test_membership_create_saves_with_history(council, person, organisation, term, secretary):
    membership = services.membership_create(
        council=council,
        by=secretary,
        person=person,
        organisation=organisation,
        term=term,
        role=Membership.Role.DEPUTY_CHAIR,
        start_date=D(2023, 1, 1),
        note="namestnica",
    )

    stored = Membership.objects.get(pk=membership.pk)
    assert (
        stored.council,
        stored.person,
        stored.organisation,
        stored.term,
        stored.role,
        stored.start_date,
        stored.end_date,
    ) == (council, person, organisation, term, "deputy_chair", D(2023, 1, 1), None)
    assert [h.history_type for h in membership.history.all()] == ["+"]


def test_membership_create_rejects_person_of_another_council(council, other_council, secretary):
    stranger = PersonFactory(council=other_council)

    errors = raises_unchanged(
        lambda: services.membership_create(
            council=council, by=secretary, person=stranger, start_date=D(2023, 1, 1)
        )
    )

    assert errors == {"person": ["Choose one of this council's records."]}


def test_membership_create_rejects_overlapping_membership(council, membership, secretary, person):
    errors = raises_unchanged(
        lambda: services.membership_create(
            council=council, by=secretary, person=person, start_date=D(2024, 1, 1)
        )
    )

    assert errors == {
        "person": ["This person already has a membership of this council in this period."]
    }


def test_membership_create_rejects_second_chair(council, secretary, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    services.membership_create(
        council=council, by=secretary, person=chair, role="chair", start_date=D(2022, 12, 1)
    )

    errors = raises_unchanged(
        lambda: services.membership_create(
            council=council, by=secretary, person=person, role="chair", start_date=D(2024, 1, 1)
        )
    )

    assert errors == {"role": ["Nuška Gajšek is already the chair in this period."]}


def test_membership_create_accepts_next_chair_after_previous_ended(council, secretary, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    previous = services.membership_create(
        council=council, by=secretary, person=chair, role="chair", start_date=D(2022, 12, 1)
    )
    services.membership_end(membership=previous, by=secretary, end_date=D(2023, 12, 31))

    services.membership_create(
        council=council, by=secretary, person=person, role="chair", start_date=D(2024, 1, 1)
    )

    assert list(
        Membership.objects.filter(role="chair")
        .order_by("start_date")
        .values_list("person__last_name", "start_date", "end_date")
    ) == [("Gajšek", D(2022, 12, 1), D(2023, 12, 31)), ("Rajh", D(2024, 1, 1), None)]


def test_membership_create_rejects_dates_outside_term(council, secretary, person, term):
    errors = raises_unchanged(
        lambda: services.membership_create(
            council=council,
            by=secretary,
            person=person,
            term=term,
            start_date=D(2022, 1, 1),
            end_date=D(2027, 1, 1),
        )
    )

    assert errors == {
        "start_date": ["The start must lie within the term of office 2022–2026."],
        "end_date": ["The end must lie within the term of office 2022–2026."],
    }


def test_membership_update_saves_with_history(membership, secretary):
    services.membership_update(
        membership=membership, by=secretary, role=Membership.Role.SECRETARY, note="zapisnikar"
    )

    membership.refresh_from_db()
    assert (membership.role, membership.note) == ("secretary", "zapisnikar")
    assert [h.history_type for h in membership.history.all()] == ["~", "+"]


def test_membership_update_rejects_invalid_change_and_keeps_stored_values(
    membership, secretary, other_council
):
    other_org = OrganisationFactory(council=other_council)

    errors = raises_unchanged(
        lambda: services.membership_update(
            membership=membership, by=secretary, organisation=other_org, start_date=D(2022, 1, 1)
        )
    )

    assert errors == {
        "organisation": ["Choose one of this council's records."],
        "start_date": ["The start must lie within the term of office 2022–2026."],
    }
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.organisation.name, stored.start_date) == ("CSD Spodnje Podravje", D(2023, 1, 1))


def test_membership_end_sets_end_date_with_history(membership, secretary):
    services.membership_end(membership=membership, by=secretary, end_date=D(2024, 6, 30))

    membership.refresh_from_db()
    assert membership.end_date == D(2024, 6, 30)
    assert membership.is_active_on(D(2024, 7, 1)) is False
    assert [h.history_type for h in membership.history.all()] == ["~", "+"]
    assert membership.history.first().end_date == D(2024, 6, 30)


def test_membership_end_on_start_day_is_allowed(membership, secretary):
    services.membership_end(membership=membership, by=secretary, end_date=D(2023, 1, 1))

    assert Membership.objects.get(pk=membership.pk).end_date == D(2023, 1, 1)


def test_membership_end_rejects_end_before_start(membership, secretary):
    errors = raises_unchanged(
        lambda: services.membership_end(
            membership=membership, by=secretary, end_date=D(2022, 12, 31)
        )
    )

    assert errors == {"end_date": ["The membership cannot end before it starts."]}
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_membership_end_rejects_end_after_term(membership, secretary):
    errors = raises_unchanged(
        lambda: services.membership_end(membership=membership, by=secretary, end_date=D(2027, 1, 1))
    )

    assert errors == {"end_date": ["The end must lie within the term of office 2022–2026."]}
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_services_record_history_in_order(council, secretary, person, term):
    membership = services.membership_create(
        council=council, by=secretary, person=person, term=term, start_date=D(2023, 1, 1)
    )
    services.membership_update(membership=membership, by=secretary, note="prvi zapis")
    services.membership_end(membership=membership, by=secretary, end_date=D(2024, 6, 30))

    assert [
        (h.history_type, h.note, h.end_date) for h in membership.history.order_by("history_date")
    ] == [
        ("+", "", None),
        ("~", "prvi zapis", None),
        ("~", "prvi zapis", D(2024, 6, 30)),
    ]


def test_services_record_by_as_history_user(council, secretary):
    person = services.person_create(council=council, by=secretary, first_name="A", last_name="B")

    assert person.history.get().history_user == secretary
