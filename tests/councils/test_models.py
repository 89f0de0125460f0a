"""Model rules of the councils app: terms, memberships, names, database constraints."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.models import Council, Membership, Organisation, Person, Term

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermFactory,
)

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def clean_errors(instance) -> dict[str, list[str]]:
    """The ``message_dict`` of ``full_clean``, or {} when the instance is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


# --- Term ------------------------------------------------------------------------------


def test_term_label_shows_start_and_end_year():
    term = Term(start_date=D(2022, 12, 1), end_date=D(2026, 11, 30))

    assert term.label == "2022–2026"
    assert str(term) == "2022–2026"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2022, 11, 30), False),
        (D(2022, 12, 1), True),
        (D(2024, 6, 15), True),
        (D(2026, 11, 30), True),
        (D(2026, 12, 1), False),
    ],
)
def test_term_contains_includes_first_and_last_day(day, expected):
    term = Term(start_date=D(2022, 12, 1), end_date=D(2026, 11, 30))

    assert term.contains(day) is expected


def test_term_clean_rejects_end_before_start(council):
    term = Term(council=council, start_date=D(2031, 1, 1), end_date=D(2030, 12, 31))

    assert clean_errors(term) == {"end_date": ["The term cannot end before it starts."]}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 11, 30), D(2030, 11, 29)),  # starts on the last day of the existing term
        (D(2018, 12, 1), D(2022, 12, 1)),  # ends on the first day of the existing term
        (D(2023, 1, 1), D(2024, 1, 1)),  # inside
        (D(2018, 1, 1), D(2030, 1, 1)),  # around
    ],
)
def test_term_clean_rejects_overlapping_term(council, start, end):
    term = Term(council=council, start_date=start, end_date=end)

    assert clean_errors(term) == {"__all__": ["This term overlaps the term 2022–2026."]}


def test_term_clean_accepts_adjacent_terms(council):
    before = Term(council=council, start_date=D(2018, 12, 1), end_date=D(2022, 11, 30))
    after = Term(council=council, start_date=D(2026, 12, 1), end_date=D(2030, 11, 30))

    assert clean_errors(before) == {}
    assert clean_errors(after) == {}


def test_term_clean_ignores_other_councils_terms(council, other_council):
    term = Term(council=other_council, start_date=D(2022, 12, 1), end_date=D(2026, 11, 30))

    assert clean_errors(term) == {}


def test_term_clean_does_not_compare_term_with_itself(term):
    term.end_date = D(2026, 12, 31)

    assert clean_errors(term) == {}


# --- Membership.clean --------------------------------------------------------------------


@pytest.fixture
def person(council):
    return PersonFactory(council=council, first_name="Simona", last_name="Rajh")


@pytest.fixture
def organisation(council):
    return OrganisationFactory(council=council, name="CSD Spodnje Podravje", kind="social")


def new_membership(council, person, **fields) -> Membership:
    fields.setdefault("start_date", D(2023, 1, 1))
    return Membership(council=council, person=person, **fields)


def test_membership_clean_accepts_valid_membership(council, person, organisation, term):
    membership = new_membership(
        council, person, organisation=organisation, term=term, end_date=D(2024, 12, 31)
    )

    assert clean_errors(membership) == {}


def test_membership_clean_rejects_end_before_start(council, person):
    membership = new_membership(council, person, start_date=D(2024, 5, 1), end_date=D(2024, 4, 30))

    assert clean_errors(membership) == {"end_date": ["The membership cannot end before it starts."]}


def test_membership_clean_accepts_one_day_membership(council, person):
    membership = new_membership(council, person, start_date=D(2024, 5, 1), end_date=D(2024, 5, 1))

    assert clean_errors(membership) == {}


def test_membership_clean_rejects_start_outside_term(council, person, term):
    membership = new_membership(council, person, term=term, start_date=D(2022, 11, 30))

    assert clean_errors(membership) == {
        "start_date": ["The start must lie within the term of office 2022–2026."]
    }


def test_membership_clean_rejects_end_outside_term(council, person, term):
    membership = new_membership(
        council, person, term=term, start_date=D(2023, 1, 1), end_date=D(2026, 12, 1)
    )

    assert clean_errors(membership) == {
        "end_date": ["The end must lie within the term of office 2022–2026."]
    }


def test_membership_clean_accepts_term_boundaries(council, person, term):
    membership = new_membership(
        council, person, term=term, start_date=D(2022, 12, 1), end_date=D(2026, 11, 30)
    )

    assert clean_errors(membership) == {}


def test_membership_clean_does_not_check_dates_without_term(council, person):
    membership = new_membership(council, person, term=None, start_date=D(1999, 1, 1))

    assert clean_errors(membership) == {}


def test_membership_clean_rejects_person_of_another_council(council, other_council):
    stranger = PersonFactory(council=other_council)
    membership = new_membership(council, stranger)

    assert clean_errors(membership) == {"person": ["Choose one of this council's records."]}


