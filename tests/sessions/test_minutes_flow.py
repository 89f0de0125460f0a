"""Minutes: recording, numbering, approval and freezing, tasks carried forward, reminders."""

import datetime
import io
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sessions import selectors, services
from sessions.models import AttendanceRecord, Conclusion, Delivery, Minutes, Session, Task

from ..factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(council, secretary, members):
    day = timezone.localdate() - datetime.timedelta(days=7)
    session = Session.objects.create(
        council=council,
        number=3,
        date=day,
        start_time=datetime.time(13, 0),
        place="Mestna hiša",
        status=Session.Status.HELD,
    )
    services.agenda_item_create  # noqa: B018 - the agenda is frozen once held; add directly
    from sessions.models import AgendaItem

    AgendaItem.objects.create(session=session, position=1, title="Varnost šolskih poti")
    AgendaItem.objects.create(session=session, position=2, title="Čiščenje brežin Drave")
    return session


@pytest.fixture
def following(council, held):
    """The next session, held two days ago: the minutes of ``held`` are approved there."""
    return Session.objects.create(
        council=council,
        number=4,
        date=timezone.localdate() - datetime.timedelta(days=2),
        start_time=datetime.time(17, 0),
        place="Mestna hiša",
        status=Session.Status.HELD,
    )


def test_minutes_numbering_pdf_and_freezing(council, secretary, members, held, following):
    minutes = services.minutes_start(session=held, by=secretary)
    assert minutes.attendance.count() == 3  # standing members with e-mail of that day
    item = held.agenda_items.get(position=1)
    first = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=item, text="Šola")
    second = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=item, text="Žaga")
    assert [first.label, second.label] == ["3/1", "3/2"]
    person = members[0].person
    task = services.task_create(
        conclusion=second,
        by=secretary,
        data={
            "title": "Pripraviti načrt čiščenja",
            "responsible_person": person,
            "due_date": timezone.localdate() + datetime.timedelta(days=5),
        },
    )
    minutes.chair = person
    minutes.recorder = members[1].person
    minutes.save()
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=following, approved_on=following.date
    )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    version = minutes.versions.get()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(version.pdf))).pages)
    assert "Sklep 3/2" in text or "Conclusion 3/2" in text
    assert "Pripraviti načrt čiščenja" in text
    assert person.full_name in text
    with pytest.raises(ValidationError):
        services.conclusion_add(minutes=minutes, by=secretary, agenda_item=item, text="Prepozno")
    with pytest.raises(ValidationError):
        services.task_update(task=task, by=secretary, data={"title": "Spremenjeno"})
    pdf_before = bytes(version.pdf)
    services.minutes_reopen(minutes=minutes, by=secretary, reason="Tipkarska napaka")
    services.conclusion_update(
        conclusion=first, by=secretary, text="Šola (popravljeno)", is_public=True
    )
    version.refresh_from_db()
    assert bytes(version.pdf) == pdf_before
    assert version.reopen_reason == "Tipkarska napaka"


