"""Session pages: forms keep input on errors, the agenda order, recipients, tenancy."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from sessions import selectors, services
from sessions.models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    Delivery,
    Invitation,
    Invitee,
    Session,
)

from ..factories import MembershipFactory, PersonFactory
from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import field_errors_html, make_session, pdf_bytes, row_counts, upload

pytestmark = pytest.mark.django_db

T = datetime.time


def u(name: str, council, **kwargs) -> str:
    return reverse(f"sessions:{name}", kwargs={"council_slug": council.slug, **kwargs})


def input_value(response, field: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', response.content.decode())
    assert tag is not None, field
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def titles(session) -> list[str]:
    return list(session.agenda_items.order_by("position", "pk").values_list("title", flat=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Scheduling ------------------------------------------------------------------------


@pytest.fixture
def day():
    return timezone.localdate() + datetime.timedelta(days=21)


def session_post(day, **overrides) -> dict:
    data = {
        "number": "",
        "date": day.isoformat(),
        "start_time": "17:00",
        "end_time": "19:00",
        "place": "Mestna hiša, sejna soba",
        "online_url": "",
        "notes": "Gradivo sledi.",
        "proposal_deadline": "",
    }
    data.update(overrides)
    return data


def test_session_create_end_before_start_keeps_input_and_saves_nothing(en_client, council, day):
    response = en_client.post(
        u("session_create", council), session_post(day, start_time="18:00", end_time="17:30")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_time": ["The session must end after it starts."]
    }
    assert field_errors_html(response, "end_time") == ["The session must end after it starts."]
    assert input_value(response, "place") == "Mestna hiša, sejna soba"
    assert input_value(response, "date") == day.isoformat()
    assert input_value(response, "start_time") == "18:00"
    assert input_value(response, "end_time") == "17:30"
    assert "Gradivo sledi." in response.content.decode()
    assert not Session.objects.exists()


def test_session_create_clash_keeps_input_and_saves_nothing(en_client, council, day):
    make_session(council, date=day, number=4, start=(16, 30), end=(18, 0))
    response = en_client.post(
        u("session_create", council), session_post(day, start_time="17:30", end_time="19:00")
    )
    assert response.context["form"].errors == {
        "start_time": ["This clashes with Session 4 (16:30–18:00)."]
    }
    assert field_errors_html(response, "start_time") == [
        "This clashes with Session 4 (16:30–18:00)."
    ]
    assert input_value(response, "start_time") == "17:30"
    assert Session.objects.count() == 1


def test_session_create_without_place_or_link_keeps_input_and_saves_nothing(
    en_client, council, day
):
    response = en_client.post(u("session_create", council), session_post(day, place=""))
    assert response.context["form"].errors == {
        "place": ["Give the place or an online meeting link (or both)."]
    }
    assert field_errors_html(response, "place") == [
        "Give the place or an online meeting link (or both)."
    ]
    assert input_value(response, "start_time") == "17:00"
    assert not Session.objects.exists()


def test_session_create_online_only_is_fine(en_client, council, day):
    response = en_client.post(
        u("session_create", council),
        session_post(day, place="", online_url="meet.example.si/sosvet"),
    )
    assert response.status_code == 302
    assert Session.objects.get().online_url == "https://meet.example.si/sosvet"


def test_session_create_number_left_empty_is_numbered_automatically(en_client, council, secretary):
    term_day = datetime.date(2025, 3, 10)
    services.session_create(
        council=council,
        by=secretary,
        data={"date": datetime.date(2025, 1, 10), "start_time": T(17, 0), "place": "X"},
    )
    response = en_client.post(u("session_create", council), session_post(term_day))
    session = Session.objects.get(date=term_day)
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert (session.number, session.term, session.status) == (
        2,
        council.terms.get(start_date=datetime.date(2022, 12, 1)),
        "draft",
    )
    assert session.notes == "Gradivo sledi."
    assert messages_of(en_client.get(response["Location"])) == [
        "The session was scheduled. Now build its agenda."
    ]


def test_session_create_explicit_number_is_kept(en_client, council, day):
    response = en_client.post(u("session_create", council), session_post(day, number="12"))
    assert response.status_code == 302
    assert Session.objects.get().number == 12


def test_session_create_duplicate_number_is_a_form_error(en_client, council):
    day = datetime.date(2025, 3, 10)
    make_session(
        council,
        date=datetime.date(2025, 1, 10),
        number=3,
        term=council.terms.get(start_date=datetime.date(2022, 12, 1)),
    )
    response = en_client.post(u("session_create", council), session_post(day, number="3"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "number": ["Another session of this council in this term has this number."]
    }
    assert field_errors_html(response, "number") == [
        "Another session of this council in this term has this number."
    ]
    assert "alert-block" not in response.content.decode()  # no banner above the form
    assert input_value(response, "number") == "3"
    assert input_value(response, "place") == "Mestna hiša, sejna soba"
    assert Session.objects.count() == 1


def test_session_edit_to_a_taken_number_is_an_error_on_the_number(en_client, council):
    term = council.terms.order_by("start_date").first()
    make_session(council, date=datetime.date(2025, 1, 10), number=7, term=term)
    session = make_session(council, date=datetime.date(2025, 3, 10), number=8, term=term)
    response = en_client.post(
        u("session_edit", council, pk=session.pk), session_post(session.date, number="7")
    )
    assert response.status_code == 200
    assert field_errors_html(response, "number") == [
        "Another session of this council in this term has this number."
    ]
    assert response.context["form"].non_field_errors() == []
    session.refresh_from_db()
    assert session.number == 8


def test_session_model_constraint_errors_are_keyed_by_their_fields(council, english):
    """The model's own check (the service's ``full_clean``) names the field, for every form
    that saves a session (the session form, the admin)."""
    from django.core.exceptions import ValidationError

    term = council.terms.order_by("start_date").first()
    make_session(council, date=datetime.date(2025, 1, 10), number=3, term=term)
    twin = Session(
        council=council,
        term=term,
        number=3,
        date=datetime.date(2025, 3, 10),
        start_time=T(17, 0),
        place="Drugje",
    )
    with pytest.raises(ValidationError) as error:
        twin.validate_constraints()
    assert error.value.message_dict == {
        "number": ["Another session of this council in this term has this number."]
    }
    twin.number = 4
    twin.end_time = T(16, 0)
    with pytest.raises(ValidationError) as error:
        twin.validate_constraints()
    assert error.value.message_dict == {"end_time": ["The session must end after it starts."]}


def test_session_create_too_long_place_has_the_length_error_only(en_client, council, day):
    response = en_client.post(u("session_create", council), session_post(day, place="P" * 400))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "place": ["Ensure this value has at most 250 characters (it has 400)."]
    }
    assert field_errors_html(response, "place") == [
        "Ensure this value has at most 250 characters (it has 400)."
    ]
    assert not Session.objects.exists()


def test_session_create_bad_link_without_place_has_the_link_error_only(en_client, council, day):
    response = en_client.post(
        u("session_create", council), session_post(day, place="", online_url="http://")
    )
    assert response.context["form"].errors == {"online_url": ["Enter a valid URL."]}
    assert not Session.objects.exists()


def test_session_create_deadline_after_start_is_an_error_on_the_deadline(en_client, council, day):
    response = en_client.post(
        u("session_create", council),
        session_post(day, proposal_deadline=f"{day.isoformat()}T18:00"),
    )
    assert response.context["form"].errors == {
        "proposal_deadline": ["The deadline for proposals must be before the session starts."]
    }
    assert input_value(response, "proposal_deadline") == f"{day.isoformat()}T18:00"
    assert not Session.objects.exists()


def test_session_edit_of_a_held_session_is_refused(en_client, council):
    session = make_session(council, days=-2, status=Session.Status.HELD)
    response = en_client.post(
        u("session_edit", council, pk=session.pk),
        session_post(session.date, place="Drugje", number=str(session.number)),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A held, closed or cancelled session cannot be changed."
    ]
    session.refresh_from_db()
    assert session.place == "Mestna hiša"


def test_session_edit_number_left_empty_keeps_the_number(en_client, council, upcoming):
    response = en_client.post(
        u("session_edit", council, pk=upcoming.pk),
        session_post(upcoming.date, place="Dom krajanov"),
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.number, upcoming.place) == (1, "Dom krajanov")


# Agenda order ----------------------------------------------------------------------


def test_agenda_move_view_without_javascript_moves_up(en_client, council, upcoming):
    second = upcoming.agenda_items.get(position=2)
    response = en_client.post(
        u("agenda_item_move", council, pk=upcoming.pk, item_pk=second.pk), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{upcoming.get_absolute_url()}#item-{second.pk}"
    assert titles(upcoming) == ["Varnost šolskih poti", "Varnostne razmere v letu 2025"]
    page = en_client.get(response["Location"])
    assert messages_of(page) == ["The agenda order was changed."]
    content = page.content.decode()
    assert content.index("Varnost šolskih poti") < content.index("Varnostne razmere v letu 2025")


def test_agenda_move_view_down(en_client, council, upcoming):
    first = upcoming.agenda_items.get(position=1)
    en_client.post(
        u("agenda_item_move", council, pk=upcoming.pk, item_pk=first.pk), {"direction": "down"}
    )
    assert titles(upcoming) == ["Varnost šolskih poti", "Varnostne razmere v letu 2025"]


@pytest.mark.parametrize("direction", ["", "left", "UP"])
def test_agenda_move_view_unknown_direction_changes_nothing(
    en_client, council, upcoming, direction
):
    second = upcoming.agenda_items.get(position=2)
    response = en_client.post(
        u("agenda_item_move", council, pk=upcoming.pk, item_pk=second.pk),
        {"direction": direction},
    )
    assert messages_of(en_client.get(response["Location"])) == ["Unknown direction."]
    assert titles(upcoming) == ["Varnostne razmere v letu 2025", "Varnost šolskih poti"]


def test_agenda_move_view_is_get_proof(en_client, council, upcoming):
    second = upcoming.agenda_items.get(position=2)
    response = en_client.get(
        u("agenda_item_move", council, pk=upcoming.pk, item_pk=second.pk), {"direction": "up"}
    )
    assert response.status_code == 405
    assert titles(upcoming) == ["Varnostne razmere v letu 2025", "Varnost šolskih poti"]


def test_agenda_reorder_json_answer(en_client, council, upcoming):
    a, b = upcoming.agenda_items.order_by("position")
    response = en_client.post(
        u("agenda_reorder", council, pk=upcoming.pk),
        {"order": f"{b.pk},{a.pk}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"ok": True, "message": "The agenda order was changed."}
    assert titles(upcoming) == ["Varnost šolskih poti", "Varnostne razmere v letu 2025"]


@pytest.mark.parametrize("order", ["", "1,x", "{a}", "{a},{a},{b}", "{b},{a},999999"])
def test_agenda_reorder_json_error(en_client, council, upcoming, order):
    a, b = upcoming.agenda_items.order_by("position")
    response = en_client.post(
        u("agenda_reorder", council, pk=upcoming.pk),
        {"order": order.format(a=a.pk, b=b.pk)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "The new order must list every agenda item exactly once.",
    }
    assert titles(upcoming) == ["Varnostne razmere v letu 2025", "Varnost šolskih poti"]


def test_agenda_reorder_without_json_redirects_with_a_message(en_client, council, upcoming):
    a, b = upcoming.agenda_items.order_by("position")
    response = en_client.post(
        u("agenda_reorder", council, pk=upcoming.pk), {"order": f"{b.pk},{a.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{upcoming.get_absolute_url()}#agenda"
    assert messages_of(en_client.get(response["Location"])) == ["The agenda order was changed."]


def test_agenda_reorder_with_another_sessions_item_changes_nothing(en_client, council, upcoming):
    a, b = upcoming.agenda_items.order_by("position")
    other = make_session(council, days=40)
    foreign = AgendaItem.objects.create(session=other, title="Druga seja", position=1)
    response = en_client.post(
        u("agenda_reorder", council, pk=upcoming.pk),
        {"order": f"{b.pk},{a.pk},{foreign.pk}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert AgendaItem.objects.get(pk=foreign.pk).session == other


# Recipients ------------------------------------------------------------------------


def test_invitation_send_view_preselects_current_standing_members(
    en_client, council, members, upcoming
):
    ended = MembershipFactory(
        council=council,
        person=PersonFactory(council=council, first_name="Bivši", email="bivsi@example.test"),
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 1, 1),
    )
    response = en_client.get(u("invitation_send", council, pk=upcoming.pk))
    assert response.status_code == 200
    chosen = response.context["form"].initial["memberships"]
    assert sorted(m.person.email for m in chosen) == [
        "aleksander@example.test",
        "simona@example.test",
        "tjasa@example.test",
    ]
    content = response.content.decode()
    checked = set(
        re.findall(r'<input[^>]*name="memberships"[^>]*value="(\d+)"[^>]*checked', content)
    )
    assert checked == {str(m.pk) for m in members}
    non_standing = Membership.objects.get(kind=Membership.Kind.NON_STANDING)
    no_email = Membership.objects.get(person__email="")
    offered = set(re.findall(r'<input[^>]*name="memberships"[^>]*value="(\d+)"', content))
    assert {str(non_standing.pk), str(no_email.pk)} <= offered  # offered, not chosen
    assert str(ended.pk) not in offered


def test_invitation_send_view_preselects_those_invited_last_time(
    en_client, council, secretary, members, upcoming
):
    services.invitation_send(session=upcoming, by=secretary, memberships=members[:2])
    response = en_client.get(u("invitation_send", council, pk=upcoming.pk))
    chosen = response.context["form"].initial["memberships"]
    assert sorted(m.pk for m in chosen) == sorted(m.pk for m in members[:2])
    assert response.context["is_update"] is True


def test_invitation_send_view_guests_bad_line_names_the_line(en_client, council, members, upcoming):
    guests = "Gost Gostič <gost@example.test>, Zavod X\nne-e-posta\n\nDrugi <drugi@example.test>"
    response = en_client.post(
        u("invitation_send", council, pk=upcoming.pk),
        {"memberships": [m.pk for m in members], "guests": guests, "message": "Pozdrav"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "guests": ["Line 2: “ne-e-posta” is not a valid e-mail address."]
    }
    assert field_errors_html(response, "guests") == [
        "Line 2: “ne-e-posta” is not a valid e-mail address."
    ]
    assert "Gost Gostič &lt;gost@example.test&gt;, Zavod X" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not Invitee.objects.exists()
    upcoming.refresh_from_db()
    assert upcoming.status == Session.Status.DRAFT


def test_invitation_send_view_sends_to_members_and_guests(
    en_client, council, members, upcoming, django_capture_on_commit_callbacks, smtp_server
):
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            u("invitation_send", council, pk=upcoming.pk),
            {
                "memberships": [members[0].pk],
                "guests": "Gost Gostič <gost@example.test>, Zavod X",
                "message": "",
            },
        )
    invitation = Invitation.objects.get()
    assert response["Location"] == u(
        "invitation_detail", council, pk=upcoming.pk, revision=invitation.revision
    )
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "aleksander@example.test",
        "gost@example.test",
    ]
    guest = Invitee.objects.get(email="gost@example.test")
    assert (guest.name, guest.organisation_name, guest.kind) == ("Gost Gostič", "Zavod X", "guest")


def test_invitation_send_view_without_recipients_is_an_error(en_client, council, upcoming):
    response = en_client.post(
        u("invitation_send", council, pk=upcoming.pk), {"guests": "", "message": ""}
    )
    assert response.context["form"].non_field_errors() == ["Choose at least one recipient."]
    assert not Invitation.objects.exists()


def test_invitation_send_view_resubmitted_after_an_update_sends_nothing(
    en_client,
    council,
    secretary,
    members,
    upcoming,
    django_capture_on_commit_callbacks,
    smtp_server,
):
    form = {"memberships": [m.pk for m in members], "guests": "", "message": "Prosim."}
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(u("invitation_send", council, pk=upcoming.pk), form)
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov"})
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(u("invitation_send", council, pk=upcoming.pk), form)
    smtp_server.messages.clear()
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(u("invitation_send", council, pk=upcoming.pk), form)  # Back
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nothing has changed since the last invitation (revision 2) and every recipient "
        "already has it, so it was not sent again. Change the session or its agenda first, "
        "or add recipients."
    ]
    assert response.context["form"]["message"].value() == "Prosim."
    assert row_counts() == before
    assert smtp_server.messages == []
    assert list(Invitation.objects.values_list("revision", flat=True).order_by("revision")) == [
        1,
        2,
    ]


def test_invitation_send_view_an_added_recipient_alone_gets_the_unchanged_invitation(
    en_client, council, members, upcoming, django_capture_on_commit_callbacks, smtp_server
):
    form = {"memberships": [members[0].pk], "guests": "", "message": ""}
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(u("invitation_send", council, pk=upcoming.pk), form, follow=True)
    smtp_server.messages.clear()
    form["memberships"].append(members[1].pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(u("invitation_send", council, pk=upcoming.pk), form, follow=True)
    assert messages_of(response) == ["The invitation is being sent to 1 recipient."]
    assert [str(m["To"]) for m in smtp_server.messages] == ["simona@example.test"]
    assert Invitation.objects.get().revision == 1


# Proposals -------------------------------------------------------------------------


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_proposal_create_view_stores_the_proposal_with_its_attachment(
    member_client, council, member, upcoming
):
    response = member_client.post(
        u("proposal_create", council, pk=upcoming.pk),
        {
            "title": "Osvetlitev prehoda",
            "rationale": "Temno.",
            "attachment": upload("skica.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == u("proposal_list", council)
    proposal = AgendaProposal.objects.get()
    assert (proposal.title, proposal.proposer.user, proposal.submitted_by) == (
        "Osvetlitev prehoda",
        member,
        member,
    )
    assert [a.original_name for a in proposal.attachments.all()] == ["skica.pdf"]


def test_proposal_create_view_bad_attachment_is_an_error_on_the_attachment(
    member_client, council, upcoming
):
    response = member_client.post(
        u("proposal_create", council, pk=upcoming.pk),
        {"title": "Predlog", "rationale": "R", "attachment": upload("skica.pdf", b"MZ\x90")},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["attachment"]
    assert field_errors_html(response, "attachment")[0].startswith("This file type is not allowed.")
    assert input_value(response, "title") == "Predlog"
    assert not AgendaProposal.objects.exists()
    assert not Attachment.objects.exists()


def test_proposal_create_view_after_the_deadline_saves_nothing(member_client, council):
    session = make_session(council, days=2, start=(18, 0))
    deadline = timezone.localtime(session.effective_proposal_deadline)
    response = member_client.post(
        u("proposal_create", council, pk=session.pk),
        {"title": "Predlog", "rationale": "R", "attachment": upload("skica.pdf", pdf_bytes())},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Proposals for this session closed on {deadline:%d/%m/%Y} at 18:00. "
        "Ask the secretary to put your item on a later session."
    ]
    assert not AgendaProposal.objects.exists()
    assert not Attachment.objects.exists()


def test_proposal_create_view_for_a_cancelled_session_says_so_without_a_form(
    member_client, council, secretary, upcoming
):
    services.session_cancel(session=upcoming, by=secretary, reason="Premalo prijav")
    response = member_client.get(u("proposal_create", council, pk=upcoming.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The session was cancelled." in page
    assert "closed on" not in page and "accepted until" not in page
    assert 'name="title"' not in page
    before = row_counts()
    response = member_client.post(
        u("proposal_create", council, pk=upcoming.pk), {"title": "Predlog", "rationale": "R"}
    )
    assert response.context["form"].non_field_errors() == ["The session was cancelled."]
    assert row_counts() == before


def test_proposal_create_view_for_a_cancelled_session_in_slovenian(
    client, member, council, secretary, upcoming
):
    services.session_cancel(session=upcoming, by=secretary, reason="Premalo prijav")
    client.force_login(member)
    response = client.get(u("proposal_create", council, pk=upcoming.pk))
    assert "Seja je odpovedana." in response.content.decode()


@pytest.fixture
def proposal(council, member, upcoming):
    person = member.persons.get()
    return services.proposal_submit(
        session=upcoming,
        by=member,
        proposer=person,
        data={"title": "Osvetlitev prehoda", "rationale": "Temno."},
    )


def test_proposal_decide_view_decline_needs_a_reason(en_client, council, proposal):
    response = en_client.post(
        u("proposal_decide", council, pk=proposal.pk), {"decision": "decline", "reason": " "}
    )
    assert response.context["form"].errors == {
        "reason": ["Give the reason for declining the proposal."]
    }
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_proposal_decide_view_move_needs_a_later_session(en_client, council, proposal):
    earlier = make_session(council, days=3)
    response = en_client.post(
        u("proposal_decide", council, pk=proposal.pk),
        {"decision": "move", "target": earlier.pk},
    )
    assert list(response.context["form"].errors) == ["target"]
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_proposal_decide_view_accept_adds_the_item(en_client, council, upcoming, proposal):
    response = en_client.post(u("proposal_decide", council, pk=proposal.pk), {"decision": "accept"})
    assert response["Location"] == upcoming.get_absolute_url()
    assert titles(upcoming)[-1] == "Osvetlitev prehoda"
    again = en_client.post(u("proposal_decide", council, pk=proposal.pk), {"decision": "accept"})
    assert again.context["form"].non_field_errors() == ["This proposal has already been decided."]
    assert titles(upcoming).count("Osvetlitev prehoda") == 1


# Delivery resend -------------------------------------------------------------------


@pytest.fixture
def sent(council, secretary, members, upcoming):
    services.invitation_send(session=upcoming, by=secretary, memberships=members[:1])
    return Delivery.objects.get()


def resend(client, council, upcoming, delivery, data):
    return client.post(u("delivery_resend", council, pk=upcoming.pk, delivery_pk=delivery.pk), data)


def test_delivery_resend_view_goes_back_to_the_page_it_came_from(
    en_client, council, upcoming, sent
):
    back = u("invitation_detail", council, pk=upcoming.pk, revision=1)
    response = resend(en_client, council, upcoming, sent, {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert messages_of(en_client.get(back)) == [
        "The e-mail to aleksander@example.test is queued again."
    ]
    assert Delivery.objects.get(pk=sent.pk).status == "queued"


@pytest.mark.parametrize("target", ["https://evil.example/", "javascript:alert(1)", ""])
def test_delivery_resend_view_ignores_a_foreign_next(en_client, council, upcoming, sent, target):
    response = resend(en_client, council, upcoming, sent, {"next": target})
    assert response["Location"] == upcoming.get_absolute_url()


def test_delivery_resend_view_ignores_a_protocol_relative_next(en_client, council, upcoming, sent):
    response = resend(en_client, council, upcoming, sent, {"next": "//evil.example/x"})
    assert response["Location"] == upcoming.get_absolute_url()


# Tenancy ---------------------------------------------------------------------------


@pytest.fixture
def world(council, other_council, secretary, member, upcoming, django_capture_on_commit_callbacks):
    """Everything of this council that could leak, and the other council's own session."""
    membership = Membership.objects.get(person__user=member)
    invitation = services.invitation_send(session=upcoming, by=secretary, memberships=[membership])
    item = upcoming.agenda_items.get(position=1)
    attachment = services.attachment_add(
        council=council, by=secretary, upload=upload("gradivo.pdf", pdf_bytes()), agenda_item=item
    )
    proposal = services.proposal_submit(
        session=upcoming,
        by=member,
        proposer=membership.person,
        data={"title": "Predlog", "rationale": "Zakaj"},
    )
    own = make_session(other_council, days=30)
    own_item = AgendaItem.objects.create(session=own, title="Naša točka", position=1)
    return {
        "session": upcoming,
        "item": item,
        "attachment": attachment,
        "invitation": invitation,
        "delivery": Delivery.objects.get(invitation=invitation),
        "proposal": proposal,
        "own": own,
        "own_item": own_item,
    }