def test_membership_clean_rejects_organisation_of_another_council(council, person, other_council):
    foreign = OrganisationFactory(council=other_council)
    membership = new_membership(council, person, organisation=foreign)

    assert clean_errors(membership) == {"organisation": ["Choose one of this council's records."]}


def test_membership_clean_rejects_term_of_another_council(council, person, other_council):
    foreign = TermFactory(council=other_council)
    membership = new_membership(council, person, term=foreign, start_date=D(2023, 1, 1))

    assert clean_errors(membership) == {"term": ["Choose one of this council's records."]}


def test_membership_clean_reports_every_foreign_record_at_once(council, other_council):
    membership = new_membership(
        council,
        PersonFactory(council=other_council),
        organisation=OrganisationFactory(council=other_council),
        term=TermFactory(council=other_council),
    )

    assert clean_errors(membership) == {
        "person": ["Choose one of this council's records."],
        "organisation": ["Choose one of this council's records."],
        "term": ["Choose one of this council's records."],
    }


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # open-ended existing membership, a later one
        ((D(2023, 1, 1), None), (D(2024, 1, 1), None)),
        # the new one ends on the day the existing one starts
        ((D(2023, 1, 1), D(2023, 12, 31)), (D(2022, 12, 1), D(2023, 1, 1))),
        # the new one starts on the existing one's last day
        ((D(2023, 1, 1), D(2023, 12, 31)), (D(2023, 12, 31), None)),
        # the new open-ended one starts before the existing one
        ((D(2024, 1, 1), D(2024, 6, 30)), (D(2023, 1, 1), None)),
    ],
)
def test_membership_clean_rejects_overlapping_membership_of_same_person(
    council, person, existing, new
):
    MembershipFactory(council=council, person=person, start_date=existing[0], end_date=existing[1])
    membership = new_membership(council, person, start_date=new[0], end_date=new[1])

    assert clean_errors(membership) == {
        "person": ["This person already has a membership of this council in this period."]
    }


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), None)),  # after
        ((D(2024, 1, 1), None), (D(2023, 1, 1), D(2023, 12, 31))),  # before
    ],
)
def test_membership_clean_accepts_consecutive_memberships_of_same_person(
    council, person, existing, new
):
    MembershipFactory(council=council, person=person, start_date=existing[0], end_date=existing[1])
    membership = new_membership(council, person, start_date=new[0], end_date=new[1])

    assert clean_errors(membership) == {}


def test_membership_clean_allows_same_period_for_different_people(council, person):
    MembershipFactory(council=council, start_date=D(2023, 1, 1))

    assert clean_errors(new_membership(council, person, start_date=D(2023, 1, 1))) == {}


def test_membership_clean_ignores_memberships_of_other_councils(council, other_council, person):
    MembershipFactory(council=other_council, role=Membership.Role.CHAIR, start_date=D(2023, 1, 1))

    membership = new_membership(council, person, role=Membership.Role.CHAIR)

    assert clean_errors(membership) == {}


def test_membership_clean_does_not_compare_membership_with_itself(council, person):
    membership = MembershipFactory(council=council, person=person, role=Membership.Role.CHAIR)
    membership.end_date = D(2025, 1, 1)

    assert clean_errors(membership) == {}


def test_membership_clean_rejects_second_chair_in_overlapping_period(council, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    MembershipFactory(
        council=council, person=chair, role=Membership.Role.CHAIR, start_date=D(2022, 12, 1)
    )
    membership = new_membership(
        council, person, role=Membership.Role.CHAIR, start_date=D(2024, 1, 1)
    )

    assert clean_errors(membership) == {
        "role": ["Nuška Gajšek is already the chair in this period."]
    }


def test_membership_clean_names_chair_with_title(council, person):
    chair = PersonFactory(council=council, title="mag.", first_name="Ana", last_name="Kos")
    MembershipFactory(council=council, person=chair, role=Membership.Role.CHAIR)

    membership = new_membership(council, person, role=Membership.Role.CHAIR)

    assert clean_errors(membership) == {
        "role": ["mag. Ana Kos is already the chair in this period."]
    }


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # the previous chair ended before the new chair starts
        ((D(2022, 12, 1), D(2024, 6, 30)), (D(2024, 7, 1), None)),
        # the new chair's period ends before the existing (open-ended) chair starts
        ((D(2024, 7, 1), None), (D(2022, 12, 1), D(2024, 6, 30))),
    ],
)
def test_membership_clean_accepts_chairs_in_periods_that_do_not_overlap(
    council, person, existing, new
):
    MembershipFactory(
        council=council, role=Membership.Role.CHAIR, start_date=existing[0], end_date=existing[1]
    )
    membership = new_membership(
        council, person, role=Membership.Role.CHAIR, start_date=new[0], end_date=new[1]
    )

    assert clean_errors(membership) == {}