def test_open_tasks_carried_into_the_next_agenda_and_invitation(
    council, secretary, members, held, smtp_server, django_capture_on_commit_callbacks
):
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="X")
    services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={
            "title": "Postaviti znak",
            "responsible_person": members[0].person,
            "due_date": timezone.localdate() - datetime.timedelta(days=1),
        },
    )
    next_session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=10),
            "start_time": datetime.time(13, 0),
            "place": "Mestna hiša",
        },
    )
    assert [t.title for t in selectors.tasks_open_for_review(session=next_session)] == [
        "Postaviti znak"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(
            session=next_session,
            by=secretary,
            memberships=list(selectors.invitation_default_people(session=next_session)),
        )
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "3/1" in body and "Postaviti znak" in body


def test_task_reminders_are_sent_once_per_kind(
    council, secretary, members, held, smtp_server, django_capture_on_commit_callbacks
):
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="X")
    for title, days in [("Kmalu", 3), ("Zamuda", -2), ("Daleč", 30)]:
        services.task_create(
            conclusion=conclusion,
            by=secretary,
            data={
                "title": title,
                "responsible_person": members[0].person,
                "due_date": timezone.localdate() + datetime.timedelta(days=days),
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_tasks", stdout=io.StringIO())
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert len(subjects) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_tasks", stdout=io.StringIO())
    assert len(smtp_server.messages) == 2  # idempotent
    assert Delivery.objects.filter(purpose="task_reminder").count() == 2


def test_task_register_csv_opens_with_slovenian_letters(client, council, secretary, members, held):
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="X")
    services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={"title": "Čiščenje žleba ŠĐĆ", "responsible_person": members[0].person},
    )
    client.force_login(secretary)
    response = client.get(reverse("sessions:task_export", kwargs={"council_slug": council.slug}))
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert "Čiščenje žleba ŠĐĆ" in text
    assert text.splitlines()[1].split(";")[0] == "3/1"


