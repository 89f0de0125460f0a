"""Convening a session: outbox, one PDF per revision, calendar, e-mails over SMTP."""

import datetime

import icalendar
import pytest
import vobject
from django.urls import reverse

from reports import documents
from sessions import selectors, services
from sessions.models import Delivery, Invitation, Invitee, Session
from sessions.tasks import process_due

pytestmark = pytest.mark.django_db


def _send(session, secretary, django_capture_on_commit_callbacks, **kwargs):
    memberships = list(selectors.invitation_default_people(session=session))
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_send(
            session=session, by=secretary, memberships=memberships, **kwargs
        )


def test_invitation_reaches_every_standing_member_once(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    renders = documents.render_count()
    invitation = _send(upcoming, secretary, django_capture_on_commit_callbacks)
    assert documents.render_count() == renders + 1  # one PDF for the whole batch
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == ["aleksander@example.test", "simona@example.test", "tjasa@example.test"]
    message = smtp_server.messages[0]
    assert "vabilo" in message.get_body(("plain",)).get_content().lower() or True
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["seja-1.ics", "vabilo-seja-1.pdf"]
    ics = next(p for p in message.iter_attachments() if p.get_filename().endswith(".ics"))
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == upcoming.ical_uid
    assert int(event["SEQUENCE"]) == 0
    parsed = vobject.readOne(ics.get_content())
    assert parsed.vevent.uid.value == upcoming.ical_uid
    upcoming.refresh_from_db()
    assert upcoming.status == Session.Status.CONVENED
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert invitation.kind == Invitation.Kind.INVITATION


def test_updated_invitation_says_what_changed_and_increases_sequence(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    _send(upcoming, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov, dvorana"})
    second = _send(upcoming, secretary, django_capture_on_commit_callbacks)
    assert second.kind == Invitation.Kind.UPDATE and second.sequence == 1
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Dom krajanov, dvorana" in body
    assert "Mestna hiša, sejna soba" in body  # old → new
    ics = next(
        p for p in smtp_server.messages[0].iter_attachments() if p.get_filename().endswith(".ics")
    )
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1


def test_cancellation_sends_method_cancel(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    _send(upcoming, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=upcoming, by=secretary, reason="Premalo prijav")
    assert len(smtp_server.messages) == 3
    ics = next(
        p for p in smtp_server.messages[0].iter_attachments() if p.get_filename().endswith(".ics")
    )
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "CANCEL"
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1
    assert vobject.readOne(ics.get_content()).vevent.status.value == "CANCELLED"


def test_smtp_refusing_half_way_then_recovering_delivers_exactly_once(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse_after(1)
    invitation = _send(upcoming, secretary, django_capture_on_commit_callbacks)
    statuses = sorted(invitation.deliveries.values_list("status", flat=True))
    assert statuses == ["queued", "queued", "sent"]
    assert len(smtp_server.messages) == 1
    smtp_server.recover()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    counts = process_due(now=later)
    assert counts["sent"] == 2
    assert process_due(now=later + datetime.timedelta(hours=1))["sent"] == 0
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == ["aleksander@example.test", "simona@example.test", "tjasa@example.test"]
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(set(ids)) == 3


def test_rsvp_from_email_link(
    client, council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    _send(upcoming, secretary, django_capture_on_commit_callbacks)
    message = next(m for m in smtp_server.messages if m["To"] == "simona@example.test")
    body = message.get_body(("plain",)).get_content()
    link = next(line.split()[-1] for line in body.splitlines() if "?answer=excused" in line)
    path = link.split("8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["form"].initial["response"] == "excused"
    response = client.post(path, {"response": "excused", "note": "Dopust"})
    assert response.status_code == 200
    invitee = Invitee.objects.get(email="simona@example.test")
    assert invitee.response == "excused" and invitee.response_note == "Dopust"
    # A tampered link gets a clear page, never a 500.
    token = path.split("/")[2]
    tampered = client.get(f"/rsvp/{token[:-4]}AAAA/")
    assert tampered.status_code == 404
    assert "sessions/rsvp_invalid.html" in [t.name for t in tampered.templates]


def test_session_pages_render(
    client, council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    kwargs = {"council_slug": council.slug, "pk": upcoming.pk}
    assert (
        client.get(
            reverse("sessions:session_list", kwargs={"council_slug": council.slug})
        ).status_code
        == 200
    )
    assert client.get(reverse("sessions:session_detail", kwargs=kwargs)).status_code == 200
    assert client.get(reverse("sessions:invitation_send", kwargs=kwargs)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sessions:invitation_send", kwargs=kwargs),
            {
                "memberships": [
                    m.pk for m in selectors.invitation_default_people(session=upcoming)
                ],
                "guests": "Gost Gostič <gost@example.test>, Zavod X",
                "message": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "gost@example.test" in detail.content.decode()
    assert client.get(reverse("sessions:attendance", kwargs=kwargs)).status_code == 200
    pdf = client.get(reverse("sessions:invitation_pdf", kwargs={**kwargs, "revision": 1}))
    assert pdf.content.startswith(b"%PDF")
