"""The whole journey of a session in a real browser, with the e-mails caught over SMTP.

The secretary schedules a session, builds and reorders its agenda and convenes it; the
members answer from the links in their e-mails without signing in (one sends a
substitute); a member proposes an agenda addition, the secretary accepts it and sends
the updated invitation. Every step goes through the UI; the assertions look at the
database and at exactly who received which e-mail with what in it.
"""

import collections
import datetime
import re

import icalendar
import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from councils.models import Membership
from sessions.models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    Delivery,
    Invitation,
    Invitee,
    Session,
)

from ..browser import screenshot, sign_in
from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSION_DETAIL = re.compile(r"/c/ptuj/sessions/\d+/(#.*)?$")
ITEM_A = "Varnostne razmere v letu 2025"
ITEM_B = "Varnost šolskih poti"
PROPOSAL = "Osvetlitev podhoda pod železnico"
GUEST_LINE = "Gost Gostič <gost@example.test>, Zavod X"
MEMBER_EMAILS = ["aleksander@example.test", "simona@example.test", "tjasa@example.test"]


# Helpers ----------------------------------------------------------------------------


def sl(message: str, **params) -> str:
    """The Slovenian UI text for an English msgid, as the application renders it."""
    with translation.override("sl"):
        text = gettext(message)
    return text % params if params else text


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def subject_of(message) -> str:
    # A long non-ASCII subject is folded as "Subject:" + CRLF + " =?utf-8?q?…?=" by Python's
    # e-mail generator; mail clients drop the leading blank, Python's parser keeps it.
    return str(message["Subject"]).strip()


def attachments(message) -> dict:
    return {part.get_filename(): part for part in message.iter_attachments()}


def calendar_of(message) -> icalendar.Calendar:
    ics = next(part for name, part in attachments(message).items() if name.endswith(".ics"))
    return icalendar.Calendar.from_ical(ics.get_content())


def event_of(message):
    return calendar_of(message).walk("VEVENT")[0]


def link(body: str, answer: str) -> str:
    return re.search(rf"(https?://\S+/rsvp/\S+/\?answer={answer})\s", body).group(1)


def changed_lines(body: str) -> list[str]:
    """The "- …" lines right under "The invitation has changed:" in a plain-text body."""
    lines = body.splitlines()
    start = lines.index(sl("The invitation has changed:")) + 1
    result = []
    for line in lines[start:]:
        if not line.startswith("- "):
            break
        result.append(line[2:])
    return result


def agenda_titles(page) -> list[str]:
    return [
        title.strip()
        for title in page.locator(".agenda-list .agenda-item .fw-semibold").all_inner_texts()
    ]


def submit(page, url=SESSION_DETAIL, selector="main form [type=submit]") -> None:
    with page.expect_navigation(url=url):
        page.click(selector)


def date_format_sl(day: datetime.date) -> str:
    with translation.override("sl"):
        return formats.date_format(day, "DATE_FORMAT")


def follow(page, selector: str) -> None:
    """Click a link and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.click(selector)


def subject_date(day: datetime.date) -> str:
    return f"{day.day}. {day.month}. {day.year}"


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a new browser context (a different person, not signed in)."""
    contexts, errors = [], []

    def factory():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sl-SI")
        contexts.append(context)
        new = context.new_page()
        new.set_default_timeout(15_000)
        new.live_server_url = live_server.url
        new.on("pageerror", lambda exc: errors.append(str(exc)))
        new.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        return new

    yield factory
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript or CSP errors in the browser: {errors}"


# The journey ------------------------------------------------------------------------