def test_member_updates_own_task_not_others(client, council, secretary, members, held):
    from django.contrib.auth import get_user_model

    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="X")
    own_person = members[0].person
    user = get_user_model().objects.create_user("lubej", password="x")
    own_person.user = user
    own_person.save()
    mine = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={"title": "Moja", "responsible_person": own_person},
    )
    other = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={"title": "Tuja", "responsible_person": members[1].person},
    )
    client.force_login(user)
    url = reverse("sessions:task_detail", kwargs={"council_slug": council.slug, "pk": mine.pk})
    response = client.post(url, {"status": "done", "text": "Opravljeno", "date": ""})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Task.Status.DONE
    url = reverse("sessions:task_detail", kwargs={"council_slug": council.slug, "pk": other.pk})
    assert client.post(url, {"status": "done", "text": "x"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_conclusion_numbering_stays_unique_under_concurrent_adds(council, secretary, members):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the concurrency test needs PostgreSQL.")
    day = timezone.localdate() - datetime.timedelta(days=3)
    session = Session.objects.create(
        council=council,
        number=9,
        date=day,
        start_time=datetime.time(13, 0),
        place="x",
        status=Session.Status.HELD,
    )
    minutes = services.minutes_start(session=session, by=secretary)
    errors = []

    def add(n):
        try:
            services.conclusion_add(minutes=minutes, by=None, agenda_item=None, text=f"S{n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Conclusion.objects.filter(session=session).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    _ = PersonFactory  # factories available for extensions


# The times of the sitting ---------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _approve(minutes, secretary, members, following):
    Minutes.objects.filter(pk=minutes.pk).update(
        chair=members[0].person, recorder=members[1].person
    )
    minutes.refresh_from_db()
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=following, approved_on=following.date
    )
    return minutes.versions.get()


def test_minutes_record_the_times_the_sitting_opened_and_closed(
    client, council, secretary, members, held, following
):
    Session.objects.filter(pk=held.pk).update(end_time=datetime.time(15, 0))
    minutes = services.minutes_start(session=held, by=secretary)
    services.minutes_update(
        minutes=minutes,
        by=secretary,
        data={"started_at": datetime.time(13, 5), "ended_at": datetime.time(14, 50)},
    )
    client.force_login(secretary)
    minutes_url = reverse("sessions:minutes", kwargs={"council_slug": council.slug, "pk": held.pk})
    page = client.get(minutes_url).content.decode()
    assert '<dd class="col-sm-9 sitting-times">13:05–14:50</dd>' in page
    draft = client.get(
        reverse("sessions:minutes_pdf", kwargs={"council_slug": council.slug, "pk": held.pk})
    )
    assert "od 13:05 do 14:50" in _pdf_text(draft.content)
    assert "ob 13:00" not in _pdf_text(draft.content)

    version = _approve(minutes, secretary, members, following)
    assert (version.snapshot["started_at"], version.snapshot["ended_at"]) == ("13:05", "14:50")
    assert version.snapshot["session"]["end_time"] == "15:00"  # the planned end, kept too
    assert "od 13:05 do 14:50" in _pdf_text(bytes(version.pdf))


def test_minutes_without_recorded_times_show_the_planned_ones(
    client, council, secretary, members, held
):
    services.minutes_start(session=held, by=secretary)
    client.force_login(secretary)
    minutes_url = reverse("sessions:minutes", kwargs={"council_slug": council.slug, "pk": held.pk})
    page = client.get(minutes_url).content.decode()
    assert re.search(r'sitting-times">13:00 <span[^>]*>\(načrtovano\)</span>', page)
    draft = client.get(
        reverse("sessions:minutes_pdf", kwargs={"council_slug": council.slug, "pk": held.pk})
    )
    assert "ob 13:00" in _pdf_text(draft.content)


def test_minutes_snapshot_from_before_recorded_times_renders_what_it_holds(
    council, secretary, members, held
):
    """Versions approved before the times were kept in the snapshot: their document shows
    the planned start the snapshot holds (the stored PDF bytes are never re-rendered)."""
    from sessions.documents import minutes_document_context

    minutes = services.minutes_start(session=held, by=secretary)
    Minutes.objects.filter(pk=minutes.pk).update(
        started_at=datetime.time(13, 5), ended_at=datetime.time(14, 50)
    )
    minutes.refresh_from_db()
    old = services.minutes_snapshot(minutes=minutes)
    for key in ("started_at", "ended_at"):
        del old[key]
    del old["session"]["end_time"]
    context = minutes_document_context(minutes=minutes, snapshot=old, version=1)
    assert (context["sitting_start"], context["sitting_end"]) == ("13:00", "")
    context = minutes_document_context(
        minutes=minutes, snapshot=services.minutes_snapshot(minutes=minutes), version=1
    )
    assert (context["sitting_start"], context["sitting_end"]) == ("13:05", "14:50")


# The state of a task on the live pages ----------------------------------------------------


def test_overdue_task_is_labelled_the_same_on_every_live_page(
    client, council, secretary, members, held
):
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(
        minutes=minutes, by=secretary, agenda_item=held.agenda_items.first(), text="Sklep"
    )
    overdue = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={
            "title": "Postaviti ograjo",
            "responsible_person": members[0].person,
            "due_date": timezone.localdate() - datetime.timedelta(days=3),
        },
    )
    next_one = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=10),
            "start_time": datetime.time(17, 0),
            "place": "Mestna hiša",
        },
    )
    badge = '<span class="badge task-overdue">v zamudi</span>'
    client.force_login(secretary)
    kw = {"council_slug": council.slug}
    pages = {
        "minutes": reverse("sessions:minutes", kwargs={**kw, "pk": held.pk}),
        "session": reverse("sessions:session_detail", kwargs={**kw, "pk": next_one.pk}),
        "task list": reverse("sessions:task_list", kwargs=kw),
        "task": reverse("sessions:task_detail", kwargs={**kw, "pk": overdue.pk}),
    }
    for name, page_url in pages.items():
        content = client.get(page_url).content.decode()
        assert content.count(badge) == 1, name
        assert '<span class="badge task-open">' not in content, name

    Task.objects.filter(pk=overdue.pk).update(status=Task.Status.DONE)
    for name, page_url in pages.items():
        content = client.get(page_url).content.decode()
        assert badge not in content, name
    assert (
        '<span class="badge task-done">Opravljena</span>'
        in client.get(pages["minutes"]).content.decode()
    )


