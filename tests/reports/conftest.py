"""Fixtures of the reports tests: a council's year of work, reports, PDF helpers."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from pypdf import PdfReader

from councils.models import Membership, Organisation
from reports import services
from reports.models import AnnualReport, PlannedSession, PlannedTopic
from sessions.models import AgendaItem, Conclusion, Session, Task

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory

D = datetime.date
T = datetime.time
YEAR = 2023


@pytest.fixture(autouse=True)
def restore_language():
    """Requests activate languages thread-wide: undo that after each test."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def english():
    """Messages are asserted in English (the site defaults to Slovenian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client, secretary):
    """The secretary, signed in, with English chosen through the language cookie."""
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def held_session(council, day, number, titles=(), conclusions=0, status=Session.Status.HELD):
    session = Session.objects.create(
        council=council,
        term=council.terms.filter(start_date__lte=day, end_date__gte=day).first(),
        number=number,
        date=day,
        start_time=T(13, 0),
        place="Mestna hiša",
        status=status,
    )
    for position, title in enumerate(titles, start=1):
        AgendaItem.objects.create(session=session, position=position, title=title)
    for n in range(1, conclusions + 1):
        Conclusion.objects.create(council=council, session=session, number=n, text=f"Sklep {n}")
    return session


YEAR_START = D(2023, 1, 1)


def add_members(council, count: int, organisation=None, start=YEAR_START):
    organisation = organisation or OrganisationFactory(council=council, name="Organizacija X")
    return [
        MembershipFactory(
            council=council,
            person=PersonFactory(council=council, first_name=f"Član{n}", last_name=f"Šef{n:02d}"),
            organisation=organisation,
            start_date=start,
        )
        for n in range(count)
    ]


@pytest.fixture
def year_data(council):
    """The council's 2023: a chair, members of three organisations (one non-standing, one
    leaving mid-year), two held sessions with standing and ordinary items, conclusions and
    tasks; and data that must stay out (a cancelled session, a 2022 session, another year's
    tasks)."""
    municipality = OrganisationFactory(
        council=council, name="Mestna občina Ptuj", kind=Organisation.Kind.MUNICIPAL
    )
    police = OrganisationFactory(
        council=council, name="Policijska postaja Ptuj", kind=Organisation.Kind.POLICE
    )
    school = OrganisationFactory(
        council=council, name="Osnovna šola Mladika", kind=Organisation.Kind.SCHOOL
    )
    chair = MembershipFactory(
        council=council,
        person=PersonFactory(
            council=council,
            first_name="Nuška",
            last_name="Gajšek",
            function="županja Mestne občine Ptuj",
        ),
        organisation=municipality,
        role=Membership.Role.CHAIR,
        start_date=D(2022, 12, 1),
    )
    secretary = MembershipFactory(
        council=council,
        person=PersonFactory(council=council, first_name="Primož", last_name="Korošak"),
        organisation=municipality,
        role=Membership.Role.SECRETARY,
        start_date=D(2022, 12, 1),
    )
    lubej = MembershipFactory(
        council=council,
        person=PersonFactory(
            council=council,
            title="mag.",
            first_name="Aleksander",
            last_name="Lubej",
            function="načelnik PP Ptuj",
        ),
        organisation=police,
        start_date=D(2022, 12, 1),
        end_date=D(2023, 6, 30),
    )
    ribic = MembershipFactory(
        council=council,
        person=PersonFactory(council=council, first_name="Katja", last_name="Ribič"),
        organisation=school,
        kind=Membership.Kind.NON_STANDING,
        start_date=D(2023, 3, 1),
        end_date=D(2023, 6, 30),
        note="Varnost na šolskih poteh",
    )
    gone = MembershipFactory(
        council=council,
        person=PersonFactory(council=council, first_name="Bivši", last_name="Član"),
        organisation=police,
        start_date=D(2020, 1, 1),
        end_date=D(2022, 11, 30),
    )
    april = held_session(
        council,
        D(2023, 4, 7),
        1,
        ["Konstituiranje varnostnega sosveta", "Informacija o varnostnih pojavih v letu 2022"],
        conclusions=3,
    )
    AgendaItem.objects.create(
        session=april, position=0, title="Potrditev zapisnika", standing="minutes_approval"
    )
    AgendaItem.objects.create(
        session=april, position=9, title="Obravnava posameznega primera", is_public=False
    )
    october = held_session(
        council,
        D(2023, 10, 17),
        2,
        ["Varnost v času decembrskih praznikov"],
        conclusions=1,
        status=Session.Status.CLOSED,
    )
    held_session(council, D(2023, 11, 14), 3, ["Odpovedana seja"], status="cancelled")
    held_session(council, D(2022, 3, 15), 7, ["Seja leta 2022"], conclusions=2)
    conclusions = list(Conclusion.objects.filter(session=april).order_by("number"))
    today = timezone.localdate()
    for conclusion, status, due in [
        (conclusions[0], Task.Status.DONE, D(2023, 6, 1)),
        (conclusions[1], Task.Status.OPEN, today - datetime.timedelta(days=3)),
        (conclusions[2], Task.Status.IN_PROGRESS, today + datetime.timedelta(days=30)),
        (conclusions[2], Task.Status.DROPPED, None),
    ]:
        Task.objects.create(
            council=council, conclusion=conclusion, title="Naloga", status=status, due_date=due
        )
    old = Conclusion.objects.filter(session__date__year=2022).first()
    Task.objects.create(council=council, conclusion=old, title="Stara naloga")
    return {
        "chair": chair,
        "secretary": secretary,
        "lubej": lubej,
        "ribic": ribic,
        "gone": gone,
        "april": april,
        "october": october,
        "organisations": {"municipality": municipality, "police": police, "school": school},
    }


@pytest.fixture
def report(council, year_data):
    """The draft report for 2023 with texts and a plan for 2024."""
    report = services.report_create(council=council, by=None, year=YEAR)
    AnnualReport.objects.filter(pk=report.pk).update(
        intro_text="Varnostni sosvet je bil ustanovljen v letu 2003.",
        conclusion_text="Stanje varnosti je rezultat dela več generacij.",
        planned_sessions_explanation="V letu 2023 sta bili izvedeni samo dve seji.",
        prepared_by="Primož KOROŠAK",
        chair_name="Nuška Gajšek",
        chair_function="županja Mestne občine Ptuj\npredsednica varnostnega sosveta",
    )
    report.refresh_from_db()
    for number, month in [(3, 3), (4, 6), (5, 11)]:
        PlannedSession.objects.create(report=report, number=number, month=month)
    PlannedTopic.objects.create(report=report, text="Aktualna varnostna problematika")
    PlannedTopic.objects.create(report=report, text="Priprave na novo šolsko leto", month=6)
    PlannedTopic.objects.create(
        report=report,
        kind=PlannedTopic.Kind.PRESENTATION,
        organisation=year_data["organisations"]["school"],
        text="Varne šolske poti",
    )
    return report


@pytest.fixture
def adoption_session(council):
    """The session of 2024 that adopts the 2023 report."""
    return held_session(council, D(2024, 3, 19), 3, ["Poročilo o delu v letu 2023"])


def adopt(report, session, by=None, on=None):
    return services.report_adopt(
        report=report, by=by, adopted_on=on or session.date, adopted_at_session=session
    )


# PDF helpers -------------------------------------------------------------------------


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """The text of every page, runs of white space made single spaces."""
    reader = pdf_reader(data)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in pdf_reader(data).pages]


def assert_in_order(text: str, parts: list[str]) -> None:
    """Every part occurs in ``text``, each after the previous one.

    White space is ignored: a line break inside a table cell ("2022–" / "2026") or a
    paragraph must not matter.
    """
    compact = re.sub(r"\s+", "", text)
    position = 0
    for part in parts:
        needle = re.sub(r"\s+", "", part)
        found = compact.find(needle, position)
        assert found >= 0, f"{part!r} not found (in order) in {text!r}"
        position = found + len(needle)


def embedded_fonts(data: bytes) -> list[dict]:
    """Every font of every page: its name and whether a TrueType file is embedded."""
    fonts = {}
    for page in pdf_reader(data).pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font.get("/BaseFont"))] = {
                "name": str(font.get("/BaseFont")),
                "FontFile2": "/FontFile2" in descriptor,
            }
    return list(fonts.values())
