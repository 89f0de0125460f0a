"""The demo data (``manage.py load_demo``): idempotent, realistic, logins with the right access."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from councils import permissions, selectors
from councils.demo import DEMO_PASSWORD
from councils.models import (
    Council,
    CouncilRole,
    Membership,
    Municipality,
    Organisation,
    Person,
    Term,
)

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MODELS = (Council, Municipality, Term, Organisation, Person, Membership, CouncilRole)


def counts() -> dict[str, int]:
    result = {model.__name__: model.objects.count() for model in MODELS}
    result["User"] = get_user_model().objects.count()
    return result


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it renders PDFs); remove it afterwards."""
    with django_db_blocker.unblock():
        load(quiet_logins=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_loaded, db):
    return {council.slug: council for council in Council.objects.all()}


def login(username):
    return get_user_model().objects.get(username=username)


def test_load_demo_twice_creates_nothing_twice(db):
    load(quiet_logins=True)
    first = counts()
    load(quiet_logins=True)

    assert counts() == first
    assert first == {
        "Council": 6,
        "Municipality": 5,
        "Term": 9,
        "Organisation": 27,
        "Person": 29,
        "Membership": 29,
        "CouncilRole": 6,
        "User": 7,
    }


def test_load_demo_again_records_no_history(demo):
    before = {model.__name__: model.history.count() for model in MODELS}

    load(quiet_logins=True)

    assert {model.__name__: model.history.count() for model in MODELS} == before


def test_load_demo_again_restores_edited_records(demo):
    ptuj = demo["ptuj"]
    Council.objects.filter(pk=ptuj.pk).update(short_name="spremenjeno")
    Membership.objects.filter(council=ptuj, person__last_name="Gajšek").update(role="member")

    load(quiet_logins=True)

    assert Council.objects.get(pk=ptuj.pk).short_name == "VS MO Ptuj"
    assert Membership.objects.get(council=ptuj, person__last_name="Gajšek").role == "chair"


def test_load_demo_prints_logins_unless_quiet(db):
    quiet = load(quiet_logins=True)
    loud = load()

    assert quiet == "Demo data loaded.\n"
    assert f"Demo logins (password for all: {DEMO_PASSWORD}):" in loud
    assert "ptuj-zupanstvo" in loud
    assert "ptuj-zupanstvo" not in quiet


def test_demo_ptuj_council_has_its_chair(demo):
    ptuj = demo["ptuj"]

    chair = selectors.membership_chair_on(council=ptuj, day=D(2025, 1, 15))

    assert (ptuj.name, ptuj.display_name) == ("Varnostni sosvet Mestne občine Ptuj", "VS MO Ptuj")
    assert chair.person.full_name == "Nuška Gajšek"
    assert chair.organisation.name == "Mestna občina Ptuj"


def test_demo_ptuj_members_on_a_day(demo):
    members = selectors.memberships_list(council=demo["ptuj"], active_on=D(2025, 1, 15))

    # As a set: how "Čeh" sorts among ASCII names depends on the database's collation.
    assert {(m.person.full_name, m.organisation.short_name, m.role) for m in members} == {
        ("Boštjan Čeh", "ČS Center", "member"),
        ("Petra Fras", "ARS VITAE", "member"),
        ("Nuška Gajšek", "MOP", "chair"),
        ("Nina Gorjup", "CID", "member"),
        ("Andrej Kirbiš", "LAS", "member"),
        ("Maja Kokol", "ČS Breg", "member"),
        ("Primož Korošak", "MOP", "secretary"),
        ("mag. Aleksander Lubej", "PP Ptuj", "deputy_chair"),
        ("Simona Rajh", "CSD SP", "member"),
        ("Mojca Vaupotič", "SOU MO", "member"),
        ("Tjaša Žnidarič", "ČS Ljudski vrt", "member"),
    }


@pytest.mark.parametrize(
    ("organisation", "people"),
    [
        ("Policijska postaja Ptuj", ["mag. Aleksander Lubej"]),
        ("CSD Spodnje Podravje", ["Simona Rajh"]),
        ("ARS VITAE, društvo za razvoj in izvajanje programov pomoči", ["Petra Fras"]),
        ("Center interesnih dejavnosti Ptuj (CID Ptuj)", ["Nina Gorjup"]),
        (
            "Lokalna akcijska skupina za preprečevanje zasvojenosti v MO Ptuj (LAS)",
            ["Andrej Kirbiš"],
        ),
    ],
)
def test_demo_ptuj_organisations_are_represented(demo, organisation, people):
    ptuj = demo["ptuj"]
    org = Organisation.objects.get(council=ptuj, name=organisation)

    members = selectors.memberships_list(council=ptuj, organisation=org)

    assert [m.person.full_name for m in members] == people