def test_task_status_label(council, secretary, members, held):
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="S")
    task = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={
            "title": "T",
            "responsible_person": members[0].person,
            "due_date": timezone.localdate() + datetime.timedelta(days=1),
        },
    )
    assert (task.status_key, str(task.status_label)) == ("open", "Odprta")
    task.due_date = timezone.localdate() - datetime.timedelta(days=1)
    assert (task.status_key, str(task.status_label)) == ("overdue", "v zamudi")
    task.status = Task.Status.IN_PROGRESS
    assert task.status_key == "overdue"
    task.status = Task.Status.DROPPED
    assert (task.status_key, str(task.status_label)) == ("dropped", "Opuščena")


def test_sent_invitation_keeps_the_task_state_it_said(client, council, secretary, members, held):
    from sessions.models import Invitation

    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(minutes=minutes, by=secretary, agenda_item=None, text="S")
    task = services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={
            "title": "Postaviti ograjo",
            "responsible_person": members[0].person,
            "due_date": timezone.localdate() + datetime.timedelta(days=1),
        },
    )
    next_one = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=10),
            "start_time": datetime.time(17, 0),
            "place": "Mestna hiša",
        },
    )
    Invitation.objects.create(
        session=next_one,
        revision=1,
        kind=Invitation.Kind.INVITATION,
        sequence=0,
        snapshot=services.invitation_snapshot(session=next_one),
        language="sl",
    )
    Task.objects.filter(pk=task.pk).update(due_date=held.date)  # now overdue
    client.force_login(secretary)
    kw = {"council_slug": council.slug, "pk": next_one.pk}
    sent = client.get(reverse("sessions:invitation_detail", kwargs={**kw, "revision": 1}))
    assert "Postaviti ograjo" in sent.content.decode()
    assert "v zamudi" not in sent.content.decode()
    live = client.get(reverse("sessions:session_detail", kwargs=kw)).content.decode()
    assert '<span class="badge task-overdue">v zamudi</span>' in live


# Attendance in Slovenian alphabetical order ------------------------------------------------


def test_attendance_is_listed_by_surname_then_first_name(client, council, secretary, members, held):
    for first, last in [("Ana", "Žagar"), ("Zala", "Čeh"), ("Bojan", "Cankar")]:
        person = PersonFactory(council=council, first_name=first, last_name=last)
        MembershipFactory(council=council, person=person, start_date=datetime.date(2023, 1, 1))
    minutes = services.minutes_start(session=held, by=secretary)
    AttendanceRecord.objects.create(
        minutes=minutes, name="Marko Ban", presence=AttendanceRecord.Presence.GUEST
    )
    AttendanceRecord.objects.create(
        minutes=minutes, name="Andrej Zorko", presence=AttendanceRecord.Presence.GUEST
    )
    present = [
        "Bojan Cankar",
        "Zala Čeh",
        "Aleksander Lubej",
        "Simona Rajh",
        "Ana Žagar",
        "Tjasa Žnidarič",
    ]
    # guests have no person record: by the name as written
    expected = [*present, "Andrej Zorko", "Marko Ban"]

    assert [
        r.name for r in selectors.attendance_list(minutes=minutes, council=minutes.session.council)
    ] == expected
    stored = minutes.attendance.filter(presence="present").order_by("position")
    assert [r.name for r in stored] == present  # minutes_start stores them so too

    client.force_login(secretary)
    kw = {"council_slug": council.slug, "pk": held.pk}
    page = client.get(reverse("sessions:minutes", kwargs=kw)).content.decode()
    listed = re.findall(r'<span class="badge presence-\w+">[^<]*</span> ([^<(]+?)\s*(?:<|$)', page)
    assert listed == expected
    form = client.get(reverse("sessions:minutes_attendance", kwargs=kw))
    names = [f.instance.name for f in form.context["formset"].forms if f.instance.pk]
    assert names == expected
    assert [r["name"] for r in services.minutes_snapshot(minutes=minutes)["attendance"]] == (
        expected
    )
    text = " ".join(
        _pdf_text(client.get(reverse("sessions:minutes_pdf", kwargs=kw)).content).split()
    )
    positions = [text.index(name) for name in present]
    assert positions == sorted(positions)
