"""Fixtures of the public pages' tests: a published council with everything that could
appear publicly, and everything that must not (each with a unique marker)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone, translation

from councils.models import Indicator, IndicatorValue, Membership, Municipality, Organisation
from reports import annual
from reports.models import AnnualReport, ReportRevision
from sessions import services as session_services
from sessions.models import AgendaItem, Invitation, Minutes, MinutesVersion, Session

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory

D = datetime.date
T = datetime.time
PDF = b"%PDF-1.7 adopted bytes of the public report"


@pytest.fixture(autouse=True)
def restore_language():
    """Requests activate languages thread-wide: undo that after each test."""
    with translation.override(translation.get_language()):
        yield


def today() -> datetime.date:
    return timezone.localdate()


def make_session(council, day, *, status, number, items=(), place="Mestna hiša, sejna soba"):
    """A session with agenda items given as (title, is_public)."""
    session = Session.objects.create(
        council=council,
        term=council.terms.filter(start_date__lte=day, end_date__gte=day).first(),
        number=number,
        date=day,
        start_time=T(13, 0),
        end_time=T(15, 0),
        place=place,
        online_url="https://meet.example.test/zasebna-povezava",
        status=status,
    )
    for position, (title, is_public) in enumerate(items, start=1):
        AgendaItem.objects.create(
            session=session, position=position, title=title, is_public=is_public
        )
    return session


def invite(session, revision=1, kind=Invitation.Kind.INVITATION, sequence=0):
    """A stored invitation revision (as ``invitation_send`` writes it; no e-mail)."""
    return Invitation.objects.create(
        session=session,
        revision=revision,
        kind=kind,
        sequence=sequence,
        snapshot=session_services.invitation_snapshot(session=session),
        language="sl",
    )


def publish_minutes(
    session, conclusions, *, summary="Povzetek razprave.", publish=True, times=(None, None)
):
    """Minutes of a held session with conclusions (item title, text, is_public), approved
    as version 1 (stored snapshot, no PDF rendering) and, unless told, published;
    ``times``: when the sitting opened and closed, as recorded."""
    minutes = session_services.minutes_start(session=session, by=None)
    Minutes.objects.filter(pk=minutes.pk).update(started_at=times[0], ended_at=times[1])
    items = {item.title: item for item in session.agenda_items.all()}
    for item in items.values():
        record = item.record
        record.summary = f"{summary} ({item.title})"
        record.save()
    for title, text, is_public in conclusions:
        session_services.conclusion_add(
            minutes=minutes, by=None, agenda_item=items[title], text=text, is_public=is_public
        )
    minutes.refresh_from_db()
    published_at = timezone.now() if publish else None
    MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        snapshot=session_services.minutes_snapshot(minutes=minutes),
        pdf=b"%PDF-1.7 minutes",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 minutes").hexdigest(),
        approved_on=session.date + datetime.timedelta(days=30),
        published_at=published_at,
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.PUBLISHED if publish else Minutes.Status.APPROVED,
        approved_on=session.date + datetime.timedelta(days=30),
        published_at=published_at,
    )
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)
    session.refresh_from_db()
    return minutes


def adopt_report(council, year, session, *, publish=True, intro="Uvod poročila."):
    """A report adopted at ``session`` with a stored revision (fake PDF bytes)."""
    report = AnnualReport.objects.create(
        council=council,
        year=year,
        intro_text=intro,
        conclusion_text="Zaključek.",
        chair_name="Predsednica",
        status=AnnualReport.Status.PUBLISHED if publish else AnnualReport.Status.ADOPTED,
        adopted_on=session.date,
        adopted_at_session=session,
    )
    adoption = {
        "revision": 1,
        "adopted_on": session.date.isoformat(),
        "session_number": session.number,
        "session_date": session.date.isoformat(),
        "correction": "",
    }
    ReportRevision.objects.create(
        report=report,
        number=1,
        pdf=PDF + str(year).encode(),
        sha256=hashlib.sha256(PDF + str(year).encode()).hexdigest(),
        size=len(PDF) + 4,
        snapshot=annual.report_snapshot(report=report, adoption=adoption),
        language="sl",
        adopted_on=session.date,
        adopted_at_session=session,
        published_at=timezone.now() if publish else None,
    )
    return report


def add_indicator_years(council, years):
    municipality = council.municipalities.first()
    indicator = Indicator.objects.get(council__isnull=True, code="crime_total")
    for offset, year in enumerate(years):
        IndicatorValue.objects.create(
            council=council,
            indicator=indicator,
            municipality=municipality,
            year=year,
            value=900 + 10 * offset,
        )


@pytest.fixture
def public_council(council):
    """The ``council`` fixture (Ptuj) with a published page and public content."""
    council.is_published = True
    council.purpose = "Namen sosveta: varnejša občina."
    council.functions = "Naloge sosveta."
    council.goals = "Cilji sosveta."
    council.contact_email = "varnostni.sosvet@ptuj.example"
    council.police_station = ""
    council.save()
    council.municipalities.add(Municipality.objects.create(name="Mestna občina Ptuj"))
    return council


@pytest.fixture
def world(public_council, other_council):
    """Everything that may appear publicly, and (marked ``SKRITO``) what must not."""
    council = public_council
    police = OrganisationFactory(
        council=council, name="Policijska postaja Ptuj", kind=Organisation.Kind.POLICE
    )
    school = OrganisationFactory(council=council, name="Osnovna šola Mladika", kind="school")
    chair = MembershipFactory(
        council=council,
        person=PersonFactory(
            council=council,
            first_name="Nuška",
            last_name="Gajšek",
            email="skrito-nuska@zasebno.test",
            phone="+386 SKRITO 01",
        ),
        organisation=police,
        role=Membership.Role.CHAIR,
    )
    member = MembershipFactory(
        council=council,
        person=PersonFactory(
            council=council,
            first_name="Jure",
            last_name="Ribič",
            email="skrito-jure@zasebno.test",
            phone="+386 SKRITO 02",
        ),
        organisation=school,
        kind=Membership.Kind.NON_STANDING,
    )
    ended = MembershipFactory(
        council=council,
        person=PersonFactory(council=council, first_name="Bivši", last_name="Član"),
        organisation=school,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 6, 30),
    )
    upcoming = make_session(
        council,
        today() + datetime.timedelta(days=10),
        status=Session.Status.CONVENED,
        number=8,
        items=[("Javna točka sklica", True), ("SKRITO: zaprta točka sklica", False)],
    )
    invite(upcoming)
    draft = make_session(
        council,
        today() + datetime.timedelta(days=40),
        status=Session.Status.DRAFT,
        number=9,
        items=[("SKRITO: točka osnutka seje", True)],
    )
    cancelled = make_session(
        council,
        today() + datetime.timedelta(days=20),
        status=Session.Status.CANCELLED,
        number=10,
        items=[("Točka odpovedane seje", True)],
    )
    invite(cancelled)
    invite(cancelled, revision=2, kind=Invitation.Kind.CANCELLATION, sequence=1)
    cancelled_draft = make_session(
        council,
        today() + datetime.timedelta(days=25),
        status=Session.Status.CANCELLED,
        number=11,
        items=[("SKRITO: odpovedan osnutek", True)],
    )
    held = make_session(
        council,
        D(2024, 3, 19),
        status=Session.Status.HELD,
        number=2,
        items=[("Varnost v prometu", True), ("SKRITO: kadrovska zadeva", False)],
    )
    publish_minutes(
        held,
        [
            ("Varnost v prometu", "Sklep o prometni varnosti.", True),
            ("Varnost v prometu", "SKRITO: zaupni sklep", False),
            ("SKRITO: kadrovska zadeva", "SKRITO: javni sklep zaprte točke", True),
        ],
    )
    held_draft_minutes = make_session(
        council,
        D(2024, 6, 18),
        status=Session.Status.HELD,
        number=3,
        items=[("Počitniški čas", True)],
    )
    minutes = session_services.minutes_start(session=held_draft_minutes, by=None)
    session_services.conclusion_add(
        minutes=minutes,
        by=None,
        agenda_item=held_draft_minutes.agenda_items.get(),
        text="SKRITO: sklep osnutka zapisnika",
    )
    published = adopt_report(council, 2023, held)
    adopted_only = adopt_report(council, 2022, held, publish=False, intro="SKRITO: neobjavljeno")
    draft_report = AnnualReport.objects.create(
        council=council, year=2024, intro_text="SKRITO: osnutek poročila"
    )
    add_indicator_years(council, [2021, 2022, 2023])
    # Another council's session and report: never under this council's address.
    foreign = make_session(
        other_council,
        D(2024, 5, 5),
        status=Session.Status.HELD,
        number=1,
        items=[("SKRITO: tuja točka", True)],
    )
    return {
        "council": council,
        "chair": chair,
        "member": member,
        "ended": ended,
        "upcoming": upcoming,
        "draft": draft,
        "cancelled": cancelled,
        "cancelled_draft": cancelled_draft,
        "held": held,
        "held_draft_minutes": held_draft_minutes,
        "published_report": published,
        "adopted_report": adopted_only,
        "draft_report": draft_report,
        "foreign_session": foreign,
    }