def foreign_requests(w, slug):
    """Requests by the other council's secretary naming this council's records."""
    s, own = w["session"].pk, w["own"].pk
    item = w["item"].pk
    a, d, p = w["attachment"].pk, w["delivery"].pk, w["proposal"].pk

    def r(name, method="get", data=None, **kwargs):
        return (method, reverse(f"sessions:{name}", kwargs={"council_slug": slug, **kwargs}), data)

    return [
        r("session_detail", pk=s),
        r("session_edit", pk=s),
        r(
            "session_edit",
            "post",
            {"date": "2030-01-01", "start_time": "10:00", "place": "X"},
            pk=s,
        ),
        r("session_cancel", pk=s),
        r("session_cancel", "post", {"reason": "x"}, pk=s),
        r("session_held", "post", pk=s),
        r("agenda_item_create", pk=s),
        r("agenda_item_create", "post", {"title": "Vrinjena", "kind": "discussion"}, pk=s),
        r("agenda_reorder", "post", {"order": str(item)}, pk=s),
        r("agenda_item_edit", pk=s, item_pk=item),
        r("agenda_item_edit", pk=own, item_pk=item),
        r("agenda_item_delete", "post", pk=s, item_pk=item),
        r("agenda_item_delete", "post", pk=own, item_pk=item),
        r("agenda_item_move", "post", {"direction": "up"}, pk=own, item_pk=item),
        r("attachment_upload", pk=s, item_pk=item),
        r("attachment_upload", pk=own, item_pk=item),
        r("attachment_delete", "post", pk=s, attachment_pk=a),
        r("attachment_delete", "post", pk=own, attachment_pk=a),
        r("attachment_download", pk=a),
        r("invitation_send", pk=s),
        r("invitation_detail", pk=s, revision=1),
        r("invitation_pdf", pk=s, revision=1),
        r("delivery_detail", pk=s, delivery_pk=d),
        r("delivery_detail", pk=own, delivery_pk=d),
        r("delivery_resend", "post", pk=s, delivery_pk=d),
        r("delivery_resend", "post", pk=own, delivery_pk=d),
        r("attendance", pk=s),
        r("attendance_remind", "post", pk=s),
        r("session_rsvp", "post", {"response": "attending"}, pk=s),
        r("proposal_create", pk=s),
        r("proposal_create", "post", {"title": "T", "rationale": "R"}, pk=s),
        r("proposal_decide", pk=p),
        r("proposal_decide", "post", {"decision": "accept"}, pk=p),
    ]