def test_session_journey_from_scheduling_to_updated_invitation(
    page, open_page, live_server, settings, tmp_path, smtp_server, council, secretary, members
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    day = timezone.localdate() + datetime.timedelta(days=14)
    aleksander, simona, tjasa = (m.person for m in members)
    non_standing = Membership.objects.get(kind=Membership.Kind.NON_STANDING)
    without_email = Membership.objects.get(person__email="")

    # 1. The secretary schedules the session -----------------------------------------
    sign_in(page, "tajnik")
    follow(page, f"a[href='/c/{council.slug}/']")
    follow(page, f"nav a[href='/c/{council.slug}/sessions/']")
    follow(page, f"main a[href='/c/{council.slug}/sessions/new/']")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "17:00")
    page.fill("#id_end_time", "19:00")
    page.fill("#id_place", "Mestna hiša, sejna soba")
    screenshot(page, "01-session-form")
    submit(page)

    session = Session.objects.get()
    assert page.url == f"{base}{session.get_absolute_url()}"
    assert (session.council, session.number, session.status) == (council, 1, "draft")
    assert (session.date, session.start_time, session.end_time) == (
        day,
        datetime.time(17, 0),
        datetime.time(19, 0),
    )
    assert session.place == "Mestna hiša, sejna soba"
    assert not session.agenda_items.exists()  # no earlier held session: no standing items
    assert smtp_server.messages == []

    # 2. The agenda: two items, then reordered with ↑/↓ without a reload ---------------
    follow(page, f"a[href$='/sessions/{session.pk}/agenda/new/']")
    page.fill("#id_title", ITEM_A)
    page.fill("#id_description", "Poročilo policije o varnostnih razmerah.")
    page.select_option("#id_presenter_organisation", label="Policijska postaja Ptuj")
    page.select_option("#id_kind", "information")
    page.fill("#id_planned_minutes", "20")
    submit(page)
    follow(page, f"a[href$='/sessions/{session.pk}/agenda/new/']")
    page.fill("#id_title", ITEM_B)
    submit(page)

    item_a = AgendaItem.objects.get(title=ITEM_A)
    item_b = AgendaItem.objects.get(title=ITEM_B)
    assert (item_a.session, item_a.position, item_a.kind) == (session, 1, "information")
    assert item_a.presenter_organisation.name == "Policijska postaja Ptuj"
    assert item_a.planned_minutes == 20
    assert (item_b.session, item_b.position, item_b.presenter_organisation) == (session, 2, None)
    assert agenda_titles(page) == [ITEM_A, ITEM_B]
    assert page.is_disabled(f"#item-{item_a.pk} button[value=up]")
    assert page.is_disabled(f"#item-{item_b.pk} button[value=down]")

    def move(item, direction):
        with page.expect_response(lambda r: r.url.endswith("/agenda/reorder/")) as response:
            page.click(f"#item-{item.pk} button[value={direction}]")
        assert response.value.status == 200
        assert response.value.json()["ok"] is True

    def stored_order():
        return list(session.agenda_items.order_by("position").values_list("title", flat=True))

    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    move(item_b, "up")
    assert agenda_titles(page) == [ITEM_B, ITEM_A]
    assert stored_order() == [ITEM_B, ITEM_A]
    move(item_b, "down")
    assert agenda_titles(page) == [ITEM_A, ITEM_B]
    assert stored_order() == [ITEM_A, ITEM_B]
    move(item_a, "down")
    assert stored_order() == [ITEM_B, ITEM_A]
    assert page.evaluate("window.__sameDocument") is True
    assert page.is_disabled(f"#item-{item_b.pk} button[value=up]")
    assert page.is_disabled(f"#item-{item_a.pk} button[value=down]")
    screenshot(page, "02-agenda-reordered")
    page.reload()
    assert page.evaluate("window.__sameDocument") is None
    assert agenda_titles(page) == [ITEM_B, ITEM_A]
    assert page.is_disabled(f"#item-{item_b.pk} button[value=up]")
    assert page.is_enabled(f"#item-{item_a.pk} button[value=up]")

    # 3. Convening: preview, recipients, a guest, send ---------------------------------
    follow(page, f"a[href$='/sessions/{session.pk}/invitation/']")
    preview = page.locator(".invitation-preview ol.agenda > li")
    assert [text.splitlines()[0] for text in preview.all_inner_texts()] == [
        ITEM_B,
        f"{ITEM_A} — Policijska postaja Ptuj",
    ]
    for membership in members:
        assert page.is_checked(f"input[name=memberships][value='{membership.pk}']")
    assert not page.is_checked(f"input[name=memberships][value='{non_standing.pk}']")
    assert not page.is_checked(f"input[name=memberships][value='{without_email.pk}']")
    page.fill("#id_guests", GUEST_LINE)
    screenshot(page, "03-invitation-preview")
    submit(page, url=re.compile(r"/sessions/\d+/invitations/1/$"))

    session.refresh_from_db()
    assert session.status == Session.Status.CONVENED
    first = Invitation.objects.get(session=session)
    assert (first.revision, first.kind, first.sequence) == (1, "invitation", 0)
    invitees = {i.email: i for i in Invitee.objects.filter(session=session)}
    assert sorted(invitees) == sorted([*MEMBER_EMAILS, "gost@example.test"])
    guest = invitees["gost@example.test"]
    assert (guest.kind, guest.name, guest.organisation_name) == ("guest", "Gost Gostič", "Zavod X")
    assert page.locator(".badge.delivery-sent").count() == 4

    sent = list(smtp_server.messages)
    assert sorted(m["To"] for m in sent) == sorted([*MEMBER_EMAILS, "gost@example.test"])
    subject = sl(
        "Invitation: session %(number)s of %(council)s, %(date)s",
        number=1,
        council=council.display_name,
        date=subject_date(day),
    )
    names = {
        "aleksander@example.test": aleksander.full_name,
        "simona@example.test": simona.full_name,
        "tjasa@example.test": tjasa.full_name,
        "gost@example.test": "Gost Gostič",
    }
    for message in sent:
        assert subject_of(message) == subject
        body = plain(message)
        assert body.startswith(sl("Dear %(name)s,", name=names[message["To"]]))
        assert f"1. {ITEM_B}\n2. {ITEM_A} (Policijska postaja Ptuj)\n" in body
        assert sl("The invitation has changed:") not in body
        assert link(body, "attending").startswith(f"{base}/rsvp/")
        # Nobody here has an account yet: no link that would only ask them to sign in.
        assert f"{base}{session.get_absolute_url()}" not in body
        files = attachments(message)
        assert sorted(files) == ["seja-1.ics", "vabilo-seja-1.pdf"]
        assert files["vabilo-seja-1.pdf"].get_content().startswith(b"%PDF")
        assert files["seja-1.ics"].get_content_type() == "text/calendar"
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == session.ical_uid
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART").date() == day
        assert event.decoded("DTSTART").strftime("%H:%M") == "17:00"
        assert event.decoded("DTEND").strftime("%H:%M") == "19:00"
        assert str(event["LOCATION"]) == "Mestna hiša, sejna soba"
        assert str(event["DESCRIPTION"]) == f"1. {ITEM_B}\n2. {ITEM_A}"
    uid = session.ical_uid

    # 4. Members answer from the e-mail links, without signing in ----------------------
    by_recipient = {m["To"]: m for m in sent}
    anonymous = open_page()
    anonymous.goto(link(plain(by_recipient["aleksander@example.test"]), "attending"))
    assert sl("This page is personal to %(name)s.", name=aleksander.full_name) in (
        anonymous.inner_text("main")
    )
    assert anonymous.is_checked("input[name=response][value=attending]")
    submit(anonymous, url=re.compile(r"/rsvp/"), selector="form.rsvp-form [type=submit]")
    assert sl(
        "Thank you. Your answer “%(answer)s” was recorded. You can change it here until the "
        "session.",
        answer=sl("Will attend"),
    ) in anonymous.inner_text(".alert-success")
    screenshot(anonymous, "04-rsvp-attending")
    attending = Invitee.objects.get(session=session, email="aleksander@example.test")
    assert attending.response == Invitee.Response.ATTENDING
    assert attending.responded_at is not None
    assert len(smtp_server.messages) == 4  # an answer alone sends nothing

    stranger = open_page()
    stranger.goto(link(plain(by_recipient["tjasa@example.test"]), "substitute"))
    assert stranger.is_checked("input[name=response][value=substitute]")
    stranger.fill("#id_substitute_name", "Marko Novak")
    stranger.fill("#id_substitute_organisation", "Zavod Y")
    stranger.fill("#id_substitute_email", "marko@example.test")
    stranger.fill("#id_note", "Sem na dopustu.")
    screenshot(stranger, "05-rsvp-substitute")
    submit(stranger, url=re.compile(r"/rsvp/"), selector="form.rsvp-form [type=submit]")
    assert stranger.locator(".alert-success").count() == 1
    member_invitee = Invitee.objects.get(session=session, email="tjasa@example.test")
    assert member_invitee.response == Invitee.Response.SUBSTITUTE
    assert member_invitee.response_note == "Sem na dopustu."
    substitute = Invitee.objects.get(session=session, email="marko@example.test")
    assert (substitute.kind, substitute.name, substitute.organisation_name) == (
        "substitute",
        "Marko Novak",
        "Zavod Y",
    )
    assert (substitute.substitute_for, substitute.is_active) == (member_invitee, True)

    new = smtp_server.messages[4:]
    assert [m["To"] for m in new] == ["marko@example.test"]
    to_substitute = new[0]
    assert subject_of(to_substitute) == subject
    body = plain(to_substitute)
    assert body.startswith(sl("Dear %(name)s,", name="Marko Novak"))
    assert sl(
        "%(member)s named you as their substitute at this session.", member=tjasa.full_name
    ) in (body)
    assert link(body, "attending") != link(plain(by_recipient["tjasa@example.test"]), "attending")
    assert sorted(attachments(to_substitute)) == ["seja-1.ics", "vabilo-seja-1.pdf"]
    assert str(event_of(to_substitute)["UID"]) == uid
    assert int(event_of(to_substitute)["SEQUENCE"]) == 0

    # 5. A member proposes an agenda addition -------------------------------------------
    simona.user = UserFactory(username="simona", email="rajh.racun@example.test")
    simona.save()
    member_page = open_page()
    sign_in(member_page, "simona")
    follow(member_page, f"a[href='/c/{council.slug}/']")
    follow(member_page, f"nav a[href='/c/{council.slug}/sessions/']")
    follow(member_page, f"main a[href='/c/{council.slug}/sessions/{session.pk}/']")
    assert member_page.locator(f"a[href$='/sessions/{session.pk}/edit/']").count() == 0
    follow(member_page, f"a[href$='/sessions/{session.pk}/proposals/new/']")
    csd = members[1].organisation
    assert member_page.input_value("#id_organisation") == str(csd.pk)  # from her membership
    member_page.fill("#id_title", PROPOSAL)
    member_page.fill("#id_rationale", "Podhod je ponoči neosvetljen; starši so se pritožili.")
    pdf = tmp_path / "utemeljitev.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    member_page.set_input_files("#id_attachment", str(pdf))
    screenshot(member_page, "06-proposal-form")
    submit(member_page, url=re.compile(r"/c/ptuj/proposals/$"))

    proposal = AgendaProposal.objects.get()
    assert (proposal.session, proposal.status) == (session, AgendaProposal.Status.SUBMITTED)
    assert (proposal.proposer, proposal.organisation) == (simona, csd)
    assert proposal.submitted_by.username == "simona"
    upload = Attachment.objects.get(proposal=proposal)
    assert (upload.original_name, upload.content_type) == ("utemeljitev.pdf", "application/pdf")
    assert upload.agenda_item is None
    assert PROPOSAL in member_page.inner_text("main")
    assert len(smtp_server.messages) == 5  # submitting sends nothing yet

    # 6. The secretary accepts it --------------------------------------------------------
    page.goto(f"{base}{session.get_absolute_url()}")
    follow(page, f"a[href$='/proposals/{proposal.pk}/decide/']")
    page.check("input[name=decision][value=accept]")
    screenshot(page, "07-proposal-decide")
    submit(page)

    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.ACCEPTED
    assert proposal.decided_by == secretary
    item = proposal.agenda_item
    assert (item.session, item.position, item.title) == (session, 3, PROPOSAL)
    assert (item.proposed_by, item.presenter, item.presenter_organisation) == (simona, simona, csd)
    upload.refresh_from_db()
    assert upload.agenda_item == item
    assert agenda_titles(page) == [ITEM_B, ITEM_A, PROPOSAL]
    row = page.inner_text(f"#item-{item.pk}")
    assert sl("proposed by %(person)s", person=simona.full_name) in row
    assert "utemeljitev.pdf" in row

    new = smtp_server.messages[5:]
    assert [m["To"] for m in new] == ["simona@example.test"]
    decision = new[0]
    assert subject_of(decision) == sl(
        "Your agenda proposal “%(title)s”: %(status)s", title=PROPOSAL, status=sl("Accepted")
    )
    assert sl(
        "your proposal “%(title)s” was added to the agenda of session %(number)s on %(date)s.",
        title=PROPOSAL,
        number=1,
        date=date_format_sl(day),
    ) in plain(decision)
    assert list(decision.iter_attachments()) == []

    # 7. The updated invitation -----------------------------------------------------------
    follow(page, f"a[href$='/sessions/{session.pk}/invitation/']")
    new_item_line = sl("New agenda item: %(title)s", title=PROPOSAL)
    assert page.locator(".invitation-preview .alert-info li").all_inner_texts() == [new_item_line]
    for membership in members:
        assert page.is_checked(f"input[name=memberships][value='{membership.pk}']")
    assert not page.is_checked(f"input[name=memberships][value='{non_standing.pk}']")
    assert page.input_value("#id_guests") == GUEST_LINE
    screenshot(page, "08-update-preview")
    submit(page, url=re.compile(r"/sessions/\d+/invitations/2/$"))
    screenshot(page, "09-update-sent")

    second = Invitation.objects.get(session=session, revision=2)
    assert (second.kind, second.sequence) == (Invitation.Kind.UPDATE, 1)
    assert second.changes == [{"field": "agenda_added", "old": "", "new": PROPOSAL}]
    active = sorted(
        Invitee.objects.filter(session=session, is_active=True).values_list("email", flat=True)
    )
    assert active == sorted([*MEMBER_EMAILS, "gost@example.test", "marko@example.test"])

    new = smtp_server.messages[6:]
    assert sorted(m["To"] for m in new) == active  # each exactly once
    update_subject = sl(
        "Updated invitation: session %(number)s of %(council)s, %(date)s",
        number=1,
        council=council.display_name,
        date=subject_date(day),
    )
    for message in new:
        assert subject_of(message) == update_subject
        body = plain(message)
        assert changed_lines(body) == [new_item_line]
        assert (
            f"1. {ITEM_B}\n2. {ITEM_A} (Policijska postaja Ptuj)\n"
            f"3. {PROPOSAL} ({simona.full_name}, {csd.name})\n"
        ) in body
        assert sorted(attachments(message)) == ["seja-1.ics", "vabilo-seja-1.pdf"]
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == 1
        assert str(event["DESCRIPTION"]).splitlines()[-1] == f"3. {PROPOSAL}"
    assert page.locator(".badge.delivery-sent").count() == len(active)

    # 8. Nobody received the same revision twice ---------------------------------------------
    revisions = collections.Counter(
        (m["To"], int(event_of(m)["SEQUENCE"])) for m in smtp_server.messages if attachments(m)
    )
    assert set(revisions.values()) == {1}
    assert sorted(revisions) == sorted(
        [(email, 0) for email in [*MEMBER_EMAILS, "gost@example.test", "marko@example.test"]]
        + [(email, 1) for email in active]
    )
    never = {"katja@example.test", without_email.person.email}
    assert never.isdisjoint(m["To"] for m in smtp_server.messages)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert len({m["Message-ID"] for m in smtp_server.messages}) == len(smtp_server.messages)


