"""A person's data export: everything the portal holds about them, as JSON."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from councils import privacy
from councils.models import AuditEvent, CouncilRole

from ..factories import CouncilRoleFactory, MembershipFactory, PersonFactory, UserFactory
from .conftest import EMAIL, PHONE

pytestmark = pytest.mark.django_db


def export_url(person):
    return reverse(
        "councils:person_export", kwargs={"council_slug": person.council.slug, "pk": person.pk}
    )


def test_the_export_holds_everything_about_the_person(
    client, council, secretary, marta, marta_world
):
    client.post(reverse("login"), {"username": "marta", "password": "pass-word-123"})

    data = privacy.person_export(person=marta, by=secretary)

    assert (data["format"], data["version"]) == ("sosvet-person-export", 1)
    (record,) = data["records"]
    assert record["council"]["slug"] == council.slug
    assert record["person"] == {
        "first_name": "Marta",
        "last_name": "Kos",
        "title": "",
        "function": "ravnateljica",
        "email": EMAIL,
        "phone": PHONE,
        "contact_data_erased": None,
    }
    assert [m["organisation"] for m in record["memberships"]] == ["OŠ Ljudski vrt"]
    (invitation,) = record["invitations"]
    assert (invitation["email"], invitation["note"]) == (EMAIL, "bolniška odsotnost")
    assert {e["to"] for e in record["emails"]} == {EMAIL}
    assert any(EMAIL in e["text"] for e in record["emails"])
    assert [p["title"] for p in record["proposals"]] == ["Prometna varnost pred šolo"]
    (task,) = record["tasks"]
    assert task["task"] == "Pripraviti analizo"
    assert [n["text"] for n in task["progress"]] == ["Zbiramo podatke."]
    assert [i["title"] for i in record["agenda_items"]] == ["Varnost"]
    assert record["change_history"][0]["email"] == EMAIL
    login = data["login"]
    assert (login["username"], login["email"]) == ("marta", EMAIL)
    assert [r["council"] for r in login["access_roles"]] == [council.name]
    assert [s["ip_address"] for s in login["sign_ins"]] == ["127.0.0.1"]
    json.dumps(data)  # plain JSON


# The phone number on the other council's record: text no timestamp can contain.
OTHER_PHONE = "+386 30 999 999 (drugje)"


def test_another_councils_record_is_included_only_for_who_manages_both(
    council, other_council, secretary, marta
):
    PersonFactory(
        council=other_council,
        first_name="Marta",
        last_name="Kos",
        user=marta.user,
        phone=OTHER_PHONE,
    )
    CouncilRoleFactory(council=other_council, user=marta.user, role=CouncilRole.Role.MEMBER)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    by_secretary = privacy.person_export_data(person=marta, by=secretary)
    by_admin = privacy.person_export_data(person=marta, by=root)

    assert OTHER_PHONE in json.dumps(by_admin, ensure_ascii=False)
    assert [r["council"]["slug"] for r in by_secretary["records"]] == [council.slug]
    assert OTHER_PHONE not in json.dumps(by_secretary, ensure_ascii=False)
    assert [r["council"] for r in by_secretary["login"]["access_roles"]] == [council.name]
    assert {r["council"]["slug"] for r in by_admin["records"]} == {council.slug, other_council.slug}


def test_the_secretary_downloads_the_export_and_it_is_recorded(
    client, council, secretary, marta, marta_world
):
    client.force_login(secretary)

    response = client.post(export_url(marta))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ptuj-marta-kos-')
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data["records"][0]["person"]["email"] == EMAIL
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSON_EXPORTED)
    assert (event.council, event.user, event.object_id) == (council, secretary, str(marta.pk))
    assert event.details == {"people": 1, "login": True}


def test_a_person_without_a_login_is_exported_too(council, secretary):
    person = MembershipFactory(council=council).person

    data = privacy.person_export(person=person, by=secretary)

    assert data["login"] is None
    assert data["records"][0]["person"]["last_name"] == person.last_name


def test_the_export_is_post_only_and_the_council_own(client, council, other_council, secretary):
    stranger = PersonFactory(council=other_council)
    client.force_login(secretary)
    own = PersonFactory(council=council)

    assert client.get(export_url(own)).status_code == 405
    url = reverse(
        "councils:person_export", kwargs={"council_slug": council.slug, "pk": stranger.pk}
    )
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PERSON_EXPORTED).exists()


def test_the_person_page_offers_export_and_erasure_to_the_secretary_only(
    client, council, secretary, member, marta
):
    client.force_login(secretary)
    page = client.get(marta.get_absolute_url()).content.decode()
    assert export_url(marta) in page
    assert reverse("councils:person_erase", args=[council.slug, marta.pk]) in page
    client.force_login(member)
    page = client.get(marta.get_absolute_url()).content.decode()
    assert export_url(marta) not in page