def snapshot_rows() -> dict:
    return {
        **row_counts(),
        "positions": list(AgendaItem.objects.order_by("pk").values_list("pk", "position")),
        "statuses": list(Session.objects.order_by("pk").values_list("pk", "status")),
        "deliveries": list(Delivery.objects.order_by("pk").values_list("pk", "status", "key")),
    }


@pytest.mark.parametrize("slug_of", ["own", "theirs"])
def test_other_councils_secretary_never_resolves_this_councils_records(
    client, other_council, council, other_secretary, world, slug_of
):
    client.force_login(other_secretary)
    slug = other_council.slug if slug_of == "own" else council.slug
    before = snapshot_rows()
    statuses = {}
    for method, address, data in foreign_requests(world, slug):
        response = getattr(client, method)(address, data or {})
        statuses[f"{method.upper()} {address}"] = response.status_code
    assert statuses == dict.fromkeys(statuses, 404)
    assert snapshot_rows() == before
    assert world["attachment"].file.storage.exists(world["attachment"].file.name)


def test_other_councils_secretary_cannot_pull_an_item_into_own_agenda(
    client, other_council, other_secretary, world
):
    client.force_login(other_secretary)
    before = snapshot_rows()
    response = client.post(
        u("agenda_reorder", other_council, pk=world["own"].pk),
        {"order": f"{world['own_item'].pk},{world['item'].pk}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert snapshot_rows() == before
    assert AgendaItem.objects.get(pk=world["item"].pk).session == world["session"]


def test_other_councils_secretary_sees_own_session_only(
    client, other_council, other_secretary, world
):
    client.force_login(other_secretary)
    response = client.get(u("session_list", other_council))
    assert list(response.context["sessions"]) == [world["own"]]
    response = client.get(u("proposal_list", other_council))
    assert list(response.context["pending"]) == []
    response = client.get(u("session_detail", other_council, pk=world["own"].pk))
    assert response.status_code == 200
    assert [i.title for i in response.context["items"]] == ["Naša točka"]


def test_this_councils_secretary_resolves_the_same_records(client, council, secretary, world):
    """The control: the same requests by this council's secretary do not answer 404."""
    client.force_login(secretary)
    get_only = [
        ("session_detail", {"pk": world["session"].pk}),
        ("attachment_download", {"pk": world["attachment"].pk}),
        ("invitation_detail", {"pk": world["session"].pk, "revision": 1}),
        ("delivery_detail", {"pk": world["session"].pk, "delivery_pk": world["delivery"].pk}),
        ("attendance", {"pk": world["session"].pk}),
        ("proposal_decide", {"pk": world["proposal"].pk}),
    ]
    for name, kwargs in get_only:
        assert client.get(u(name, council, **kwargs)).status_code == 200, name


def test_selectors_never_mix_councils(council, other_council, world):
    assert list(selectors.sessions_list(council=other_council)) == [world["own"]]
    assert list(selectors.proposals_list(council=other_council)) == []
    with pytest.raises(type(world["attachment"]).DoesNotExist):
        selectors.attachment_get(council=other_council, pk=world["attachment"].pk)


# Attendance answer on the session page ---------------------------------------------


def rsvp_field_errors(response, field: str) -> list[str]:
    """The errors rendered right below one field of the attendance form
    (``sessions/includes/rsvp_fields.html``)."""
    content = response.content.decode()
    if field == "response":
        block = re.search(r"<fieldset.*?</fieldset>", content, re.S).group(0)
    else:
        block = re.search(
            rf'id="id_{field}"[^>]*>(\s*<div class="invalid-feedback[^"]*">.*?</div>)*',
            content,
            re.S,
        ).group(0)
    return [
        html.unescape(m)
        for m in re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', block, re.S)
    ]


@pytest.fixture
def my_invitee(council, member, upcoming):
    """The signed-in member (Simona Rajh), invited to the convened upcoming session."""
    upcoming.status = Session.Status.CONVENED
    upcoming.save(update_fields=["status"])
    person = selectors.person_for_user(council=council, user=member)
    return Invitee.objects.create(
        session=upcoming, person=person, name="Simona Rajh", email="simona@example.test"
    )


def test_session_rsvp_view_errors_are_shown_by_their_fields_with_the_input_kept(
    member_client, council, upcoming, my_invitee
):
    response = member_client.post(
        u("session_rsvp", council, pk=upcoming.pk),
        {
            "response": "substitute",
            "substitute_name": "",
            "substitute_organisation": "PP Ptuj",
            "substitute_email": "ni-naslov",
            "note": "Zamujam 10 minut",
        },
    )
    assert response.status_code == 200
    assert "sessions/session_detail.html" in [t.name for t in response.templates]
    assert rsvp_field_errors(response, "substitute_name") == ["Give the substitute's name."]
    assert rsvp_field_errors(response, "substitute_email") == ["Enter a valid email address."]
    assert input_value(response, "substitute_organisation") == "PP Ptuj"
    assert input_value(response, "substitute_email") == "ni-naslov"
    assert input_value(response, "note") == "Zamujam 10 minut"
    assert re.search(r'<input[^>]*value="substitute"[^>]*checked', response.content.decode())
    assert messages_of(response) == []
    my_invitee.refresh_from_db()
    assert (my_invitee.response, my_invitee.response_note) == ("", "")


def test_session_rsvp_view_without_an_answer_names_the_answer_field(
    member_client, council, upcoming, my_invitee
):
    response = member_client.post(u("session_rsvp", council, pk=upcoming.pk), {"note": "Še ne vem"})
    assert response.status_code == 200
    assert rsvp_field_errors(response, "response") == ["This field is required."]
    assert input_value(response, "note") == "Še ne vem"
    assert messages_of(response) == []


def test_session_rsvp_view_service_error_is_shown_by_its_field(
    member_client, council, upcoming, my_invitee
):
    response = member_client.post(
        u("session_rsvp", council, pk=upcoming.pk),
        {
            "response": "substitute",
            "substitute_name": "Jaz Sama",
            "substitute_email": "simona@example.test",
        },
    )
    assert response.status_code == 200
    assert rsvp_field_errors(response, "substitute_email") == [
        "The substitute must be someone else."
    ]
    assert input_value(response, "substitute_name") == "Jaz Sama"
    assert not Invitee.objects.filter(kind=Invitee.Kind.SUBSTITUTE).exists()


def test_session_rsvp_view_saved_answer_and_note_are_shown_back(
    member_client, council, upcoming, my_invitee
):
    response = member_client.post(
        u("session_rsvp", council, pk=upcoming.pk),
        {"response": "excused", "note": "Službena pot v Mariboru"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{upcoming.get_absolute_url()}#my-answer"
    page = member_client.get(response["Location"])
    assert messages_of(page) == ["Thank you, your answer was recorded."]
    answer = re.search(r'<dl class="rsvp-answer.*?</dl>', page.content.decode(), re.S).group(0)
    assert "Excused" in answer
    assert "Službena pot v Mariboru" in answer
    assert input_value(page, "note") == "Službena pot v Mariboru"
    assert re.search(r'<input[^>]*value="excused"[^>]*checked', page.content.decode())
    # the server's errors are shown, not blocked by the browser's own checks
    assert re.search(r'<form[^>]*/rsvp/"[^>]*novalidate', page.content.decode())


def test_session_rsvp_view_saved_substitute_is_shown_back(
    member_client, council, upcoming, my_invitee
):
    member_client.post(
        u("session_rsvp", council, pk=upcoming.pk),
        {
            "response": "substitute",
            "substitute_name": "Marko Kos",
            "substitute_organisation": "CSD Ptuj",
            "substitute_email": "marko@example.test",
            "note": "Marko ima gradivo",
        },
    )
    page = member_client.get(upcoming.get_absolute_url())
    answer = re.search(r'<dl class="rsvp-answer.*?</dl>', page.content.decode(), re.S).group(0)
    assert "Marko Kos, CSD Ptuj &lt;marko@example.test&gt;" in answer
    assert "Marko ima gradivo" in answer
    assert input_value(page, "substitute_name") == "Marko Kos"
    assert input_value(page, "substitute_email") == "marko@example.test"


def test_rsvp_link_page_shows_the_saved_note(client, council, upcoming, my_invitee):
    from sessions.tokens import rsvp_token

    path = reverse("rsvp", kwargs={"token": rsvp_token(my_invitee)})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(path, {"response": "attending", "note": "Pridem s kolesom"})
    assert response.status_code == 200
    assert input_value(response, "note") == "Pridem s kolesom"
    answer = re.search(r'<dl class="rsvp-answer.*?</dl>', response.content.decode(), re.S).group(0)
    assert "Pridem s kolesom" in answer