def test_proposal_title_with_ampersand_reaches_the_subject_unescaped(
    page, open_page, live_server, settings, smtp_server, council, secretary, members, upcoming
):
    settings.SITE_URL = live_server.url
    simona = members[1].person
    simona.user = UserFactory(username="simona")
    simona.save()
    title = 'Ceste & pločniki "v središču"'

    member_page = open_page()
    sign_in(member_page, "simona")
    member_page.goto(f"{live_server.url}{upcoming.get_absolute_url()}")
    follow(member_page, f"a[href$='/sessions/{upcoming.pk}/proposals/new/']")
    member_page.fill("#id_title", title)
    member_page.fill("#id_rationale", "Pločniki so preozki.")
    submit(member_page, url=re.compile(r"/c/ptuj/proposals/$"))
    proposal = AgendaProposal.objects.get(title=title)

    sign_in(page, "tajnik")
    page.goto(f"{live_server.url}{upcoming.get_absolute_url()}")
    follow(page, f"a[href$='/proposals/{proposal.pk}/decide/']")
    page.check("input[name=decision][value=accept]")
    submit(page)

    assert [m["To"] for m in smtp_server.messages] == ["simona@example.test"]
    decision = smtp_server.messages[0]
    assert title in plain(decision)  # the plain-text body is fine
    assert subject_of(decision) == sl(
        "Your agenda proposal “%(title)s”: %(status)s", title=title, status=sl("Accepted")
    )
