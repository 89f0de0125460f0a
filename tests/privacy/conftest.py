"""Fixtures for the privacy tests: a member with a login, e-mails, answers and tasks."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from councils.models import CouncilRole
from sessions import services
from sessions.models import AgendaItem, Delivery, Invitation, Invitee, MinutesVersion, Session

from ..factories import (
    CouncilRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    with_next_term,
)

EMAIL = "marta.kos@example.test"
PHONE = "+386 41 555 123"


@pytest.fixture
def council(council):
    return with_next_term(council)


@pytest.fixture
def marta_login(db):
    return UserFactory(username="marta", email=EMAIL, first_name="Marta", last_name="Kos")


@pytest.fixture
def marta(council, marta_login):
    """A member with a login, an e-mail address and a phone number."""
    person = PersonFactory(
        council=council,
        first_name="Marta",
        last_name="Kos",
        email=EMAIL,
        phone=PHONE,
        function="ravnateljica",
        user=marta_login,
    )
    MembershipFactory(
        council=council,
        person=person,
        organisation=OrganisationFactory(council=council, name="OŠ Ljudski vrt"),
    )
    CouncilRoleFactory(council=council, user=marta_login, role=CouncilRole.Role.MEMBER)
    return person


def _upcoming(council, secretary, days=20):
    session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=days),
            "start_time": datetime.time(17, 0),
            "place": "Sejna soba",
        },
    )
    services.agenda_item_create(session=session, by=secretary, data={"title": "Šolske poti"})
    return Session.objects.get(pk=session.pk)


@pytest.fixture
def marta_world(council, secretary, marta):
    """Marta was invited (answered with a note), e-mailed, proposed an item, owns a task;
    the minutes that name her are approved (an official record)."""
    upcoming = _upcoming(council, secretary)
    invitee = Invitee.objects.create(
        session=upcoming,
        person=marta,
        name=marta.full_name,
        email=EMAIL,
        response=Invitee.Response.EXCUSED,
        response_note="bolniška odsotnost",
        responded_at=timezone.now(),
    )
    invitation = Invitation.objects.create(
        session=upcoming,
        revision=1,
        kind=Invitation.Kind.INVITATION,
        sequence=0,
        snapshot=services.invitation_snapshot(session=upcoming),
        language="sl",
        pdf=b"%PDF-1.7 invitation as sent",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 invitation as sent").hexdigest(),
    )
    sent = Delivery.objects.create(
        council=council,
        session=upcoming,
        invitation=invitation,
        invitee=invitee,
        purpose=Delivery.Purpose.INVITATION,
        key=f"inv:{invitation.pk}:{invitee.pk}",
        to_email=EMAIL,
        status=Delivery.Status.SENT,
        subject="Vabilo na sejo",
        body_text=f"Spoštovana Marta Kos ({EMAIL}), vabimo vas …",
        body_html=f"<p>Spoštovana Marta Kos ({EMAIL})</p>",
        sent_at=timezone.now(),
    )
    queued = Delivery.objects.create(
        council=council,
        session=upcoming,
        invitation=invitation,
        invitee=invitee,
        purpose=Delivery.Purpose.REMINDER,
        key=f"rem:{upcoming.pk}:{invitee.pk}:x",
        to_email=EMAIL,
    )
    proposal = services.proposal_submit(
        session=upcoming,
        by=marta.user,
        proposer=marta,
        data={"title": "Prometna varnost pred šolo", "rationale": "Starši opozarjajo."},
    )
    held = Session.objects.create(
        council=council,
        number=1,
        date=timezone.localdate() - datetime.timedelta(days=40),
        start_time=datetime.time(13, 0),
        place="Sejna soba",
        status=Session.Status.HELD,
    )
    item = AgendaItem.objects.create(session=held, position=1, title="Varnost", presenter=marta)
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(
        minutes=minutes, by=secretary, agenda_item=item, text="Sosvet se seznani."
    )
    task = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={"title": "Pripraviti analizo", "responsible_person": marta},
    )
    services.task_progress(task=task, by=secretary, status="in_progress", text="Zbiramo podatke.")
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        snapshot={"attendance": [{"name": marta.full_name}], "chair": "Nuša Pečnik"},
        pdf=b"%PDF-1.7 approved minutes",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 approved minutes").hexdigest(),
        approved_on=timezone.localdate(),
    )
    return {
        "upcoming": upcoming,
        "invitee": invitee,
        "invitation": invitation,
        "sent": sent,
        "queued": queued,
        "proposal": proposal,
        "task": task,
        "version": version,
        "held": held,
    }
