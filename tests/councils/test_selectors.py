"""Reads of the councils app: membership questions, terms, a user's councils, history."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from councils import permissions, selectors, services
from councils.models import CouncilRole, Membership, Organisation

from ..factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermFactory,
    UserFactory,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def names(memberships) -> list[str]:
    return [m.person.full_name for m in memberships]


@pytest.fixture
def roster(council, term, other_council):
    """A council whose members came and went, and another council that must not leak."""
    police = OrganisationFactory(council=council, name="Policijska postaja Ptuj", kind="police")
    csd = OrganisationFactory(council=council, name="CSD Spodnje Podravje", kind="social")
    school = OrganisationFactory(council=council, name="OŠ Mladika", kind="school")
    city = OrganisationFactory(council=council, name="Mestna občina Ptuj", kind="municipal")

    def seat(first, last, organisation, start, end=None, **fields):
        person = PersonFactory(council=council, first_name=first, last_name=last)
        return MembershipFactory(
            council=council,
            person=person,
            organisation=organisation,
            start_date=start,
            end_date=end,
            term=term if term.contains(start) else None,
            **fields,
        )

    m = {
        "chair": seat("Nuška", "Gajšek", city, D(2022, 12, 1), role=Membership.Role.CHAIR),
        "police": seat("Aleksander", "Lubej", police, D(2022, 12, 1)),
        "csd_2023_first_half": seat("Simona", "Rajh", csd, D(2022, 12, 1), D(2023, 6, 30)),
        "csd_2023_second_half": seat("Irena", "Novak", csd, D(2023, 7, 1)),
        "csd_until_2022": seat("Marko", "Horvat", csd, D(2019, 1, 1), D(2022, 12, 31)),
        "csd_from_2024": seat("Tina", "Zupan", csd, D(2024, 1, 1)),
        "school_2024": seat(
            "Katja",
            "Ribič",
            school,
            D(2024, 3, 1),
            D(2024, 6, 30),
            kind=Membership.Kind.NON_STANDING,
        ),
    }
    m["orgs"] = {"police": police, "csd": csd, "school": school, "city": city}
    # Another council's social work centre representative, active all of 2023.
    foreign_csd = OrganisationFactory(council=other_council, name="CSD Koroška", kind="social")
    MembershipFactory(
        council=other_council,
        person=PersonFactory(council=other_council, first_name="Alenka", last_name="Ošlovnik"),
        organisation=foreign_csd,
        start_date=D(2022, 12, 1),
    )
    return m


# --- memberships_list ----------------------------------------------------------------------


def test_memberships_list_without_filters_lists_every_membership_of_the_council(council, roster):
    assert names(selectors.memberships_list(council=council)) == [
        "Nuška Gajšek",
        "Marko Horvat",
        "Aleksander Lubej",
        "Irena Novak",
        "Simona Rajh",
        "Katja Ribič",
        "Tina Zupan",
    ]


def test_memberships_list_active_on_answers_who_is_a_member_on_a_day(council, roster):
    assert names(selectors.memberships_list(council=council, active_on=D(2023, 5, 1))) == [
        "Nuška Gajšek",
        "Aleksander Lubej",
        "Simona Rajh",
    ]
    assert names(selectors.memberships_list(council=council, active_on=D(2024, 4, 1))) == [
        "Nuška Gajšek",
        "Aleksander Lubej",
        "Irena Novak",
        "Katja Ribič",
        "Tina Zupan",
    ]


def test_memberships_list_active_on_includes_first_and_last_day(council, roster):
    last_day = selectors.memberships_list(council=council, active_on=D(2023, 6, 30))
    first_day = selectors.memberships_list(council=council, active_on=D(2023, 7, 1))

    assert "Simona Rajh" in names(last_day)
    assert "Irena Novak" not in names(last_day)
    assert "Simona Rajh" not in names(first_day)
    assert "Irena Novak" in names(first_day)


def test_memberships_list_year_and_organisation_kind_answer_who_represented_csd(council, roster):
    """Who represented the social work centre in 2023: both halves, not 2022 or 2024 people."""
    memberships = selectors.memberships_list(council=council, year=2023, organisation_kind="social")

    assert list(memberships) == [roster["csd_2023_second_half"], roster["csd_2023_first_half"]]
    assert names(memberships) == ["Irena Novak", "Simona Rajh"]


def test_memberships_list_year_counts_memberships_touching_the_year(council):
    csd = OrganisationFactory(council=council, kind="social")
    ends_new_year = MembershipFactory(
        council=council, organisation=csd, start_date=D(2020, 1, 1), end_date=D(2023, 1, 1)
    )
    starts_new_years_eve = MembershipFactory(
        council=council, organisation=csd, start_date=D(2023, 12, 31)
    )
    MembershipFactory(
        council=council, organisation=csd, start_date=D(2020, 1, 1), end_date=D(2022, 12, 31)
    )
    MembershipFactory(council=council, organisation=csd, start_date=D(2024, 1, 1))

    result = selectors.memberships_list(council=council, year=2023, organisation_kind="social")

    assert set(result) == {ends_new_year, starts_new_years_eve}


def test_memberships_list_active_between_overlaps_the_period(council, roster):
    result = selectors.memberships_list(
        council=council, active_between=(D(2022, 1, 1), D(2022, 12, 1))
    )

    assert names(result) == ["Nuška Gajšek", "Marko Horvat", "Aleksander Lubej", "Simona Rajh"]


def test_memberships_list_filters_by_kind(council, roster):
    assert list(selectors.memberships_list(council=council, kind=Membership.Kind.NON_STANDING)) == [
        roster["school_2024"]
    ]
    assert roster["school_2024"] not in selectors.memberships_list(
        council=council, kind=Membership.Kind.STANDING
    )


def test_memberships_list_filters_by_role(council, roster):
    assert list(selectors.memberships_list(council=council, role=Membership.Role.CHAIR)) == [
        roster["chair"]
    ]


@pytest.mark.parametrize("by_pk", [False, True])
def test_memberships_list_filters_by_organisation(council, roster, by_pk):
    police = roster["orgs"]["police"]

    result = selectors.memberships_list(
        council=council, organisation=police.pk if by_pk else police
    )

    assert list(result) == [roster["police"]]


def test_memberships_list_filters_by_person_newest_first(council, term):
    person = PersonFactory(council=council)
    old = MembershipFactory(
        council=council, person=person, start_date=D(2019, 1, 1), end_date=D(2020, 12, 31)
    )
    new = MembershipFactory(council=council, person=person, start_date=D(2023, 1, 1))
    MembershipFactory(council=council)

    assert list(selectors.memberships_list(council=council, person=person)) == [new, old]
    assert list(selectors.memberships_list(council=council, person=person.pk)) == [new, old]


def test_memberships_list_combines_filters(council, roster):
    result = selectors.memberships_list(
        council=council,
        active_on=D(2024, 4, 1),
        organisation_kind="social",
        kind=Membership.Kind.STANDING,
    )

    assert names(result) == ["Irena Novak", "Tina Zupan"]


def test_memberships_list_never_lists_another_councils_memberships(council, other_council, roster):
    assert "Alenka Ošlovnik" not in names(selectors.memberships_list(council=council))
    assert names(
        selectors.memberships_list(council=other_council, year=2023, organisation_kind="social")
    ) == ["Alenka Ošlovnik"]


def test_memberships_list_by_another_councils_organisation_is_empty(council, roster, other_council):
    foreign = Organisation.objects.get(council=other_council)

    assert list(selectors.memberships_list(council=council, organisation=foreign)) == []


def test_membership_chair_on_finds_the_chair_of_the_day(council, roster):
    assert selectors.membership_chair_on(council=council, day=D(2024, 1, 1)) == roster["chair"]
    assert selectors.membership_chair_on(council=council, day=D(2022, 11, 30)) is None


# --- term_current ------------------------------------------------------------------------


@pytest.fixture
def terms(council, term):
    previous = TermFactory(council=council, start_date=D(2018, 12, 1), end_date=D(2022, 11, 30))
    # A gap of one month, then the next term.
    following = TermFactory(council=council, start_date=D(2027, 1, 1), end_date=D(2030, 12, 31))
    return {"previous": previous, "current": term, "following": following}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 6, 1), "previous"),
        (D(2022, 11, 30), "previous"),
        (D(2022, 12, 1), "current"),
        (D(2026, 11, 30), "current"),
        (D(2027, 1, 1), "following"),
    ],
)
def test_term_current_is_the_term_in_force(council, terms, day, expected):
    assert selectors.term_current(council=council, day=day) == terms[expected]


@pytest.mark.parametrize("day", [D(2026, 12, 15), D(2035, 1, 1), D(2000, 1, 1)])
def test_term_current_without_term_in_force_is_the_latest(council, terms, day):
    assert selectors.term_current(council=council, day=day) == terms["following"]


def test_term_current_defaults_to_today(other_council):
    today = timezone.localdate()
    TermFactory(
        council=other_council, start_date=today + 400 * ONE_DAY, end_date=today + 800 * ONE_DAY
    )
    in_force = TermFactory(
        council=other_council, start_date=today - ONE_DAY, end_date=today + ONE_DAY
    )

    assert selectors.term_current(council=other_council) == in_force


def test_term_current_without_terms_is_none(other_council, council):
    assert selectors.term_current(council=other_council, day=D(2024, 1, 1)) is None


def test_term_current_ignores_other_councils_terms(council, other_council, term):
    TermFactory(council=other_council, start_date=D(2030, 1, 1), end_date=D(2033, 12, 31))

    assert selectors.term_current(council=council, day=D(2031, 1, 1)) == term


# --- councils_for_user -------------------------------------------------------------------


def access_of(user) -> list[tuple[str, frozenset[str]]]:
    return [(uc.council.slug, uc.access.roles) for uc in selectors.councils_for_user(user=user)]


def test_councils_for_user_explicit_role(secretary, other_council):
    assert access_of(secretary) == [("ptuj", frozenset({"secretary"}))]


def test_councils_for_user_mayors_office(mayors_office):
    assert access_of(mayors_office) == [("ptuj", frozenset({"mayors_office"}))]


def test_councils_for_user_member_through_active_membership(member, other_council):
    assert access_of(member) == [("ptuj", frozenset({"member"}))]


@pytest.mark.parametrize(
    ("membership_role", "access_role"),
    [
        (Membership.Role.CHAIR, "chair"),
        (Membership.Role.DEPUTY_CHAIR, "member"),
        (Membership.Role.SECRETARY, "member"),
        (Membership.Role.MEMBER, "member"),
    ],
)
def test_councils_for_user_derives_role_from_membership(council, membership_role, access_role):
    user = UserFactory()
    person = PersonFactory(council=council, user=user)
    MembershipFactory(council=council, person=person, role=membership_role)

    assert access_of(user) == [("ptuj", frozenset({access_role}))]


def test_councils_for_user_ended_membership_gives_no_access(council):
    user = UserFactory()
    person = PersonFactory(council=council, user=user)
    yesterday = timezone.localdate() - ONE_DAY
    MembershipFactory(council=council, person=person, end_date=yesterday)

    assert access_of(user) == []


def test_councils_for_user_membership_ending_today_still_gives_access(council):
    user = UserFactory()
    person = PersonFactory(council=council, user=user)
    MembershipFactory(council=council, person=person, end_date=timezone.localdate())

    assert access_of(user) == [("ptuj", frozenset({"member"}))]


def test_councils_for_user_future_membership_gives_no_access_yet(council):
    user = UserFactory()
    person = PersonFactory(council=council, user=user)
    MembershipFactory(council=council, person=person, start_date=timezone.localdate() + ONE_DAY)

    assert access_of(user) == []


def test_councils_for_user_membership_of_unlinked_person_gives_no_access(council):
    user = UserFactory()
    MembershipFactory(council=council, person=PersonFactory(council=council, user=None))

    assert access_of(user) == []


def test_councils_for_user_combines_explicit_role_and_membership(council):
    user = UserFactory()
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.MAYORS_OFFICE)
    MembershipFactory(council=council, person=PersonFactory(council=council, user=user))

    [user_council] = selectors.councils_for_user(user=user)

    assert user_council.access.roles == frozenset({"mayors_office", "member"})
    assert user_council.access.primary_role == "member"


def test_councils_for_user_roles_in_two_councils(council, other_council):
    user = UserFactory()
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.SECRETARY)
    MembershipFactory(
        council=other_council,
        person=PersonFactory(council=other_council, user=user),
        role=Membership.Role.CHAIR,
    )
    CouncilFactory(name="Varnostni sosvet Tretji", slug="tretji")

    # Ordered by council name: "… Drugje" before "… Mestne občine Ptuj".
    assert access_of(user) == [
        ("drugje", frozenset({"chair"})),
        ("ptuj", frozenset({"secretary"})),
    ]


def test_councils_for_user_superuser_sees_every_council_as_secretary(council, other_council):
    admin = UserFactory(is_superuser=True, is_staff=True)
    CouncilRoleFactory(council=council, user=admin, role=CouncilRole.Role.MAYORS_OFFICE)

    assert access_of(admin) == [
        ("drugje", frozenset({"secretary"})),
        ("ptuj", frozenset({"secretary", "mayors_office"})),
    ]


def test_councils_for_user_anonymous_sees_nothing(council):
    assert selectors.councils_for_user(user=AnonymousUser()) == []


def test_councils_for_user_agrees_with_council_access(council, other_council, secretary, member):
    CouncilRoleFactory(council=other_council, user=member, role=CouncilRole.Role.MAYORS_OFFICE)

    for user in (secretary, member):
        for user_council in selectors.councils_for_user(user=user):
            fresh = type(user).objects.get(pk=user.pk)
            assert user_council.access == permissions.council_access(fresh, user_council.council)


def test_councils_for_user_inactive_user_sees_nothing(secretary):
    secretary.is_active = False
    secretary.save()

    assert permissions.council_access(secretary, secretary.council_roles.get().council).roles == (
        frozenset()
    )
    assert selectors.councils_for_user(user=secretary) == []


# --- person_history ----------------------------------------------------------------------


def test_person_history_lists_changes_of_person_and_memberships_newest_first(
    council, secretary, term
):
    organisation = OrganisationFactory(council=council, name="CSD Spodnje Podravje")
    person = services.person_create(
        council=council, by=secretary, first_name="Simona", last_name="Rajh"
    )
    services.person_update(person=person, by=secretary, last_name="Rajh Novak")
    membership = services.membership_create(
        council=council,
        by=secretary,
        person=person,
        organisation=organisation,
        term=term,
        start_date=D(2023, 1, 1),
    )
    services.membership_end(membership=membership, by=secretary, end_date=D(2024, 6, 30))
    other = PersonFactory(council=council)
    MembershipFactory(council=council, person=other)

    rows = selectors.person_history(person=person)

    assert [(row["action"], row["subject"], row["detail"]) for row in rows] == [
        (
            "Changed",
            "membership",
            "CSD Spodnje Podravje, Member, Standing, 01.01.2023 – 30.06.2024",
        ),
        ("Created", "membership", "CSD Spodnje Podravje, Member, Standing, 01.01.2023 – "),
        ("Changed", "person", "Simona Rajh Novak"),
        ("Created", "person", "Simona Rajh"),
    ]
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True)


def test_person_history_without_records_is_empty(council):
    person = PersonFactory(council=council)
    person.history.all().delete()

    assert selectors.person_history(person=person) == []


# --- organisations_with_active_members ---------------------------------------------------


def test_organisations_with_active_members_attaches_only_active_memberships(council, other_council):
    today = timezone.localdate()
    police = OrganisationFactory(council=council, name="Policijska postaja Ptuj")
    csd = OrganisationFactory(council=council, name="CSD Spodnje Podravje")
    OrganisationFactory(council=other_council, name="CSD Koroška")
    active = MembershipFactory(council=council, organisation=police, start_date=today)
    MembershipFactory(council=council, organisation=police, end_date=today - ONE_DAY)
    MembershipFactory(council=council, organisation=csd, start_date=today + ONE_DAY)

    organisations = list(selectors.organisations_with_active_members(council=council))

    assert organisations == [csd, police]
    assert [o.active_memberships for o in organisations] == [[], [active]]


def test_organisations_with_active_members_runs_two_queries(council, django_assert_num_queries):
    for _ in range(3):
        MembershipFactory(council=council)

    with django_assert_num_queries(2):
        organisations = list(selectors.organisations_with_active_members(council=council))
        people = [m.person.full_name for o in organisations for m in o.active_memberships]

    assert len(people) == 3
