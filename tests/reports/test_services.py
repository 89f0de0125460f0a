"""Writes of the reports app: create, edit, adopt, publish, correct, sessions from the plan."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from reports import selectors, services
from reports.models import AnnualReport, PlannedSession, ReportRevision
from sessions.models import Session

from ..factories import CouncilFactory, TermFactory
from .conftest import YEAR, adopt, held_session, pdf_text

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def counts() -> dict[str, int]:
    return {
        "reports": AnnualReport.objects.count(),
        "report history": AnnualReport.history.count(),
        "revisions": ReportRevision.objects.count(),
        "planned": PlannedSession.objects.count(),
        "sessions": Session.objects.count(),
    }


def fails(call) -> dict[str, list[str]]:
    """Call a service that must fail; check that nothing was written; return the errors."""
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert counts() == before
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


# Create --------------------------------------------------------------------------------------


def test_report_create_prefills_and_records_history(council, secretary, year_data):
    council.purpose = "Namen sosveta."
    council.save()

    report = services.report_create(council=council, by=secretary, year=YEAR)

    assert (report.year, report.plan_year, report.status) == (2023, 2024, "draft")
    assert report.intro_text.startswith("Namen sosveta.")
    assert report.chair_name == "Nuška Gajšek"
    assert report.history.get().history_user == secretary


def test_report_create_refuses_a_second_report_for_the_year(council, report):
    errors = fails(lambda: services.report_create(council=council, by=None, year=YEAR))

    assert errors == {"year": ["There is already a report for 2023."]}


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (1989, "Enter a year between 1990 and 2100."),
        (None, "Enter a year between 1990 and 2100."),
        ("next", "A report can be prepared for the current year or an earlier one."),
    ],
)
def test_report_create_refuses_impossible_years(council, year, message):
    if year == "next":
        year = timezone.localdate().year + 1

    assert fails(lambda: services.report_create(council=council, by=None, year=year)) == {
        "year": [message]
    }


def test_another_council_may_have_a_report_for_the_same_year(council, other_council, report):
    other = services.report_create(council=other_council, by=None, year=YEAR)

    assert other.year == report.year


# Adopt ---------------------------------------------------------------------------------------


def test_report_adopt_stores_the_pdf_bytes_and_their_sha256(report, adoption_session, secretary):
    revision = adopt(report, adoption_session, by=secretary)

    report.refresh_from_db()
    pdf = bytes(revision.pdf)
    assert pdf.startswith(b"%PDF-")
    assert revision.sha256 == hashlib.sha256(pdf).hexdigest()
    assert revision.size == len(pdf)
    assert (revision.number, revision.adopted_on, revision.adopted_at_session) == (
        1,
        D(2024, 3, 19),
        adoption_session,
    )
    assert revision.created_by == secretary
    assert revision.snapshot["adoption"]["session_number"] == 3
    assert revision.snapshot["membership"]["chair"]["name"] == "Nuška Gajšek"
    assert (report.status, report.adopted_on, report.adopted_at_session) == (
        "adopted",
        D(2024, 3, 19),
        adoption_session,
    )
    assert "DRAFT" not in pdf_text(pdf)


def test_report_adopt_twice_is_refused(report, adoption_session):
    adopt(report, adoption_session)

    errors = fails(lambda: adopt(report, adoption_session))

    assert errors == {"": ["This revision of the report is already adopted."]}


def test_report_adopt_needs_a_date_and_a_session(report):
    errors = fails(
        lambda: services.report_adopt(
            report=report, by=None, adopted_on=None, adopted_at_session=None
        )
    )

    assert errors == {
        "adopted_on": ["Enter the date of adoption."],
        "adopted_at_session": ["Choose the session that adopted the report."],
    }


def test_report_adopt_checks_the_session_and_the_date(
    council, other_council, report, adoption_session
):
    TermFactory(council=other_council)
    foreign = held_session(other_council, D(2024, 3, 19), 1)
    cancelled = held_session(council, D(2024, 4, 2), 4, status="cancelled")
    future = timezone.localdate() + datetime.timedelta(days=1)

    assert fails(lambda: adopt(report, foreign)) == {
        "adopted_at_session": ["Choose a session of this council."]
    }
    assert fails(lambda: adopt(report, cancelled)) == {
        "adopted_at_session": ["That session was cancelled."]
    }
    assert fails(lambda: adopt(report, adoption_session, on=D(2024, 3, 1))) == {
        "adopted_on": [
            "The report cannot be adopted before the session that adopted it (19/03/2024)."
        ]
    }
    assert fails(lambda: adopt(report, adoption_session, on=future)) == {
        "adopted_on": ["The date of adoption cannot be in the future."]
    }
    assert fails(lambda: adopt(report, adoption_session, on=D(2022, 12, 31))) == {
        "adopted_on": ["The report for 2023 cannot be adopted before that year."]
    }


def test_report_adopt_needs_the_texts(report, adoption_session):
    AnnualReport.objects.filter(pk=report.pk).update(conclusion_text="  ", chair_name="")

    errors = fails(lambda: adopt(report, adoption_session))

    assert errors == {
        "__all__": [
            "Write the conclusion (1.4) before adopting the report.",
            "Name the chair for the signature before adopting the report.",
        ]
    }


def test_report_update_of_an_adopted_report_is_refused(report, adoption_session):
    adopt(report, adoption_session)

    errors = fails(
        lambda: services.report_update(report=report, by=None, data={"intro_text": "Novo"})
    )

    assert errors == {
        "": ["The report is adopted and cannot be changed. Start a correction to change it."]
    }


def test_adopted_revision_never_changes_or_disappears(report, adoption_session):
    revision = adopt(report, adoption_session)
    stored = bytes(revision.pdf)

    revision.pdf = b"%PDF-1.7 forged"
    with pytest.raises(ValidationError):
        revision.save()
    with pytest.raises(ValidationError):
        revision.delete()
    revision.published_at = timezone.now()
    revision.save(update_fields=["published_at"])  # publication is the one change allowed

    assert bytes(ReportRevision.objects.get(pk=revision.pk).pdf) == stored


# Publish, correct --------------------------------------------------------------------------


def test_report_publish_publishes_the_adopted_revision(council, report, adoption_session):
    assert fails(lambda: services.report_publish(report=report, by=None)) == {
        "": ["Only an adopted report can be published."]
    }
    revision = adopt(report, adoption_session)

    services.report_publish(report=report, by=None)

    report.refresh_from_db()
    assert report.status == "published"
    assert selectors.report_published(council=council, year=YEAR) == revision
    assert [r.pk for r in selectors.reports_published(council=council)] == [revision.pk]
    assert fails(lambda: services.report_publish(report=report, by=None)) == {
        "": ["The report is already published."]
    }


def test_correction_keeps_the_published_revision_public_until_the_next_is_published(
    council, report, adoption_session, secretary
):
    first = adopt(report, adoption_session)
    services.report_publish(report=report, by=None)

    services.report_reopen(report=report, by=secretary, reason="Napačno ime člana.")
    report.refresh_from_db()
    assert (report.status, report.adopted_on, report.correction_reason) == (
        "draft",
        None,
        "Napačno ime člana.",
    )
    assert selectors.report_published(council=council, year=YEAR) == first

    services.report_update(report=report, by=secretary, data={"intro_text": "Popravljen uvod."})
    second = adopt(report, adoption_session, by=secretary)
    assert selectors.report_published(council=council, year=YEAR) == first
    services.report_publish(report=report, by=secretary)

    assert selectors.report_published(council=council, year=YEAR) == second
    assert second.number == 2
    assert second.note == "Napačno ime člana."
    assert second.sha256 != first.sha256
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert "Popravljen uvod." in pdf_text(bytes(second.pdf))
    assert "Popravljen uvod." not in pdf_text(bytes(first.pdf))
    history = [(r.history_change_reason or "") for r in report.history.all()]
    assert "Napačno ime člana." in history


def test_report_reopen_needs_a_reason_and_an_adopted_report(report, adoption_session):
    assert fails(lambda: services.report_reopen(report=report, by=None, reason="x")) == {
        "": ["The report is a draft: it can be edited as it is."]
    }
    adopt(report, adoption_session)

    assert fails(lambda: services.report_reopen(report=report, by=None, reason="  ")) == {
        "reason": ["Say what the correction is for."]
    }


def test_reports_published_lists_the_public_revision_of_each_year(
    council, report, adoption_session
):
    older = AnnualReport.objects.create(
        council=council, year=2022, intro_text="Uvod", conclusion_text="Z", chair_name="N"
    )
    adopt(older, held_session(council, D(2023, 2, 1), 8))
    services.report_publish(report=older, by=None)
    adopt(report, adoption_session)  # adopted, not published

    published = selectors.reports_published(council=council)

    assert [(r.report.year, r.number) for r in published] == [(2022, 1)]
    assert selectors.report_published(council=council, year=YEAR) is None


# Sessions from the plan --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2025, 3, D(2025, 3, 11)), (2025, 6, D(2025, 6, 10)), (2026, 12, D(2026, 12, 8))],
)
def test_planned_session_date_is_the_second_tuesday(year, month, day):
    assert services.planned_session_date(year, month) == day


@pytest.fixture
def next_year_plan(secretary):
    """A council whose report for this year plans three sessions for next year."""
    council = CouncilFactory(slug="plan", name="Varnostni sosvet Plan")
    year = timezone.localdate().year
    TermFactory(council=council, start_date=D(year - 1, 1, 1), end_date=D(year + 3, 12, 31))
    held_session(council, D(year, 1, 20), 1, ["Pretekla seja"])
    Session.objects.filter(council=council).update(place="Sejna soba, Mestni trg 1")
    report = services.report_create(council=council, by=secretary, year=year)
    for number, month in [(2, 3), (3, 6), (4, 11)]:
        PlannedSession.objects.create(report=report, number=number, month=month, note=f"n{number}")
    return report


def test_plan_sessions_create_schedules_one_draft_per_planned_session(next_year_plan, secretary):
    year = next_year_plan.plan_year
    existing = held_session(next_year_plan.council, D(year, 6, 2), 2, status="draft")

    result = services.plan_sessions_create(report=next_year_plan, by=secretary)

    sessions = list(Session.objects.filter(date__year=year).order_by("date"))
    assert [(s.date, s.start_time, s.status) for s in result.created] == [
        (services.planned_session_date(year, 3), datetime.time(13, 0), "draft"),
        (services.planned_session_date(year, 11), datetime.time(13, 0), "draft"),
    ]
    assert [s.pk for s in sessions if s not in result.created] == [existing.pk]
    assert [(p.number, reason) for p, reason, _s in result.skipped] == [(3, "exists")]
    assert result.created[0].place == "Sejna soba, Mestni trg 1"
    assert result.created[0].notes == "n2"
    assert result.created[0].history.get().history_user == secretary
    linked = {p.month: p.session for p in next_year_plan.planned_sessions.all()}
    assert linked == {3: result.created[0], 6: existing, 11: result.created[1]}


def test_plan_sessions_create_twice_creates_nothing_twice(next_year_plan, secretary):
    services.plan_sessions_create(report=next_year_plan, by=secretary)
    before = Session.objects.count()

    result = services.plan_sessions_create(report=next_year_plan, by=secretary)

    assert result.created == []
    assert [reason for _p, reason, _s in result.skipped] == ["linked"] * 3
    assert Session.objects.count() == before


def test_plan_sessions_create_skips_months_that_have_passed(council, report, secretary):
    # The 2023 report plans 2024, which is over.
    result = services.plan_sessions_create(report=report, by=secretary)

    assert result.created == []
    assert [(p.month, reason) for p, reason, _s in result.skipped] == [
        (3, "past"),
        (6, "past"),
        (11, "past"),
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_adoptions_store_one_revision(report, adoption_session):
    """Two secretaries press "adopt" at the same moment: one revision, one error."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the concurrency test needs PostgreSQL.")
    outcomes = []
    barrier = threading.Barrier(2)

    def press():
        translation.activate("en")  # a thread starts in the default language
        try:
            barrier.wait()
            adopt(AnnualReport.objects.get(pk=report.pk), adoption_session)
            outcomes.append("adopted")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["This revision of the report is already adopted.", "adopted"]
    assert ReportRevision.objects.filter(report=report).count() == 1
