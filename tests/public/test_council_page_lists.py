"""The council page's lists as the lean selectors read them: the page of past sessions
counted with its rows (``sessions_past_public_page``), and the reports' lines."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRevision
from sessions.models import Session
from sessions.public_selectors import sessions_past_public_page, sessions_upcoming_public

from .conftest import PDF, adopt_report, invite, make_session, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_held(public_council):
    return [
        make_session(
            public_council,
            datetime.date(2023, 1, 10) + datetime.timedelta(days=20 * n),
            status="held",
            number=n + 1,
        )
        for n in range(12)
    ]


@pytest.mark.parametrize(
    ("asked", "number", "count"),
    [
        (None, 1, 10),
        ("1", 1, 10),
        ("2", 2, 2),
        ("3", 2, 2),  # out of range: the last page, as Paginator.get_page
        ("0", 2, 2),
        ("-1", 2, 2),
        ("zzz", 1, 10),  # not a number: the first page
        ("2.0", 1, 10),
    ],
)
def test_past_sessions_page_follows_get_page(public_council, twelve_held, asked, number, count):
    page = sessions_past_public_page(council=public_council, page=asked, per_page=10)

    assert (page.number, len(page.object_list)) == (number, count)
    assert page.paginator.count == 12 and page.paginator.num_pages == 2
    newest_first = sorted(twelve_held, key=lambda s: s.date, reverse=True)
    assert [s.pk for s in page.object_list] == [
        s.pk for s in newest_first[(number - 1) * 10 : number * 10]
    ]
    assert all(s.public_minutes is None for s in page.object_list)


def test_past_sessions_page_counts_with_its_rows(
    public_council, twelve_held, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the page with the count, then the minutes
        sessions_past_public_page(council=public_council, page="2", per_page=10)
    with django_assert_num_queries(4):  # out of range: nothing, the count, the last page…
        sessions_past_public_page(council=public_council, page="9", per_page=10)


def test_no_past_session_is_one_empty_page(public_council, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = sessions_past_public_page(council=public_council, page=None, per_page=10)

    assert (page.number, list(page.object_list), page.paginator.num_pages) == (1, [], 1)


def test_upcoming_sessions_read_invitations_only_for_a_cancelled_one(
    public_council, django_assert_num_queries
):
    """A cancelled session is public only if it had been convened: its invitations are
    looked up only when the upcoming sessions include a cancelled one."""
    with django_assert_num_queries(1):
        assert sessions_upcoming_public(council=public_council) == []

    day = today() + datetime.timedelta(days=10)
    convened = make_session(
        public_council, day, status=Session.Status.CONVENED, number=1, items=[("Javna", True)]
    )
    with django_assert_num_queries(2):  # the sessions, their public agenda items
        assert sessions_upcoming_public(council=public_council) == [convened]

    cancelled = make_session(
        public_council, day + datetime.timedelta(days=1), status=Session.Status.CANCELLED, number=2
    )
    make_session(  # cancelled before it was ever convened: never public
        public_council, day + datetime.timedelta(days=2), status=Session.Status.CANCELLED, number=3
    )
    invite(cancelled)
    with django_assert_num_queries(3):  # … and the invitations of the cancelled ones
        sessions = sessions_upcoming_public(council=public_council)

    assert sessions == [convened, cancelled]
    assert sessions[0].public_item_titles == ["Javna"]


def test_report_lines_name_the_correction_and_the_size(client, public_council):
    session = make_session(public_council, datetime.date(2024, 3, 5), status="held", number=1)
    report = adopt_report(public_council, 2023, session)
    corrected = PDF + b"2023, popravljeno"
    ReportRevision.objects.create(
        report=report,
        number=2,
        pdf=corrected,
        sha256=hashlib.sha256(corrected).hexdigest(),
        size=2048,
        snapshot=report.revisions.get(number=1).snapshot,
        language="sl",
        adopted_on=datetime.date(2024, 4, 9),
        adopted_at_session=session,
        published_at=timezone.now(),
    )

    content = client.get(
        reverse("public:council", kwargs={"council_slug": public_council.slug})
    ).content.decode()

    page = reverse("public:report", args=[public_council.slug, 2023])
    pdf = reverse("public:report_pdf", args=[public_council.slug, 2023])
    assert f'<a class="fw-semibold" href="{page}">Poročilo o delu 2023 in plan dela 2024</a>' in (
        content
    )
    assert "Sprejeto 9. aprila 2024, različica 2" in content
    assert (
        f'<a href="{pdf}">PDF<span class="visually-hidden"> poročila za leto 2023</span></a>'
        " (2,0\xa0KB)" in content
    )
