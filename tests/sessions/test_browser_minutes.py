"""Recording the minutes in a real browser, approving them at the next session, freezing."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from sessions.models import AgendaItem, Conclusion, Minutes, Session, Task

from ..browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sittings(council, members):
    held = Session.objects.create(
        council=council,
        number=4,
        date=timezone.localdate() - datetime.timedelta(days=20),
        start_time=datetime.time(13, 0),
        place="Mestna hiša",
        status=Session.Status.HELD,
    )
    AgendaItem.objects.create(session=held, position=1, title="Varnost šolskih poti")
    following = Session.objects.create(
        council=council,
        number=5,
        date=timezone.localdate() - datetime.timedelta(days=5),
        start_time=datetime.time(13, 0),
        place="Mestna hiša",
        status=Session.Status.HELD,
    )
    return held, following


def test_secretary_records_and_approves_minutes(page, council, secretary, members, sittings):
    held, following = sittings
    base = page.live_server_url
    sign_in(page, "tajnik")
    page.goto(f"{base}/c/{council.slug}/sessions/{held.pk}/")
    page.click(f"a[href='/c/{council.slug}/sessions/{held.pk}/minutes/']")
    with page.expect_navigation():
        page.click("form[action$='/minutes/start/'] button")
    minutes = Minutes.objects.get(session=held)
    assert minutes.attendance.count() == 3

    # Attendance: one member was excused, and a guest came.
    page.click("a[href$='/minutes/attendance/']")
    page.select_option("#id_attendance-0-presence", "excused")
    page.fill("#id_attendance-3-name", "Gost Gostič")
    page.fill("#id_attendance-3-organisation_name", "Zavod za šolstvo")
    page.select_option("#id_attendance-3-presence", "guest")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert minutes.attendance.filter(presence="guest").get().name == "Gost Gostič"
    assert minutes.attendance.filter(presence="excused").count() == 1

    # The chair and the recorder.
    page.click("a[href$='/minutes/edit/']")
    page.select_option("#id_chair", str(members[0].person.pk))
    page.select_option("#id_recorder", str(members[1].person.pk))
    with page.expect_navigation():
        page.click("main form [type=submit]")

    # The item: summary, a conclusion, a task.
    item = held.agenda_items.get()
    page.click(f"a[href$='/minutes/items/{item.pk}/']")
    page.fill("#id_summary", "Redarstvo je poročalo o nadzoru pred šolami.")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    page.click("a[href$='/conclusions/new/']")
    page.fill("#id_text", "Redarstvo okrepi nadzor pred OŠ Mladika.")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    conclusion = Conclusion.objects.get(session=held)
    assert conclusion.label == "4/1"
    page.click("a[href$='/tasks/new/']")
    page.fill("#id_title", "Poročilo o nadzoru do konca meseca")
    page.select_option("#id_responsible_person", str(members[0].person.pk))
    page.fill("#id_due_date", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert Task.objects.get().conclusion == conclusion
    screenshot(page, "minutes-item")

    # Approve at the next session.
    page.goto(f"{base}/c/{council.slug}/sessions/{held.pk}/minutes/")
    page.click("a[href$='/minutes/approve/']")
    assert page.locator("#id_approved_at_session").input_value() == str(following.pk)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_session == following
    version = minutes.versions.get()
    screenshot(page, "minutes-approved")

    # Frozen: no recording links; a direct attempt is refused and changes nothing.
    assert page.locator(f"a[href$='/minutes/items/{item.pk}/']").count() == 0
    page.goto(
        f"{base}/c/{council.slug}/sessions/{held.pk}/minutes/conclusions/{conclusion.pk}/edit/"
    )
    page.fill("#id_text", "Spremenjeno brez ponovnega odprtja")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-danger, .invalid-feedback").count() >= 1
    conclusion.refresh_from_db()
    assert conclusion.text == "Redarstvo okrepi nadzor pred OŠ Mladika."

    # The stored PDF is served byte for byte.
    pdf = page.request.get(f"{base}/c/{council.slug}/sessions/{held.pk}/minutes/pdf/")
    assert hashlib.sha256(pdf.body()).hexdigest() == version.pdf_sha256

    # Re-opening needs a reason; the approved version stays downloadable.
    page.goto(f"{base}/c/{council.slug}/sessions/{held.pk}/minutes/reopen/")
    page.fill("#id_reason", "Popravek imena organizacije")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    old = page.request.get(f"{base}/c/{council.slug}/sessions/{held.pk}/minutes/versions/1/pdf/")
    assert hashlib.sha256(old.body()).hexdigest() == version.pdf_sha256
