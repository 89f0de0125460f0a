"""Assembling the report from the council's data (reports.annual)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reports import annual, services
from reports.models import AnnualReport, PlannedSession, PlannedTopic

from ..factories import CouncilFactory, MembershipFactory, OrganisationFactory, TermFactory
from .conftest import YEAR, held_session

D = datetime.date

pytestmark = pytest.mark.django_db


def test_membership_lists_the_members_of_the_year_grouped_by_organisation(report, year_data):
    membership = annual.report_snapshot(report=report)["membership"]

    rows = [(m["organisation"], m["name"], m["role"], m["kind"]) for m in membership["members"]]
    # Municipality first (chair before secretary), police, then the school; the member
    # whose membership ended in 2022 is not there.
    assert rows == [
        ("Mestna občina Ptuj", "Nuška Gajšek", "chair", "standing"),
        ("Mestna občina Ptuj", "Primož Korošak", "secretary", "standing"),
        ("Policijska postaja Ptuj", "mag. Aleksander Lubej", "member", "standing"),
        ("Osnovna šola Mladika", "Katja Ribič", "member", "non_standing"),
    ]
    assert membership["chair"] == {
        "name": "Nuška Gajšek",
        "function": "županja Mestne občine Ptuj",
        "organisation": "Mestna občina Ptuj",
        "since": "2022-12-01",
    }
    assert membership["terms"] == [{"start": "2022-12-01", "end": "2026-11-30"}]


def test_membership_period_is_shown_only_when_it_does_not_cover_the_year(report):
    members = {m["name"]: m for m in annual.report_snapshot(report=report)["membership"]["members"]}

    assert (members["Nuška Gajšek"]["start"], members["Nuška Gajšek"]["end"]) == (None, None)
    assert (members["mag. Aleksander Lubej"]["start"], members["mag. Aleksander Lubej"]["end"]) == (
        None,
        "2023-06-30",
    )
    assert members["Katja Ribič"]["start"] == "2023-03-01"
    assert members["Katja Ribič"]["note"] == "Varnost na šolskih poteh"


def test_membership_of_another_council_stays_out(report, other_council):
    MembershipFactory(council=other_council, start_date=D(2023, 1, 1))

    names = [m["name"] for m in annual.report_snapshot(report=report)["membership"]["members"]]

    assert len(names) == 4


def test_sessions_are_those_held_in_the_year_with_ordinary_public_topics(report, year_data):
    snapshot = annual.report_snapshot(report=report)

    assert snapshot["sessions"] == [
        {
            "number": 1,
            "date": "2023-04-07",
            "topics": [
                "Konstituiranje varnostnega sosveta",
                "Informacija o varnostnih pojavih v letu 2022",
            ],
            "hidden_topics": 1,
            "conclusions": 3,
        },
        {
            "number": 2,
            "date": "2023-10-17",
            "topics": ["Varnost v času decembrskih praznikov"],
            "hidden_topics": 0,
            "conclusions": 1,
        },
    ]


def test_tasks_adopted_in_the_year_by_status(report):
    tasks = annual.report_snapshot(report=report)["tasks"]

    assert tasks == {"total": 4, "done": 1, "open": 2, "overdue": 1, "dropped": 1}


def test_planned_count_without_last_years_plan_is_unknown_or_manual(report):
    assert annual.report_snapshot(report=report)["planned"] == {
        "count": None,
        "source": "",
        "comparison": [],
    }

    AnnualReport.objects.filter(pk=report.pk).update(planned_sessions_count=4)
    report.refresh_from_db()

    assert annual.report_snapshot(report=report)["planned"]["count"] == 4
    assert annual.report_snapshot(report=report)["planned"]["source"] == "manual"


def test_planned_sessions_come_from_last_years_plan(council, report, year_data):
    previous = AnnualReport.objects.create(council=council, year=YEAR - 1)
    for number, month in [(1, 4), (2, 9), (3, 11)]:
        PlannedSession.objects.create(report=previous, number=number, month=month)
    AnnualReport.objects.filter(pk=report.pk).update(planned_sessions_count=9)  # ignored
    report.refresh_from_db()

    planned = annual.report_snapshot(report=report)["planned"]

    assert planned["count"] == 3
    assert planned["source"] == "plan"
    # April was held; September's session was held in October (not matched by month);
    # November's was not held.
    assert planned["comparison"] == [
        {"number": 1, "month": 4, "held_number": 1, "held_on": "2023-04-07"},
        {"number": 2, "month": 9, "held_number": None, "held_on": None},
        {"number": 3, "month": 11, "held_number": None, "held_on": None},
    ]


def test_planned_session_linked_to_its_session_matches_it_in_any_month(council, report, year_data):
    previous = AnnualReport.objects.create(council=council, year=YEAR - 1)
    PlannedSession.objects.create(report=previous, number=2, month=9, session=year_data["october"])

    [row] = annual.report_snapshot(report=report)["planned"]["comparison"]

    assert row == {"number": 2, "month": 9, "held_number": 2, "held_on": "2023-10-17"}


def test_plan_lists_topics_throughout_the_year_first_and_presentations_apart(report):
    plan = annual.report_snapshot(report=report)["plan"]

    assert plan["sessions"] == [
        {"number": 3, "month": 3, "note": ""},
        {"number": 4, "month": 6, "note": ""},
        {"number": 5, "month": 11, "note": ""},
    ]
    assert plan["topics"] == [
        {"text": "Aktualna varnostna problematika", "month": None},
        {"text": "Priprave na novo šolsko leto", "month": 6},
    ]
    assert plan["presentations"] == [
        {"organisation": "Osnovna šola Mladika", "text": "Varne šolske poti", "month": None}
    ]


def test_snapshot_is_plain_json_data(report):
    import json

    snapshot = annual.report_snapshot(report=report)

    assert json.loads(json.dumps(snapshot)) == snapshot


def test_default_texts_come_from_the_council_and_the_memberships(council, year_data):
    council.purpose = "Sosvet preprečuje negativne pojave."
    council.legal_basis = "35. člen ZODPol"
    council.save()

    texts = annual.default_texts(council=council, year=YEAR)

    assert texts["intro_text"].startswith("Sosvet preprečuje negativne pojave.\n\n")
    assert texts["intro_text"].endswith("35. člen ZODPol")
    assert texts["chair_name"] == "Nuška Gajšek"
    assert texts["chair_function"].startswith("županja Mestne občine Ptuj\n")
    assert texts["prepared_by"] == "Primož Korošak"
    assert texts["implementation_text"]


def test_default_texts_carry_over_last_years_texts(council, year_data):
    AnnualReport.objects.create(
        council=council,
        year=YEAR - 1,
        conclusion_text="Lanski zaključek.",
        prepared_by="Ana Novak",
        implementation_text="Vabila po e-pošti.",
    )

    texts = annual.default_texts(council=council, year=YEAR)

    assert texts["conclusion_text"] == "Lanski zaključek."
    assert texts["prepared_by"] == "Ana Novak"
    assert texts["implementation_text"] == "Vabila po e-pošti."


def test_report_create_then_plan_sessions_feed_next_years_comparison(secretary):
    """The plan of year N becomes draft sessions of N+1; next year's report compares."""
    council = CouncilFactory(slug="naslednje")
    year = timezone.localdate().year - 1
    TermFactory(council=council, start_date=D(year, 1, 1), end_date=D(year + 3, 12, 31))
    OrganisationFactory(council=council)
    report = services.report_create(council=council, by=secretary, year=year)
    PlannedSession.objects.create(report=report, number=1, month=12)
    PlannedTopic.objects.create(report=report, text="Tema")

    result = services.plan_sessions_create(report=report, by=secretary)
    created = result.created + [s for _p, _r, s in result.skipped if s]
    for session in created:
        session.status = "held"
        session.save()
    next_report = AnnualReport.objects.create(council=council, year=year + 1)

    planned = annual.report_snapshot(report=next_report)["planned"]

    assert planned["count"] == 1
    assert planned["source"] == "plan"
    held = [row for row in planned["comparison"] if row["held_on"]]
    assert len(held) == len(created)


def test_a_year_without_data_assembles_empty_parts(secretary):
    council = CouncilFactory(slug="prazen")
    report = AnnualReport.objects.create(council=council, year=2019)

    snapshot = annual.report_snapshot(report=report)

    assert snapshot["membership"] == {"members": [], "chair": None, "terms": []}
    assert snapshot["sessions"] == []
    assert snapshot["tasks"] == {"total": 0, "done": 0, "open": 0, "overdue": 0, "dropped": 0}
    assert snapshot["plan"] == {"sessions": [], "topics": [], "presentations": []}


def test_cancelled_and_draft_sessions_are_not_held(council, report):
    held_session(council, D(2023, 12, 5), 9, ["Osnutek"], status="draft")

    numbers = [s["number"] for s in annual.report_snapshot(report=report)["sessions"]]

    assert numbers == [1, 2]
