"""The report pages run the same number of queries for 1 and for 3 items."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from councils.models import Indicator, IndicatorValue, standard_indicators_ensure
from reports.models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision
from sessions.models import AgendaItem, Conclusion, Task

from ..factories import MunicipalityFactory, OrganisationFactory
from .conftest import add_members, held_session

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def signed_in(client, secretary):
    client.force_login(secretary)
    # Warm up the session so that the count below is the steady state of a page view.
    client.get(reverse("dashboard"))
    return client


def adopted_report(council, year: int, revisions: int) -> AnnualReport:
    session = held_session(council, D(year + 1, 3, 1), 10 + year % 10)
    report = AnnualReport.objects.create(
        council=council,
        year=year,
        status="adopted",
        adopted_on=session.date,
        adopted_at_session=session,
    )
    for number in range(1, revisions + 1):
        pdf = f"%PDF-1.7 {year} {number}".encode()
        ReportRevision.objects.create(
            report=report,
            number=number,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            snapshot={},
            language="sl",
            adopted_on=session.date,
            adopted_at_session=session,
        )
    return report


def indicator_years(council, item_count: int) -> None:
    """Values of two indicators in two municipalities for ``item_count`` years to 2023."""
    standard_indicators_ensure()
    municipalities = [MunicipalityFactory(name=f"Občina {n}") for n in (1, 2)]
    council.municipalities.set(municipalities)
    for code in ("crime_total", "crime_property"):
        indicator = Indicator.objects.standard().get(code=code)
        for municipality in municipalities:
            for year in range(2024 - item_count, 2024):
                IndicatorValue.objects.create(
                    council=council,
                    indicator=indicator,
                    municipality=municipality,
                    year=year,
                    value=Decimal(100 + year % 10),
                )


def year_of_work(council, item_count: int) -> AnnualReport:
    """``item_count`` members, sessions (with topics, conclusions, tasks) and plan rows,
    and indicator values for ``item_count`` years (the annex)."""
    indicator_years(council, item_count)
    organisation = OrganisationFactory(council=council, name="Policijska postaja")
    add_members(council, item_count, organisation=organisation)
    for n in range(1, item_count + 1):
        session = held_session(council, D(2023, n + 1, 10), n, [f"Tema {n}", f"Tema {n}b"])
        AgendaItem.objects.create(
            session=session, position=9, title="Zapisnik", standing="minutes_approval"
        )
        conclusion = Conclusion.objects.create(council=council, session=session, number=1, text="S")
        Task.objects.create(council=council, conclusion=conclusion, title="N")
    report = AnnualReport.objects.create(council=council, year=2023, intro_text="Uvod")
    for n in range(1, item_count + 1):
        PlannedSession.objects.create(report=report, number=n + 3, month=n + 2)
        PlannedTopic.objects.create(report=report, text=f"Tema {n}", month=n)
        PlannedTopic.objects.create(
            report=report, kind="presentation", organisation=organisation, text=f"Projekt {n}"
        )
    previous = AnnualReport.objects.create(council=council, year=2022)
    for n in range(1, item_count + 1):
        PlannedSession.objects.create(report=previous, number=n, month=n + 1)
    return report


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_list_query_count(signed_in, django_assert_num_queries, council, item_count):
    for n in range(item_count):
        adopted_report(council, 2015 + n, revisions=n + 1)
    url = reverse("reports:report_list", kwargs={"council_slug": council.slug})

    with django_assert_num_queries(7):
        response = signed_in.get(url)

    assert len(response.context["reports"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_detail_query_count(signed_in, django_assert_num_queries, council, item_count):
    report = adopted_report(council, 2020, revisions=item_count)
    url = reverse("reports:report_detail", kwargs={"council_slug": council.slug, "year": 2020})

    with django_assert_num_queries(11):
        response = signed_in.get(url)

    assert len(response.context["revisions"]) == item_count
    assert response.context["report"] == report


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_editor_query_count(signed_in, django_assert_num_queries, council, item_count):
    year_of_work(council, item_count)
    url = reverse("reports:report_edit", kwargs={"council_slug": council.slug, "year": 2023})

    with django_assert_num_queries(24):
        response = signed_in.get(url)

    doc = response.context["doc"]
    assert (doc["member_count"], doc["held_count"]) == (item_count, item_count)
    assert [i.code for i in doc["indicators"].indicators] == ["crime_total", "crime_property"]
    assert len(doc["indicators"].indicators[0].series) == 3  # two municipalities, the total
    assert len(response.context["topic_formset"].initial_forms) == 2 * item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_preview_query_count(signed_in, django_assert_num_queries, council, item_count):
    year_of_work(council, item_count)
    url = reverse("reports:report_preview", kwargs={"council_slug": council.slug, "year": 2023})

    with django_assert_num_queries(19):
        response = signed_in.get(url)

    html = response.content.decode()
    assert html.count("Tema ") >= 2 * item_count
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # the annex's charts
