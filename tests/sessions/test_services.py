"""Writes of the sessions app: what they store, what they refuse, whom they e-mail."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone, translation

from councils.models import Person
from sessions import selectors, services
from sessions.emails import change_lines
from sessions.models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    Delivery,
    Invitation,
    Invitee,
    Session,
)

from ..factories import PersonFactory, TermFactory
from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import (
    aware,
    make_session,
    pdf_bytes,
    raises_unchanged,
    send_invitation,
    upload,
)

D = datetime.date
T = datetime.time

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ALL_THREE = ["aleksander@example.test", "simona@example.test", "tjasa@example.test"]


def create(council, by, day, start=(17, 0), end=(19, 0), **data) -> Session:
    return services.session_create(
        council=council,
        by=by,
        data={
            "date": day,
            "start_time": T(*start),
            "end_time": T(*end) if end else None,
            "place": "Mestna hiša",
            **data,
        },
    )


def titles(session) -> list[str]:
    return list(session.agenda_items.order_by("position").values_list("title", flat=True))


def positions(session) -> list[tuple[str, int]]:
    return list(session.agenda_items.order_by("position", "pk").values_list("title", "position"))


def recipients(smtp_server) -> list[str]:
    return sorted(str(m["To"]) for m in smtp_server.messages)


def invitee(session, email) -> Invitee:
    return Invitee.objects.get(session=session, email=email)


# Sessions: numbering and standing items --------------------------------------------


def test_session_create_numbers_sessions_within_the_term(council, secretary):
    term = council.terms.get(start_date=D(2022, 12, 1))
    sessions = [create(council, secretary, D(2024, month, 10)) for month in (1, 2, 3)]
    assert [s.number for s in sessions] == [1, 2, 3]
    assert {s.term for s in sessions} == {term}


def test_session_create_new_term_starts_at_one(council, secretary):
    create(council, secretary, D(2024, 1, 10))
    create(council, secretary, D(2024, 2, 10))
    next_term = council.terms.get(start_date=D(2026, 12, 1))
    first = create(council, secretary, D(2027, 1, 12))
    second = create(council, secretary, D(2027, 2, 12))
    assert (first.term, first.number) == (next_term, 1)
    assert (second.term, second.number) == (next_term, 2)


def test_session_create_explicit_number_is_kept(council, secretary):
    create(council, secretary, D(2024, 1, 10))
    explicit = create(council, secretary, D(2024, 2, 10), number=7)
    following = create(council, secretary, D(2024, 3, 10))
    assert explicit.number == 7
    assert following.number == 8


def test_session_create_number_zero_or_none_means_automatic(council, secretary):
    assert create(council, secretary, D(2024, 1, 10), number=None).number == 1
    assert create(council, secretary, D(2024, 2, 10), number=0).number == 2


def test_session_create_cancelled_sessions_do_not_count(council, secretary):
    first = create(council, secretary, D(2024, 1, 10))
    second = create(council, secretary, D(2024, 2, 10))
    services.session_cancel(session=second, by=secretary, reason="Ni sklepčnosti")
    assert first.number == 1
    assert create(council, secretary, D(2024, 3, 10)).number == 2


def test_session_create_other_councils_do_not_count(council, other_council, secretary):
    TermFactory(council=other_council)
    create(other_council, secretary, D(2024, 1, 10))
    create(other_council, secretary, D(2024, 2, 10))
    assert create(council, secretary, D(2024, 3, 10)).number == 1


def test_session_create_outside_every_term_is_refused_on_the_date(council, secretary):
    errors = raises_unchanged(lambda: create(council, secretary, D(2045, 1, 20)))
    assert errors == {
        "date": [
            "No term of office of the council covers 20/01/2045. Add the term of office "
            "first, or choose a date within a term."
        ]
    }
    assert not Session.objects.filter(council=council).exists()


def test_session_create_council_without_terms_numbers_without_a_term(council, secretary):
    council.terms.all().delete()
    first = create(council, secretary, D(2045, 1, 20))
    second = create(council, secretary, D(2045, 2, 20))
    assert [(s.term, s.number) for s in (first, second)] == [(None, 1), (None, 2)]
    assert titles(second)[0] == "Potrditev zapisnika 1. seje"


def test_session_create_invalid_data_saves_nothing(council, secretary):
    make_session(council, date=D(2024, 1, 10), number=1)
    errors = raises_unchanged(lambda: create(council, secretary, D(2024, 1, 10), start=(18, 0)))
    assert errors == {"start_time": ["This clashes with Session 1 (17:00–19:00)."]}


def test_session_create_no_standing_items_without_an_earlier_session(council, secretary):
    make_session(council, date=D(2024, 2, 10), number=2, status=Session.Status.CANCELLED)
    make_session(council, date=D(2024, 6, 10), number=3, status=Session.Status.HELD)  # later
    session = create(council, secretary, D(2024, 3, 10))
    assert titles(session) == []


def test_session_create_minutes_item_names_the_session_just_before_even_if_not_held(
    council, secretary
):
    council.terms.get(start_date=D(2026, 12, 1))
    make_session(
        council,
        date=D(2026, 11, 18),
        number=6,
        status=Session.Status.HELD,
        term=council.terms.get(start_date=D(2022, 12, 1)),
    )
    first_of_new_term = create(council, secretary, D(2026, 12, 14))
    assert (first_of_new_term.number, titles(first_of_new_term)[0]) == (
        1,
        "Potrditev zapisnika 6. seje (2022–2026)",
    )
    make_session(council, date=D(2026, 12, 20), number=2, status=Session.Status.CANCELLED)
    session = create(council, secretary, D(2027, 1, 18))
    assert titles(session) == [
        "Potrditev zapisnika 1. seje",
        "Pregled izvrševanja sklepov preteklih sej",
    ]


def test_session_create_minutes_item_names_the_term_of_the_session_before(council, secretary):
    council.language = "en"
    council.save()
    council.terms.get(start_date=D(2026, 12, 1))
    make_session(
        council,
        date=D(2026, 11, 18),
        number=6,
        status=Session.Status.HELD,
        term=council.terms.get(start_date=D(2022, 12, 1)),
    )
    session = create(council, secretary, D(2026, 12, 14))
    assert titles(session)[0] == "Approval of the minutes of session 6 (2022–2026)"


def test_session_create_standing_items_after_an_earlier_held_session(council, secretary):
    council.language = "en"
    council.save()
    make_session(council, date=D(2024, 1, 10), number=3, status=Session.Status.HELD)
    make_session(council, date=D(2024, 2, 10), number=4, status=Session.Status.CLOSED)
    session = create(council, secretary, D(2024, 3, 10))
    items = list(session.agenda_items.order_by("position"))
    assert [(i.position, i.title, i.kind, i.standing) for i in items] == [
        (1, "Approval of the minutes of session 4", "decision", "minutes_approval"),
        (2, "Review of conclusions of earlier sessions", "information", "conclusions_review"),
    ]


def test_session_create_standing_items_same_day_earlier_held_session(council, secretary):
    council.language = "en"
    council.save()
    make_session(council, date=D(2024, 3, 10), number=2, start=(9, 0), end=(10, 0), status="held")
    session = create(council, secretary, D(2024, 3, 10), start=(17, 0))
    assert titles(session)[0] == "Approval of the minutes of session 2"


def test_session_create_standing_items_in_the_councils_language(council, secretary):
    assert council.language == "sl"
    make_session(council, date=D(2024, 1, 10), number=5, status=Session.Status.HELD)
    session = create(council, secretary, D(2024, 3, 10))
    assert titles(session) == [
        "Potrditev zapisnika 5. seje",
        "Pregled izvrševanja sklepov preteklih sej",
    ]


def test_session_update_changes_term_with_the_date(council, secretary):
    session = create(council, secretary, D(2026, 11, 20))
    assert session.term == council.terms.get(start_date=D(2022, 12, 1))
    later = council.terms.get(start_date=D(2026, 12, 1))
    updated = services.session_update(session=session, by=secretary, data={"date": D(2027, 1, 5)})
    assert updated.term == later


def test_session_update_to_a_date_outside_every_term_is_refused(council, secretary):
    session = create(council, secretary, D(2026, 11, 20))
    errors = raises_unchanged(
        lambda: services.session_update(session=session, by=secretary, data={"date": D(2031, 1, 5)})
    )
    assert list(errors) == ["date"]
    session.refresh_from_db()
    assert (session.date, session.term) == (
        D(2026, 11, 20),
        council.terms.get(start_date=D(2022, 12, 1)),
    )


@pytest.mark.parametrize("status", ["held", "closed", "cancelled"])
def test_session_update_held_closed_or_cancelled_session_is_rejected(council, secretary, status):
    session = make_session(council, days=-3, status=status)
    errors = raises_unchanged(
        lambda: services.session_update(session=session, by=secretary, data={"place": "Drugje"})
    )
    assert errors == {"": ["A held, closed or cancelled session cannot be changed."]}
    session.refresh_from_db()
    assert session.place == "Mestna hiša"


def test_session_mark_held_refuses_a_future_session(council, secretary, upcoming):
    errors = raises_unchanged(lambda: services.session_mark_held(session=upcoming, by=secretary))
    assert errors == {"": ["A session can be marked as held on its day or later."]}


def test_session_cancel_of_a_draft_sends_no_cancellation(council, secretary, upcoming):
    services.session_cancel(session=upcoming, by=secretary, reason="Premalo prijav")
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.cancellation_reason) == ("cancelled", "Premalo prijav")
    assert not Invitation.objects.exists()


# Agenda ----------------------------------------------------------------------------


def test_agenda_item_create_appends_positions(council, secretary, upcoming):
    services.agenda_item_create(session=upcoming, by=secretary, data={"title": "Razno"})
    assert positions(upcoming) == [
        ("Varnostne razmere v letu 2025", 1),
        ("Varnost šolskih poti", 2),
        ("Razno", 3),
    ]


def test_agenda_item_create_on_a_held_session_is_refused(council, secretary):
    session = make_session(council, days=-3, status=Session.Status.HELD)
    errors = raises_unchanged(
        lambda: services.agenda_item_create(session=session, by=secretary, data={"title": "X"})
    )
    assert errors == {"": ["The agenda of a held, closed or cancelled session is frozen."]}


def test_agenda_item_create_foreign_presenter_is_refused(
    council, other_council, secretary, upcoming
):
    stranger = PersonFactory(council=other_council)
    errors = raises_unchanged(
        lambda: services.agenda_item_create(
            session=upcoming, by=secretary, data={"title": "X", "presenter": stranger}
        )
    )
    assert errors == {"presenter": ["Choose one of this council's records."]}


def test_agenda_item_move_up_and_down(council, secretary, upcoming):
    third = services.agenda_item_create(session=upcoming, by=secretary, data={"title": "Razno"})
    services.agenda_item_move(item=third, by=secretary, direction="up")
    assert positions(upcoming) == [
        ("Varnostne razmere v letu 2025", 1),
        ("Razno", 2),
        ("Varnost šolskih poti", 3),
    ]
    first = upcoming.agenda_items.get(position=1)
    services.agenda_item_move(item=first, by=secretary, direction="down")
    assert titles(upcoming) == [
        "Razno",
        "Varnostne razmere v letu 2025",
        "Varnost šolskih poti",
    ]


def test_agenda_item_move_beyond_the_ends_changes_nothing(council, secretary, upcoming):
    first, last = upcoming.agenda_items.order_by("position")
    services.agenda_item_move(item=first, by=secretary, direction="up")
    services.agenda_item_move(item=last, by=secretary, direction="down")
    assert positions(upcoming) == [
        ("Varnostne razmere v letu 2025", 1),
        ("Varnost šolskih poti", 2),
    ]


def test_agenda_reorder_sets_positions_one_to_n(council, secretary, upcoming):
    a, b = upcoming.agenda_items.order_by("position")
    c = services.agenda_item_create(session=upcoming, by=secretary, data={"title": "Razno"})
    services.agenda_reorder(session=upcoming, by=secretary, order=[c.pk, a.pk, b.pk])
    assert positions(upcoming) == [
        ("Razno", 1),
        ("Varnostne razmere v letu 2025", 2),
        ("Varnost šolskih poti", 3),
    ]


@pytest.mark.parametrize("case", ["missing", "foreign", "duplicate", "unknown", "empty"])
def test_agenda_reorder_with_a_bad_order_is_refused_and_changes_nothing(
    council, other_council, secretary, upcoming, case
):
    a, b = upcoming.agenda_items.order_by("position")
    foreign_session = make_session(other_council)
    foreign = AgendaItem.objects.create(session=foreign_session, title="Tuje", position=1)
    order = {
        "missing": [b.pk],
        "foreign": [b.pk, a.pk, foreign.pk],
        "duplicate": [b.pk, a.pk, a.pk],
        "unknown": [b.pk, a.pk, 999999],
        "empty": [],
    }[case]
    errors = raises_unchanged(
        lambda: services.agenda_reorder(session=upcoming, by=secretary, order=order)
    )
    assert errors == {"": ["The new order must list every agenda item exactly once."]}
    assert positions(upcoming) == [
        ("Varnostne razmere v letu 2025", 1),
        ("Varnost šolskih poti", 2),
    ]
    assert AgendaItem.objects.get(pk=foreign.pk).session == foreign_session


def test_agenda_item_delete_renumbers_and_removes_files(council, secretary, upcoming):
    first, second = upcoming.agenda_items.order_by("position")
    third = services.agenda_item_create(session=upcoming, by=secretary, data={"title": "Razno"})
    attachment = services.attachment_add(
        council=council, by=secretary, upload=upload("gradivo.pdf", pdf_bytes()), agenda_item=first
    )
    path = attachment.file.path
    assert os.path.exists(path)
    services.agenda_item_delete(item=first, by=secretary)
    assert positions(upcoming) == [("Varnost šolskih poti", 1), ("Razno", 2)]
    assert not os.path.exists(path)
    assert not Attachment.objects.exists()
    services.agenda_item_delete(item=third, by=secretary)
    assert positions(upcoming) == [("Varnost šolskih poti", 1)]
    assert second.pk == upcoming.agenda_items.get().pk


# Invitations -----------------------------------------------------------------------


def test_invitation_send_refuses_a_past_session(council, secretary, members):
    past = make_session(council, days=-1)
    AgendaItem.objects.create(session=past, title="Točka", position=1)
    errors = raises_unchanged(
        lambda: services.invitation_send(session=past, by=secretary, memberships=members)
    )
    assert errors == {"": ["A session in the past cannot be convened."]}


def test_invitation_send_refuses_a_session_that_started_an_hour_ago(council, secretary, members):
    moment = timezone.localtime() - datetime.timedelta(hours=1)
    today = make_session(council, date=moment.date(), start=(moment.hour, moment.minute), end=None)
    AgendaItem.objects.create(session=today, title="Točka", position=1)
    errors = raises_unchanged(
        lambda: services.invitation_send(session=today, by=secretary, memberships=members)
    )
    assert errors == {"": ["A session in the past cannot be convened."]}


def test_invitation_send_refuses_an_empty_agenda(council, secretary, members):
    session = make_session(council, days=10)
    errors = raises_unchanged(
        lambda: services.invitation_send(session=session, by=secretary, memberships=members)
    )
    assert errors == {"": ["Add at least one agenda item before sending the invitation."]}


def test_invitation_send_refuses_no_recipients(council, secretary, members, upcoming):
    without_email = selectors.invitation_candidates(session=upcoming).get(person__email="")
    for memberships in ([], [without_email]):
        errors = raises_unchanged(
            lambda m=memberships: services.invitation_send(
                session=upcoming, by=secretary, memberships=m, guests=[]
            )
        )
        assert errors == {"": ["Choose at least one recipient with an e-mail address."]}
    upcoming.refresh_from_db()
    assert upcoming.status == Session.Status.DRAFT


def test_invitation_send_refuses_a_cancelled_session(council, secretary, members, upcoming):
    services.session_cancel(session=upcoming, by=secretary, reason="x")
    errors = raises_unchanged(
        lambda: services.invitation_send(session=upcoming, by=secretary, memberships=members)
    )
    assert errors == {"": ["Only a draft or convened session can be convened."]}


def test_invitation_send_first_is_an_invitation_to_every_recipient(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    invitation = send_invitation(
        upcoming,
        secretary,
        django_capture_on_commit_callbacks,
        guests=[{"email": "Gost@Example.test", "name": "Gost Gostič", "organisation": "Zavod"}],
        message="Prosim za potrditev.",
    )
    assert (invitation.revision, invitation.kind, invitation.sequence) == (1, "invitation", 0)
    assert invitation.changes == []
    assert invitation.message == "Prosim za potrditev."
    assert invitation.created_by == secretary
    assert recipients(smtp_server) == sorted(["gost@example.test", *ALL_THREE])
    guest = invitee(upcoming, "gost@example.test")
    assert (guest.kind, guest.name, guest.organisation_name) == ("guest", "Gost Gostič", "Zavod")
    member = invitee(upcoming, "aleksander@example.test")
    assert (member.kind, member.name, member.organisation_name) == (
        "member",
        "Aleksander Lubej",
        "Policijska postaja Ptuj",
    )
    upcoming.refresh_from_db()
    assert upcoming.status == Session.Status.CONVENED
    assert [a["title"] for a in invitation.snapshot["agenda"]] == [
        "Varnostne razmere v letu 2025",
        "Varnost šolskih poti",
    ]


def test_invitation_send_member_also_listed_as_guest_is_invited_once(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    send_invitation(
        upcoming,
        secretary,
        django_capture_on_commit_callbacks,
        guests=[{"email": "SIMONA@example.test", "name": "Simona kot gost"}],
    )
    assert recipients(smtp_server) == ALL_THREE
    assert invitee(upcoming, "simona@example.test").kind == Invitee.Kind.MEMBER


def test_invitation_send_second_is_an_update_with_the_place_change(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov"})
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert (second.revision, second.kind, second.sequence) == (2, "update", 1)
    assert second.changes == [
        {"field": "place", "old": "Mestna hiša, sejna soba", "new": "Dom krajanov"}
    ]


def test_invitation_send_changes_list_added_and_removed_items(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    first_item = upcoming.agenda_items.get(position=1)
    services.agenda_item_delete(item=first_item, by=secretary)
    services.agenda_item_create(session=upcoming, by=secretary, data={"title": "Razno"})
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert second.changes == [
        {"field": "agenda_added", "old": "", "new": "Razno"},
        {"field": "agenda_removed", "old": "Varnostne razmere v letu 2025", "new": ""},
    ]


def test_invitation_send_changes_list_a_renamed_item_as_renamed(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    item = upcoming.agenda_items.get(position=2)
    services.agenda_item_update(item=item, by=secretary, data={"title": "Varne šolske poti"})
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert second.changes == [
        {"field": "agenda_renamed", "old": "Varnost šolskih poti", "new": "Varne šolske poti"}
    ]
    with translation.override("sl"):
        assert change_lines(second.changes) == [
            "Preimenovana točka dnevnega reda: Varnost šolskih poti → Varne šolske poti"
        ]


def test_invitation_changes_snapshots_without_item_ids_match_by_title():
    old = {"agenda": [{"title": "A"}, {"title": "B"}]}
    new = {"agenda": [{"id": 1, "title": "A"}, {"id": 2, "title": "B2"}]}
    assert services.invitation_changes(old, new) == [
        {"field": "agenda_added", "old": "", "new": "B2"},
        {"field": "agenda_removed", "old": "B", "new": ""},
    ]


def test_invitation_send_changes_list_the_new_order(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    services.agenda_item_move(
        item=upcoming.agenda_items.get(position=2), by=secretary, direction="up"
    )
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert second.changes == [{"field": "agenda_order", "old": "", "new": ""}]


def test_invitation_send_third_has_sequence_two_and_changes_since_the_second(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    services.session_update(session=upcoming, by=secretary, data={"start_time": T(16, 0)})
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov"})
    third = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert (third.revision, third.kind, third.sequence, third.changes) == (
        3,
        "update",
        2,
        [{"field": "place", "old": "Mestna hiša, sejna soba", "new": "Dom krajanov"}],
    )


def move(session, by, place: str) -> None:
    """A change an updated invitation reports (without one, nothing is sent again)."""
    services.session_update(session=session, by=by, data={"place": place})


UNCHANGED = (
    "Nothing has changed since the last invitation (revision 2) and every recipient "
    "already has it, so it was not sent again. Change the session or its agenda first, "
    "or add recipients."
)


def test_invitation_send_resubmitted_update_without_changes_is_refused(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov"})
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    errors = raises_unchanged(
        lambda: send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    )
    assert errors == {"": [UNCHANGED]}
    assert list(Invitation.objects.filter(session=upcoming).values_list("revision", flat=True)) == [
        1,
        2,
    ]
    assert recipients(smtp_server) == []


def test_invitation_send_after_a_change_the_change_list_does_not_name_goes_to_all(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    """Anything the invitation says counts (here the notes), not only what its change
    list names: the updated invitation goes out to everyone."""
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    services.session_update(
        session=upcoming, by=secretary, data={"notes": "Prosimo, prinesite gradivo."}
    )
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)

    assert (second.revision, second.kind, second.changes) == (2, "update", [])
    assert second.snapshot["notes"] == "Prosimo, prinesite gradivo."
    assert recipients(smtp_server) == ALL_THREE


def test_invitation_send_without_changes_goes_to_added_recipients_only(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    first = send_invitation(
        upcoming, secretary, django_capture_on_commit_callbacks, memberships=members[:2]
    )
    smtp_server.clear()
    again = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert again.pk == first.pk  # no new revision: the content is the same
    assert again.queued == 1
    assert recipients(smtp_server) == ["tjasa@example.test"]
    assert Invitation.objects.filter(session=upcoming).count() == 1
    assert sorted(first.deliveries.values_list("to_email", flat=True)) == ALL_THREE


def test_invitation_send_without_changes_only_removing_recipients_sends_nothing(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    first = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    again = send_invitation(
        upcoming, secretary, django_capture_on_commit_callbacks, memberships=members[:2]
    )
    assert (again.pk, again.queued) == (first.pk, 0)
    assert recipients(smtp_server) == []
    assert invitee(upcoming, "tjasa@example.test").is_active is False


def test_invitation_send_deactivated_recipients_do_not_get_the_next_revision(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert recipients(smtp_server) == ALL_THREE
    smtp_server.clear()
    services.session_update(session=upcoming, by=secretary, data={"place": "Dom krajanov"})
    second = send_invitation(
        upcoming, secretary, django_capture_on_commit_callbacks, memberships=members[:2]
    )
    assert recipients(smtp_server) == ["aleksander@example.test", "simona@example.test"]
    assert sorted(second.deliveries.values_list("to_email", flat=True)) == [
        "aleksander@example.test",
        "simona@example.test",
    ]
    assert invitee(upcoming, "tjasa@example.test").is_active is False
    smtp_server.clear()
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    # Invited again: active again, and gets the revision she missed (nobody else does).
    assert recipients(smtp_server) == ["tjasa@example.test"]
    assert invitee(upcoming, "tjasa@example.test").is_active is True


def test_invitation_send_keeps_a_members_substitute_and_drops_it_with_the_member(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    simona = invitee(upcoming, "simona@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_record(
            invitee=simona,
            response="substitute",
            substitute={"name": "Janez Novak", "email": "janez@example.test"},
        )
    smtp_server.clear()
    move(upcoming, secretary, "Dom krajanov")
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert recipients(smtp_server) == [*ALL_THREE[:1], "janez@example.test", *ALL_THREE[1:]]
    smtp_server.clear()
    move(upcoming, secretary, "Mestna hiša")
    send_invitation(
        upcoming,
        secretary,
        django_capture_on_commit_callbacks,
        memberships=[members[0], members[2]],
    )
    assert recipients(smtp_server) == ["aleksander@example.test", "tjasa@example.test"]
    assert invitee(upcoming, "janez@example.test").is_active is False


def test_invitation_send_does_not_bring_back_a_withdrawn_substitute(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    simona = invitee(upcoming, "simona@example.test")
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Janez Novak", "email": "janez@example.test"},
    )
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Mojca Kos", "email": "mojca@example.test"},
    )
    smtp_server.clear()
    move(upcoming, secretary, "Dom krajanov")
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    # Janez was replaced by Mojca: he must not get the updated invitation.
    assert recipients(smtp_server) == [
        "aleksander@example.test",
        "mojca@example.test",
        "simona@example.test",
        "tjasa@example.test",
    ]
    assert invitee(upcoming, "janez@example.test").is_active is False
    services.rsvp_record(invitee=simona, response="attending")
    smtp_server.clear()
    move(upcoming, secretary, "Mestna hiša")
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    # Simona now attends herself: neither substitute is invited any more.
    assert recipients(smtp_server) == ALL_THREE
    assert invitee(upcoming, "mojca@example.test").is_active is False


def test_rsvp_record_a_substitute_cannot_name_another_substitute(council, secretary, members):
    session = make_session(council, days=20)
    session.agenda_items.create(title="Točka", position=1)
    services.invitation_send(session=session, by=secretary, memberships=members)
    services.rsvp_record(
        invitee=invitee(session, "simona@example.test"),
        response="substitute",
        substitute={"name": "Janez Novak", "email": "janez@example.test"},
    )
    errors = raises_unchanged(
        lambda: services.rsvp_record(
            invitee=invitee(session, "janez@example.test"),
            response="substitute",
            substitute={"name": "Ana Novak", "email": "ana@example.test"},
        )
    )
    assert errors == {
        "response": [
            "A substitute cannot name another substitute. Tell the member who named you, "
            "or answer that you are excused."
        ]
    }
    move(session, secretary, "Dom krajanov")
    services.invitation_send(session=session, by=secretary, memberships=members)
    assert invitee(session, "janez@example.test").is_active is True


def test_invitation_send_changes_list_a_changed_item_and_time(
    council, secretary, members, upcoming, django_capture_on_commit_callbacks
):
    send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    item = upcoming.agenda_items.get(position=2)
    services.agenda_item_update(item=item, by=secretary, data={"description": "Poročilo PP"})
    services.session_update(
        session=upcoming, by=secretary, data={"start_time": T(16, 0), "end_time": T(18, 30)}
    )
    second = send_invitation(upcoming, secretary, django_capture_on_commit_callbacks)
    assert second.changes == [
        {"field": "start_time", "old": "17:00", "new": "16:00"},
        {"field": "end_time", "old": "19:00", "new": "18:30"},
        {"field": "agenda_changed", "old": "", "new": "Varnost šolskih poti"},
    ]


# Attendance ------------------------------------------------------------------------


@pytest.fixture
def convened(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    """The upcoming session, invitation sent to the three members and one guest."""
    send_invitation(
        upcoming,
        secretary,
        django_capture_on_commit_callbacks,
        guests=[{"email": "gost@example.test", "name": "Gost Gostič"}],
    )
    smtp_server.clear()
    upcoming.refresh_from_db()
    return upcoming


@pytest.mark.parametrize("answer", ["attending", "excused"])
def test_rsvp_record_attending_or_excused(convened, answer):
    simona = invitee(convened, "simona@example.test")
    services.rsvp_record(invitee=simona, response=answer, note="Opomba")
    simona.refresh_from_db()
    assert (simona.response, simona.response_note) == (answer, "Opomba")
    assert simona.responded_at is not None


@pytest.mark.parametrize("answer", ["", "maybe"])
def test_rsvp_record_unknown_answer_is_refused(convened, answer):
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(lambda: services.rsvp_record(invitee=simona, response=answer))
    assert errors == {"response": ["Choose an answer."]}


@pytest.mark.parametrize(
    "substitute",
    [None, {"name": "Janez Novak"}, {"email": "janez@example.test"}, {"name": "", "email": ""}],
)
def test_rsvp_record_substitute_needs_name_and_email(convened, substitute):
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(
        lambda: services.rsvp_record(invitee=simona, response="substitute", substitute=substitute)
    )
    assert errors == {"substitute_name": ["Give the substitute's name and e-mail address."]}


def test_rsvp_record_substitute_must_be_someone_else(convened):
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(
        lambda: services.rsvp_record(
            invitee=simona,
            response="substitute",
            substitute={"name": "Simona", "email": "Simona@Example.test"},
        )
    )
    assert errors == {"substitute_email": ["The substitute must be someone else."]}


def test_rsvp_record_substitute_already_invited_is_refused(convened):
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(
        lambda: services.rsvp_record(
            invitee=simona,
            response="substitute",
            substitute={"name": "Tjaša", "email": "tjasa@example.test"},
        )
    )
    assert errors == {"substitute_email": ["This person is already invited to the session."]}


def test_rsvp_record_substitute_gets_the_latest_revision(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    services.session_update(session=convened, by=secretary, data={"place": "Dom krajanov"})
    latest = send_invitation(convened, secretary, django_capture_on_commit_callbacks)
    smtp_server.clear()
    simona = invitee(convened, "simona@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_record(
            invitee=simona,
            response="substitute",
            substitute={"name": "Janez Novak", "email": "Janez@Example.test", "organisation": "X"},
        )
    substitute = invitee(convened, "janez@example.test")
    assert (substitute.kind, substitute.name, substitute.organisation_name) == (
        "substitute",
        "Janez Novak",
        "X",
    )
    assert substitute.substitute_for == simona
    delivery = Delivery.objects.get(invitee=substitute)
    assert (delivery.invitation, delivery.key, delivery.status) == (
        latest,
        f"inv:{latest.pk}:{substitute.pk}",
        "sent",
    )
    assert recipients(smtp_server) == ["janez@example.test"]
    simona.refresh_from_db()
    assert simona.response == "substitute"


def test_rsvp_record_substitute_named_twice_is_sent_once(
    convened, smtp_server, django_capture_on_commit_callbacks
):
    simona = invitee(convened, "simona@example.test")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_record(
                invitee=simona,
                response="substitute",
                substitute={"name": "Janez Novak", "email": "janez@example.test"},
            )
    assert recipients(smtp_server) == ["janez@example.test"]
    assert Invitee.objects.filter(session=convened, kind="substitute").count() == 1


def test_rsvp_record_new_substitute_replaces_the_earlier_one(convened):
    simona = invitee(convened, "simona@example.test")
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Janez Novak", "email": "janez@example.test"},
    )
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Mojca Kos", "email": "mojca@example.test"},
    )
    assert invitee(convened, "janez@example.test").is_active is False
    assert invitee(convened, "mojca@example.test").is_active is True


def test_rsvp_record_switching_away_from_substitute_deactivates_it(convened):
    simona = invitee(convened, "simona@example.test")
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Janez Novak", "email": "janez@example.test"},
    )
    services.rsvp_record(invitee=simona, response="attending")
    assert invitee(convened, "janez@example.test").is_active is False
    simona.refresh_from_db()
    assert simona.response == "attending"
    # Naming the same substitute again brings the row back.
    services.rsvp_record(
        invitee=simona,
        response="substitute",
        substitute={"name": "Janez Novak", "email": "janez@example.test"},
    )
    assert invitee(convened, "janez@example.test").is_active is True


def test_rsvp_record_refused_after_the_session_started(convened):
    Session.objects.filter(pk=convened.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=1)
    )
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(lambda: services.rsvp_record(invitee=simona, response="attending"))
    assert errors == {"": ["This session has already taken place or was cancelled."]}


def test_rsvp_record_refused_for_a_cancelled_session(convened, secretary):
    services.session_cancel(session=convened, by=secretary, reason="Ni sklepčnosti")
    simona = invitee(convened, "simona@example.test")
    errors = raises_unchanged(lambda: services.rsvp_record(invitee=simona, response="attending"))
    assert errors == {"": ["This session has already taken place or was cancelled."]}


def test_attendance_remind_only_members_without_an_answer(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    services.rsvp_record(invitee=invitee(convened, "simona@example.test"), response="excused")
    with django_capture_on_commit_callbacks(execute=True):
        count = services.attendance_remind(session=convened, by=secretary)
    assert count == 2
    assert recipients(smtp_server) == ["aleksander@example.test", "tjasa@example.test"]
    reminders = Delivery.objects.filter(purpose=Delivery.Purpose.REMINDER)
    assert sorted(reminders.values_list("to_email", "status")) == [
        ("aleksander@example.test", "sent"),
        ("tjasa@example.test", "sent"),
    ]
    assert invitee(convened, "aleksander@example.test").reminded_at is not None
    assert invitee(convened, "gost@example.test").reminded_at is None
    assert invitee(convened, "simona@example.test").reminded_at is None


def test_attendance_remind_is_idempotent_on_the_same_day(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attendance_remind(session=convened, by=secretary) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attendance_remind(session=convened, by=secretary) == 0
    assert Delivery.objects.filter(purpose=Delivery.Purpose.REMINDER).count() == 3
    assert recipients(smtp_server) == ALL_THREE


def test_attendance_remind_again_the_next_day(convened, secretary):
    assert services.attendance_remind(session=convened, by=secretary) == 3
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert services.attendance_remind(session=convened, by=secretary) == 3
    assert Delivery.objects.filter(purpose=Delivery.Purpose.REMINDER).count() == 6


def test_attendance_remind_refused_for_a_draft(council, secretary, upcoming):
    errors = raises_unchanged(lambda: services.attendance_remind(session=upcoming, by=secretary))
    assert errors == {"": ["Reminders can be sent for a convened, upcoming session."]}


# Proposals -------------------------------------------------------------------------


@pytest.fixture
def proposer(member, council):
    return Person.objects.get(council=council, user=member)


def submit(session, member, proposer, **kwargs) -> AgendaProposal:
    data = {"title": "Osvetlitev prehoda", "rationale": "Prehod pri šoli je temen."}
    return services.proposal_submit(
        session=session, by=member, proposer=proposer, data=data, **kwargs
    )


def short_date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "SHORT_DATE_FORMAT")


def test_proposal_submitted_twice_is_stored_once(council, member, proposer, upcoming):
    """The same proposal sent again (the browser's Back button) is refused next to its
    title; a different one, or the same after a decision, is welcome."""
    first = submit(upcoming, member, proposer)
    errors = raises_unchanged(
        lambda: services.proposal_submit(
            session=upcoming,
            by=member,
            proposer=proposer,
            data={"title": "  " + first.title.upper() + " ", "rationale": "znova"},
        )
    )
    assert errors == {
        "title": [
            "You have already proposed this item for this session; it is waiting for the "
            "secretary's decision."
        ]
    }
    assert AgendaProposal.objects.filter(session=upcoming).count() == 1


def test_proposal_submit_before_the_deadline_is_stored(council, member, proposer, upcoming):
    proposal = submit(upcoming, member, proposer, upload=upload("skica.pdf", pdf_bytes()))
    assert (proposal.status, proposal.council, proposal.session) == (
        "submitted",
        council,
        upcoming,
    )
    assert (proposal.proposer, proposal.submitted_by) == (proposer, member)
    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.agenda_item) == ("skica.pdf", None)


def test_proposal_submit_after_the_deadline_is_refused(council, member, proposer, settings):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    session = make_session(council, days=5, proposal_deadline=aware(yesterday, 12, 30))
    errors = raises_unchanged(
        lambda: submit(session, member, proposer, upload=upload("skica.pdf", pdf_bytes()))
    )
    assert errors == {
        "": [
            f"Proposals for this session closed on {short_date(yesterday)} at 12:30. "
            "Ask the secretary to put your item on a later session."
        ]
    }
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_proposal_submit_after_the_default_deadline_names_it(council, member, proposer):
    session = make_session(council, days=2, start=(18, 15))
    deadline = timezone.localtime(session.effective_proposal_deadline)
    errors = raises_unchanged(lambda: submit(session, member, proposer))
    assert errors == {
        "": [
            f"Proposals for this session closed on {short_date(deadline.date())} at 18:15. "
            "Ask the secretary to put your item on a later session."
        ]
    }


def test_proposal_submit_to_a_cancelled_session_is_refused(council, member, proposer):
    session = make_session(council, days=14, status=Session.Status.CANCELLED)
    errors = raises_unchanged(lambda: submit(session, member, proposer))
    assert errors == {"": ["The session was cancelled."]}


def test_proposal_submit_to_a_held_session_is_refused(council, member, proposer):
    session = make_session(council, days=-3, status=Session.Status.HELD)
    errors = raises_unchanged(lambda: submit(session, member, proposer))
    assert errors == {"": ["This session is no longer open for agenda proposals."]}


def test_proposal_accept_adds_an_agenda_item_and_notifies_once(
    council, secretary, member, proposer, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    proposal = submit(upcoming, member, proposer, upload=upload("skica.pdf", pdf_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        item = services.proposal_accept(proposal=proposal, by=secretary)
    assert (item.position, item.title, item.description, item.kind) == (
        3,
        "Osvetlitev prehoda",
        "Prehod pri šoli je temen.",
        "discussion",
    )
    assert (item.proposed_by, item.presenter) == (proposer, proposer)
    assert [a.original_name for a in item.attachments.all()] == ["skica.pdf"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.agenda_item, proposal.decided_by) == (
        "accepted",
        item,
        secretary,
    )
    assert recipients(smtp_server) == ["simona@example.test"]
    assert list(
        Delivery.objects.filter(purpose=Delivery.Purpose.PROPOSAL).values_list("key", flat=True)
    ) == [f"prop:{proposal.pk}:accepted"]


def test_proposal_decline_without_a_reason_is_an_error_on_reason(
    council, secretary, member, proposer, upcoming
):
    proposal = submit(upcoming, member, proposer)
    for reason in ("", "   "):
        errors = raises_unchanged(
            lambda r=reason: services.proposal_decline(proposal=proposal, by=secretary, reason=r)
        )
        assert errors == {"reason": ["Give the reason for declining the proposal."]}
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_proposal_decline_with_a_reason_notifies_the_proposer(
    council, secretary, member, proposer, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    proposal = submit(upcoming, member, proposer)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(proposal=proposal, by=secretary, reason="  Ni v pristojnosti ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("declined", "Ni v pristojnosti")
    assert recipients(smtp_server) == ["simona@example.test"]


def test_proposal_move_to_a_later_session(
    council, secretary, member, proposer, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    later = make_session(council, days=40)
    proposal = submit(upcoming, member, proposer, upload=upload("skica.pdf", pdf_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.proposal_move(
            proposal=proposal, by=secretary, target=later, reason="Preobsežen dnevni red"
        )
    assert (moved.session, moved.status, moved.title, moved.rationale) == (
        later,
        "submitted",
        "Osvetlitev prehoda",
        "Prehod pri šoli je temen.",
    )
    assert (moved.proposer, moved.submitted_by) == (proposer, member)
    assert [a.original_name for a in moved.attachments.all()] == ["skica.pdf"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.moved_to, proposal.decision_reason) == (
        "moved",
        later,
        "Preobsežen dnevni red",
    )
    assert not proposal.attachments.exists()
    assert recipients(smtp_server) == ["simona@example.test"]


def test_proposal_move_to_an_earlier_session_is_refused(
    council, secretary, member, proposer, upcoming
):
    earlier = make_session(council, days=7)
    proposal = submit(upcoming, member, proposer)
    for target in (earlier, upcoming):
        errors = raises_unchanged(
            lambda t=target: services.proposal_move(proposal=proposal, by=secretary, target=t)
        )
        assert errors == {"target": ["Choose a session after this one."]}


def test_proposal_move_to_another_councils_session_is_refused(
    council, other_council, secretary, member, proposer, upcoming
):
    foreign = make_session(other_council, days=40)
    proposal = submit(upcoming, member, proposer)
    errors = raises_unchanged(
        lambda: services.proposal_move(proposal=proposal, by=secretary, target=foreign)
    )
    assert errors == {"target": ["Choose an upcoming session of this council."]}


def test_proposal_move_to_a_held_session_is_refused(council, secretary, member, proposer, upcoming):
    held = make_session(council, days=40, status=Session.Status.HELD)
    proposal = submit(upcoming, member, proposer)
    errors = raises_unchanged(
        lambda: services.proposal_move(proposal=proposal, by=secretary, target=held)
    )
    assert errors == {"target": ["Choose an upcoming session of this council."]}


@pytest.mark.parametrize("first", ["accept", "decline", "move"])
@pytest.mark.parametrize("second", ["accept", "decline", "move"])
def test_proposal_deciding_twice_is_refused(
    council, secretary, member, proposer, upcoming, first, second
):
    later = make_session(council, days=40)
    proposal = submit(upcoming, member, proposer)
    decide = {
        "accept": lambda: services.proposal_accept(proposal=proposal, by=secretary),
        "decline": lambda: services.proposal_decline(proposal=proposal, by=secretary, reason="Ne"),
        "move": lambda: services.proposal_move(proposal=proposal, by=secretary, target=later),
    }
    decide[first]()
    errors = raises_unchanged(decide[second])
    assert errors == {"": ["This proposal has already been decided."]}


# Delivery resend -------------------------------------------------------------------


def test_delivery_resend_of_a_failed_delivery_requeues_the_same_row(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(to_email="tjasa@example.test")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )
    count = Delivery.objects.count()
    again = services.delivery_resend(delivery=delivery, by=secretary)
    assert again.pk == delivery.pk
    again.refresh_from_db()
    assert (again.status, again.attempts, again.last_error) == ("queued", 0, "")
    assert Delivery.objects.count() == count
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=delivery, by=secretary)
    assert recipients(smtp_server) == ["tjasa@example.test"]
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"


def test_delivery_resend_of_a_sent_delivery_creates_a_second_row(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(to_email="tjasa@example.test")
    assert delivery.status == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        copy = services.delivery_resend(delivery=delivery, by=secretary)
    assert copy.pk != delivery.pk
    assert copy.key == f"{delivery.key}:again1"
    assert (copy.invitation, copy.invitee, copy.to_email, copy.purpose) == (
        delivery.invitation,
        delivery.invitee,
        "tjasa@example.test",
        "invitation",
    )
    assert Delivery.objects.get(pk=copy.pk).status == "sent"
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"
    assert recipients(smtp_server) == ["tjasa@example.test"]
    third = services.delivery_resend(delivery=delivery, by=secretary)
    assert third.key == f"{delivery.key}:again2"


def test_delivery_resend_while_sending_is_refused(convened, secretary):
    delivery = Delivery.objects.get(to_email="tjasa@example.test")
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)
    errors = raises_unchanged(lambda: services.delivery_resend(delivery=delivery, by=secretary))
    assert errors == {"": ["This e-mail is being sent right now."]}


def _text_of(message) -> str:
    return "\n".join(
        part.get_content()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    )


def test_invitation_links_that_need_a_sign_in_go_only_to_those_with_an_account(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    """A guest has no account: the session page and the proposal form would only ask them
    to sign in. They answer through the reply links, which need none."""
    from ..factories import UserFactory

    aleksander = members[0].person
    aleksander.user = UserFactory(username="aleksander")
    aleksander.save()
    send_invitation(
        upcoming,
        secretary,
        django_capture_on_commit_callbacks,
        guests=[{"email": "gost@example.test", "name": "Gost Gostič", "organisation": ""}],
    )
    by_recipient = {str(m["To"]): _text_of(m) for m in smtp_server.messages}
    proposals = f"/sessions/{upcoming.pk}/proposals/new/"

    assert proposals in by_recipient["aleksander@example.test"]
    guest = by_recipient["gost@example.test"]
    assert proposals not in guest and f'/sessions/{upcoming.pk}/"' not in guest
    assert "?answer=attending" in guest  # the reply links are there