@pytest.mark.parametrize(
    "role",
    [Membership.Role.DEPUTY_CHAIR, Membership.Role.SECRETARY, Membership.Role.MEMBER],
)
def test_membership_clean_allows_other_roles_beside_a_chair(council, person, role):
    MembershipFactory(council=council, role=Membership.Role.CHAIR, start_date=D(2022, 12, 1))

    assert clean_errors(new_membership(council, person, role=role)) == {}


def test_membership_clean_reports_person_overlap_and_second_chair_together(council, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    MembershipFactory(council=council, person=chair, role=Membership.Role.CHAIR)
    MembershipFactory(council=council, person=person, start_date=D(2023, 1, 1))

    membership = new_membership(council, person, role=Membership.Role.CHAIR)

    assert clean_errors(membership) == {
        "person": ["This person already has a membership of this council in this period."],
        "role": ["Nuška Gajšek is already the chair in this period."],
    }


# --- Membership.is_active_on --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2022, 12, 31), False),
        (D(2023, 1, 1), True),
        (D(2023, 12, 31), True),
        (D(2024, 1, 1), False),
    ],
)
def test_membership_is_active_on_includes_first_and_last_day(day, expected):
    membership = Membership(start_date=D(2023, 1, 1), end_date=D(2023, 12, 31))

    assert membership.is_active_on(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"), [(D(2022, 12, 31), False), (D(2023, 1, 1), True), (D(2099, 1, 1), True)]
)
def test_membership_is_active_on_without_end_lasts_forever(day, expected):
    membership = Membership(start_date=D(2023, 1, 1), end_date=None)

    assert membership.is_active_on(day) is expected


def test_membership_is_active_means_active_today():
    today = timezone.localdate()
    one_day = datetime.timedelta(days=1)

    assert Membership(start_date=today, end_date=today).is_active is True
    assert Membership(start_date=today - 10 * one_day, end_date=today - one_day).is_active is False
    assert Membership(start_date=today + one_day, end_date=None).is_active is False


# --- names -------------------------------------------------------------------------------


def test_person_full_name_puts_title_first():
    person = Person(title="mag.", first_name="Aleksander", last_name="Lubej")

    assert person.full_name == "mag. Aleksander Lubej"
    assert str(person) == "mag. Aleksander Lubej"


def test_person_full_name_without_title():
    assert Person(first_name="Nuška", last_name="Gajšek").full_name == "Nuška Gajšek"


def test_council_display_name_prefers_short_name():
    council = Council(name="Varnostni sosvet Mestne občine Ptuj", short_name="VS MO Ptuj")

    assert council.display_name == "VS MO Ptuj"
    assert str(council) == "Varnostni sosvet Mestne občine Ptuj"


def test_council_display_name_falls_back_to_name():
    council = Council(name="Varnostni sosvet Mestne občine Ptuj", short_name="")

    assert council.display_name == "Varnostni sosvet Mestne občine Ptuj"


def test_membership_str_names_person_and_council(council, person):
    membership = MembershipFactory(council=council, person=person)

    assert str(membership) == "Simona Rajh – Varnostni sosvet Mestne občine Ptuj"


# --- database constraints ------------------------------------------------------------------


def test_membership_check_constraint_rejects_end_before_start_in_database(council, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=council, person=person, start_date=D(2024, 5, 1), end_date=D(2024, 4, 30)
        )

    assert Membership.objects.count() == 0


def test_membership_check_constraint_rejects_update_to_end_before_start(council, person):
    membership = MembershipFactory(council=council, person=person, start_date=D(2024, 5, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(end_date=D(2024, 4, 30))

    membership.refresh_from_db()
    assert membership.end_date is None


def test_membership_check_constraint_allows_open_and_same_day_end(council, person):
    Membership.objects.create(council=council, person=person, start_date=D(2024, 5, 1))
    Membership.objects.create(
        council=council, person=person, start_date=D(2020, 5, 1), end_date=D(2020, 5, 1)
    )

    assert Membership.objects.count() == 2


def test_organisation_unique_name_has_readable_message(council, organisation):
    duplicate = Organisation(council=council, name="CSD Spodnje Podravje", kind="social")

    assert clean_errors(duplicate) == {
        "__all__": ["An organisation with this name already exists in this council."]
    }


def test_organisation_unique_name_is_per_council(organisation, other_council):
    same_name = Organisation(council=other_council, name="CSD Spodnje Podravje")

    assert clean_errors(same_name) == {}


def test_organisation_unique_name_is_enforced_by_database(council, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(council=council, name="CSD Spodnje Podravje")

    assert list(Organisation.objects.filter(council=council)) == [organisation]


def test_organisation_unique_name_ignores_itself_when_edited(organisation):
    organisation.short_name = "CSD SP"

    assert clean_errors(organisation) == {}
