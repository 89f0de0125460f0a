"""Erasing a person's contact data: gone everywhere, the name kept in official records."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from councils import privacy
from councils.models import AuditEvent, CouncilRole, Person
from sessions.models import Delivery, Invitation, Invitee, MinutesVersion

from ..factories import CouncilRoleFactory, PersonFactory, UserFactory
from .conftest import EMAIL, PHONE

pytestmark = pytest.mark.django_db


def database_dump() -> str:
    """Every table of the installation as JSON (what a backup of the database holds)."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_erasure_removes_every_copy_of_the_contact_data(council, secretary, marta, marta_world):
    assert EMAIL in database_dump() and PHONE in database_dump()

    privacy.person_erase(person=marta, by=secretary, reason="Prošnja z dne 3. 3.")

    dump = database_dump()
    assert EMAIL not in dump
    assert PHONE not in dump
    assert "bolniška odsotnost" not in dump  # the note with the answer


def test_erasure_keeps_the_name_and_the_official_records(council, secretary, marta, marta_world):
    invitation_before = Invitation.objects.values("snapshot", "pdf", "pdf_sha256").get()
    version_before = MinutesVersion.objects.values("snapshot", "pdf", "pdf_sha256").get()

    privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    marta.refresh_from_db()
    assert (marta.first_name, marta.last_name, marta.function) == ("Marta", "Kos", "ravnateljica")
    assert (marta.email, marta.phone, marta.user) == ("", "", None)
    assert marta.erased_at is not None
    assert Invitation.objects.values("snapshot", "pdf", "pdf_sha256").get() == invitation_before
    assert MinutesVersion.objects.values("snapshot", "pdf", "pdf_sha256").get() == version_before
    assert marta.memberships.count() == 1
    assert marta_world["task"].responsible_person_id == marta.pk
    invitee = Invitee.objects.get(pk=marta_world["invitee"].pk)
    assert (invitee.name, invitee.response) == ("Marta Kos", Invitee.Response.EXCUSED)
    assert invitee.email.endswith("@erased.invalid")
    assert invitee.is_active is False  # an upcoming session: no more invitations


def test_erasure_empties_the_emails_and_stops_those_not_yet_sent(
    council, secretary, marta, marta_world
):
    privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    sent = Delivery.objects.get(pk=marta_world["sent"].pk)
    queued = Delivery.objects.get(pk=marta_world["queued"].pk)
    assert (sent.subject, sent.body_text, sent.body_html) == ("", "", "")
    assert sent.status == Delivery.Status.SENT
    assert sent.to_email == Invitee.objects.get(pk=marta_world["invitee"].pk).email
    assert queued.status == Delivery.Status.FAILED


def test_erasure_closes_a_login_used_nowhere_else(council, secretary, marta, marta_world):
    login = marta.user

    plan = privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    login.refresh_from_db()
    assert plan.closes_login
    assert login.is_active is False
    assert login.username == f"erased-{login.pk}"
    assert (login.email, login.first_name, login.last_name) == ("", "", "")
    assert not login.has_usable_password()
    assert authenticate(username="marta", password="pass-word-123") is None
    assert not CouncilRole.objects.filter(user=login).exists()
    revoked = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REVOKED)
    assert revoked.details["user"] == login.username


def test_a_login_used_in_another_council_stays_open_but_loses_this_council(
    council, other_council, secretary, marta, marta_world
):
    login = marta.user
    PersonFactory(council=other_council, first_name="Marta", last_name="Kos", user=login)

    plan = privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    login.refresh_from_db()
    assert plan.login_outcome == "shared"
    assert login.is_active and login.username == "marta"
    assert not CouncilRole.objects.filter(user=login, council=council).exists()
    assert Person.objects.get(pk=marta.pk).user is None


def test_a_site_administrators_login_is_never_closed_from_a_council(council, secretary):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    person = PersonFactory(council=council, user=admin)

    plan = privacy.person_erase(person=person, by=secretary, reason="Prošnja")

    admin.refresh_from_db()
    assert plan.login_outcome == "administrator"
    assert admin.is_active and admin.username == "root"