def test_demo_ptuj_social_work_centre_in_2023(demo):
    members = selectors.memberships_list(
        council=demo["ptuj"], year=2023, organisation_kind="social"
    )

    assert [m.person.full_name for m in members] == ["Simona Rajh"]


def test_demo_ptuj_district_seat_changed_hands(demo):
    breg = Organisation.objects.get(council=demo["ptuj"], short_name="ČS Breg")

    members = selectors.memberships_list(council=demo["ptuj"], organisation=breg)

    assert [(m.person.full_name, m.start_date, m.end_date) for m in members] == [
        ("Maja Kokol", D(2024, 1, 15), None),
        ("Darko Šmigoc", D(2022, 12, 1), D(2023, 12, 31)),
    ]


def test_demo_ptuj_has_three_terms(demo):
    assert [t.label for t in selectors.terms_list(council=demo["ptuj"])] == [
        "2026–2030",
        "2022–2026",
        "2018–2022",
    ]


def test_demo_slovenj_gradec_mislinja_has_two_municipalities(demo):
    council = demo["slovenj-gradec-mislinja"]

    assert [m.name for m in council.municipalities.all()] == [
        "Mestna občina Slovenj Gradec",
        "Občina Mislinja",
    ]
    assert council.display_name == "VS Slovenj Gradec–Mislinja"


def test_demo_working_groups_belong_to_their_council(demo):
    assert [(c.slug, c.parent.slug) for c in Council.objects.filter(parent__isnull=False)] == [
        ("prerov-tour-de-dvur", "prerov"),
        ("stord-koordineringsgruppe", "stord-politirad"),
    ]


def test_demo_records_pass_model_validation(demo):
    """The loader writes without full_clean; its data must still obey every model rule."""
    for model in (Council, Term, Organisation, Person, Membership):
        for instance in model.objects.all():
            instance.full_clean()


# --- logins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (
            "admin",
            {
                slug: {"secretary"}
                for slug in (
                    "prerov",
                    "prerov-tour-de-dvur",
                    "stord-politirad",
                    "stord-koordineringsgruppe",
                    "ptuj",
                    "slovenj-gradec-mislinja",
                )
            },
        ),
        # The secretary's own membership (role "secretary") adds member rights.
        ("ptuj-tajnik", {"ptuj": {"secretary", "member"}}),
        ("ptuj-predsednica", {"ptuj": {"chair"}}),
        ("ptuj-clan", {"ptuj": {"member"}}),
        ("ptuj-zupanstvo", {"ptuj": {"mayors_office"}}),
        ("sg-tajnica", {"slovenj-gradec-mislinja": {"secretary", "member"}}),
        (
            "stord-koordinator",
            {
                "stord-politirad": {"secretary", "member"},
                "stord-koordineringsgruppe": {"secretary"},
            },
        ),
    ],
)
def test_demo_login_has_intended_access(demo, username, expected):
    user = login(username)

    access = {
        slug: set(permissions.council_access(user, council).roles)
        for slug, council in demo.items()
        if permissions.council_access(user, council).has_access
    }
    listed = {
        uc.council.slug: set(uc.access.roles) for uc in selectors.councils_for_user(user=user)
    }

    assert access == expected
    assert listed == expected


def test_demo_mayors_office_reads_ptuj_but_not_slovenj_gradec(demo):
    user = login("ptuj-zupanstvo")
    ptuj, sg = demo["ptuj"], demo["slovenj-gradec-mislinja"]

    assert (
        permissions.can_view_council(user, ptuj),
        permissions.can_read_internal(user, ptuj),
        permissions.can_manage_council(user, ptuj),
        permissions.can_download_reports(user, ptuj),
    ) == (True, False, False, True)
    assert permissions.can_view_council(user, sg) is False


def test_demo_member_reads_but_does_not_manage(demo):
    user = login("ptuj-clan")

    assert permissions.can_read_internal(user, demo["ptuj"]) is True
    assert permissions.can_manage_council(user, demo["ptuj"]) is False


def test_demo_logins_link_to_their_person(demo):
    linked = {
        (p.council.slug, p.full_name, p.user.username)
        for p in Person.objects.filter(user__isnull=False).select_related("council", "user")
    }

    assert linked == {
        ("ptuj", "Primož Korošak", "ptuj-tajnik"),
        ("ptuj", "Nuška Gajšek", "ptuj-predsednica"),
        ("ptuj", "Simona Rajh", "ptuj-clan"),
        ("slovenj-gradec-mislinja", "Urška Pečovnik", "sg-tajnica"),
        ("stord-politirad", "Kåre Håland", "stord-koordinator"),
    }


def test_demo_password_signs_in(demo):
    assert authenticate(username="ptuj-zupanstvo", password=DEMO_PASSWORD) == login(
        "ptuj-zupanstvo"
    )
    assert authenticate(username="ptuj-zupanstvo", password="wrong") is None


def test_demo_only_admin_is_superuser(demo):
    assert list(
        get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True)
    ) == ["admin"]
