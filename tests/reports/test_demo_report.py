"""The demo Ptuj report 2023 + plan 2024 (reports/demo.py), as the mayor's office gets it."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext

from councils.models import Council
from reports import annual, selectors
from reports.demo import load_reports_demo
from reports.models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision

from .conftest import assert_in_order, page_texts, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it renders the adopted PDF); remove it after."""
    with django_db_blocker.unblock():
        call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def ptuj(_demo_loaded, db):
    return Council.objects.get(slug="ptuj")


def sl(message: str, **values) -> str:
    with translation.override("sl"):
        text = gettext(message)
        return text % values if values else text


def test_demo_report_2023_is_adopted_at_the_second_session_of_2024_and_published(ptuj):
    report = AnnualReport.objects.get(council=ptuj, year=2023)
    revision = selectors.report_published(council=ptuj, year=2023)

    assert report.status == "published"
    assert (report.adopted_on, report.adopted_at_session.number) == (datetime.date(2024, 3, 19), 2)
    assert revision.number == 1
    assert revision.sha256 == hashlib.sha256(bytes(revision.pdf)).hexdigest()


def test_demo_report_pdf_has_the_model_documents_sections_in_order(ptuj):
    revision = selectors.report_revision(report=AnnualReport.objects.get(council=ptuj, year=2023))
    pdf = bytes(revision.pdf)

    text = pdf_text(pdf)
    with translation.override("sl"):
        title = annual.report_title(year=2023)
        sessions = pgettext("sittings", "Sessions")
        march, june, november = (str(MONTHS[m]) for m in (3, 6, 11))
    plan_row = "Session %(number)s, %(month)s %(year)s"
    assert len(pdf_reader(pdf).pages) > 1
    assert_in_order(
        text,
        [
            # Title page
            "Varnostni sosvet Mestne občine Ptuj",
            "2023",
            title,
            # 1. Report
            sl("Report on the work of the safety council in %(year)s", year=2023).upper(),
            "1.1. " + sl("Introduction"),
            "Varnostni sosvet Mestne občine Ptuj je bil ustanovljen v letu 2003",
            "35. členu Zakona o organiziranosti in delu v policiji",
            "1.2. " + sl("Membership"),
            "Funkcija člana varnostnega sosveta je častna.",
            "Nuška Gajšek",
            "2022 – 2026",
            # the members by organisation: municipality, police, wardens, districts, CSD,
            # the societies
            "Mestna občina Ptuj",
            "Nuška Gajšek",
            "Primož Korošak",
            "Policijska postaja Ptuj",
            "mag. Aleksander Lubej",
            "Mojca Vaupotič",
            "Četrtna skupnost Breg – Turnišče",
            "Darko Šmigoc",
            "Boštjan Čeh",
            "Tjaša Žnidarič",
            "CSD Spodnje Podravje",
            "Simona Rajh",
            "Petra Fras",
            "Nina Gorjup",
            "Andrej Kirbiš",
            "1.3. " + sessions,
            "7. 4. 2023",
            "Konstituiranje varnostnega sosveta v mandatu 2022–2026",
            "Informacija o varnostnih pojavih na območju Mestne občine Ptuj v letu 2022",
            "Prva seja Varnostnega sosveta Mestne občine Ptuj v letu 2023 je potekala 7. 4. 2023.",
            "V letu 2023 je bila sklicana samo ena seja varnostnega sosveta.",
            "1.4. " + sl("Conclusion of the report"),
            "Stanje varnosti v Mestni občini Ptuj, je rezultat dela več generacij.",
            # 2. Work plan
            sl("Work plan of the safety council for %(year)s", year=2024).upper(),
            "2.1. " + sl("Implementation plan"),
            sl(plan_row, number=2, month=march, year=2024),
            sl(plan_row, number=3, month=june, year=2024),
            sl(plan_row, number=4, month=november, year=2024),
            "Člani sveta bodo na sejo vabljeni z vabilom.",
            "2.2. " + sl("Content plan"),
            "Aktualna varnostna problematika",
            "Informacije o varnostnih pojavih na območju Mestne občine Ptuj (" + march + ")",
            "Varnostni ukrepi ob zaključku šolskega leta (" + june + ")",
            "Zagotavljanje varnosti v času decembrskih praznikov (" + november + ")",
            "ARS VITAE",
            "CSD Spodnje Podravje",
            "Lokalna akcijska skupina za preprečevanje zasvojenosti",
            "CID Ptuj",
            # Signatures
            "Primož KOROŠAK",
            "Nuška Gajšek",
            "županja Mestne občine Ptuj",
            "predsednica varnostnega sosveta",
        ],
    )
    # Members of other years are not in the 2023 report.
    for name in ("Maja Kokol", "Katja Ribič", "Jure Štumberger"):
        assert name not in text
    assert "OSNUTEK" not in text and "DRAFT" not in text


def test_demo_report_2024_draft_compares_last_years_plan_with_the_sessions_held(ptuj):
    report = AnnualReport.objects.get(council=ptuj, year=2024)

    snapshot = annual.report_snapshot(report=report)

    assert report.status == "draft"
    assert snapshot["planned"]["count"] == 3
    assert [(row["number"], row["held_on"]) for row in snapshot["planned"]["comparison"]] == [
        (2, "2024-03-19"),
        (3, "2024-06-18"),
        (4, "2024-11-19"),
    ]
    assert [s["number"] for s in snapshot["sessions"]] == [2, 3, 4]
    assert "Maja Kokol" in [m["name"] for m in snapshot["membership"]["members"]]


def test_load_reports_demo_again_changes_nothing(ptuj):
    models = (AnnualReport, PlannedSession, PlannedTopic)
    before = {m.__name__: (m.objects.count(), m.history.count()) for m in models}
    revisions = list(ReportRevision.objects.values_list("pk", "sha256"))

    load_reports_demo()

    assert {m.__name__: (m.objects.count(), m.history.count()) for m in models} == before
    assert list(ReportRevision.objects.values_list("pk", "sha256")) == revisions


def test_render_report_command_writes_the_adopted_bytes(ptuj, tmp_path):
    out = tmp_path / "porocilo.pdf"
    stdout = io.StringIO()

    call_command("render_report", "ptuj", "2023", "-o", str(out), stdout=stdout)

    revision = selectors.report_published(council=ptuj, year=2023)
    assert out.read_bytes() == bytes(revision.pdf)
    assert f"adopted revision 1, {revision.size} bytes, SHA-256 {revision.sha256}" in (
        stdout.getvalue()
    )


def test_render_report_command_renders_a_draft(ptuj, tmp_path):
    out = tmp_path / "osnutek.pdf"

    call_command("render_report", "ptuj", "2024", "-o", str(out), stdout=io.StringIO())

    text = pdf_text(out.read_bytes())
    with translation.override("sl"):
        watermark = pgettext("watermark of a draft document", "DRAFT")
    assert watermark in text
    assert "2024" in text


def test_demo_draft_2024_keeps_an_organisation_with_its_first_member(ptuj):
    """In the members table an organisation's heading row never ends a page: the demo's
    2024 draft breaks the table just at "Center interesnih dejavnosti Ptuj"."""
    report = AnnualReport.objects.get(council=ptuj, year=2024)
    pdf = annual.report_pdf(
        council=ptuj, snapshot=annual.report_snapshot(report=report), is_draft=True
    )
    organisation, first_member = "Center interesnih dejavnosti Ptuj (CID Ptuj)", "Nina Gorjup"

    [page] = [text for text in page_texts(pdf) if organisation in text]

    assert first_member in page