def test_erasure_is_recorded_in_the_audit_log_without_the_contact_data(
    council, secretary, marta, marta_world
):
    privacy.person_erase(person=marta, by=secretary, reason="Prošnja z dne 3. 3.")

    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSON_ERASED)
    assert (event.council, event.user, event.object_id) == (council, secretary, str(marta.pk))
    assert event.object_repr == "Marta Kos"
    assert event.details["reason"] == "Prošnja z dne 3. 3."
    assert event.details["login_closed"] is True
    assert event.details["invitees"] == 1 and event.details["deliveries"] == 2
    assert EMAIL not in str(event.details)


def test_the_sign_ins_of_a_closed_login_no_longer_name_it(client, council, secretary, marta):
    client.post(reverse("login"), {"username": "marta", "password": "wrong"})
    client.post(reverse("login"), {"username": "marta", "password": "pass-word-123"})

    login_pk = marta.user_id

    privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    sign_ins = AuditEvent.objects.filter(action__in=AuditEvent.SIGN_IN_ACTIONS)
    assert sign_ins.count() == 2
    assert set(sign_ins.values_list("actor", flat=True)) == {f"erased-{login_pk}"}
    assert set(sign_ins.values_list("user_id", flat=True)) == {login_pk}


def test_an_erasure_without_a_reason_changes_nothing(council, secretary, marta):
    with pytest.raises(ValidationError) as error:
        privacy.person_erase(person=marta, by=secretary, reason="  ")
    assert "reason" in error.value.error_dict
    marta.refresh_from_db()
    assert (marta.email, marta.erased_at) == (EMAIL, None)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PERSON_ERASED).exists()


# --- The pages --------------------------------------------------------------------------


def erase_url(person):
    return reverse(
        "councils:person_erase", kwargs={"council_slug": person.council.slug, "pk": person.pk}
    )


def test_the_confirmation_page_explains_the_consequences(
    client, council, secretary, marta, marta_world
):
    client.force_login(secretary)

    response = client.get(erase_url(marta))

    plan = response.context["plan"]
    assert (plan.invitees, plan.deliveries, plan.login_outcome) == (1, 2, "close")
    assert len(plan.active_memberships) == 1
    text = response.content.decode()
    assert "marta" in text  # the login that will be closed
    assert EMAIL not in text  # the page never needs to show the address


def test_a_wrong_name_is_refused_next_to_the_field(client, council, secretary, marta):
    client.force_login(secretary)

    response = client.post(erase_url(marta), {"confirm_name": "Marta", "reason": "Prošnja"})

    assert response.status_code == 200
    with translation.override("sl"):
        expected = translation.gettext("Type the name exactly as shown: %(name)s.") % {
            "name": "Marta Kos"
        }
    assert response.context["form"].errors["confirm_name"] == [expected]
    marta.refresh_from_db()
    assert marta.email == EMAIL


def test_the_secretary_erases_after_confirming(client, council, secretary, marta, marta_world):
    client.force_login(secretary)

    response = client.post(
        erase_url(marta), {"confirm_name": "  marta   KOS ", "reason": "Prošnja z dne 3. 3."}
    )

    assert response.status_code == 302
    assert response["Location"] == marta.get_absolute_url()
    marta.refresh_from_db()
    assert marta.email == "" and marta.erased_at is not None
    page = client.get(marta.get_absolute_url()).content.decode()
    assert EMAIL not in page


def test_another_councils_person_cannot_be_erased(client, council, other_council, secretary):
    stranger = PersonFactory(council=other_council, email="tuji@example.test")
    client.force_login(secretary)
    url = reverse("councils:person_erase", kwargs={"council_slug": council.slug, "pk": stranger.pk})

    response = client.post(url, {"confirm_name": stranger.full_name, "reason": "x"})

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.email == "tuji@example.test"


def test_chair_role_of_the_council_may_erase_but_members_may_not(client, council, marta):
    chair = UserFactory(username="predsednica")
    CouncilRoleFactory(council=council, user=chair, role=CouncilRole.Role.CHAIR)
    client.force_login(marta.user)
    assert client.get(erase_url(marta)).status_code == 403
    client.force_login(chair)
    assert client.get(erase_url(marta)).status_code == 200


def test_an_email_to_an_erased_address_cannot_be_sent_again(council, secretary, marta, marta_world):
    from sessions import services as session_services

    privacy.person_erase(person=marta, by=secretary, reason="Prošnja")

    with pytest.raises(ValidationError):
        session_services.delivery_resend(delivery=marta_world["sent"], by=secretary)
    assert Delivery.objects.filter(council=council).count() == 2
