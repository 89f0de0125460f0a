"""The annual report's optional annex with the safety indicators (issue 6).

The annex reuses the indicators page's charts and tables (councils.charts,
councils/includes/indicator_charts.html); its figures are part of the snapshot, so an
adopted revision keeps them whatever is entered later.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal

import pytest

from councils.models import Indicator, IndicatorValue, standard_indicators_ensure
from councils.selectors import indicator_summary
from reports import annual, services
from reports.models import AnnualReport, ReportRevision

from ..factories import CouncilFactory, MunicipalityFactory, TermFactory
from .conftest import YEAR, adopt, pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
CRIME = {2019: 1086, 2020: 1004, 2021: 947, 2022: 968, 2023: 1032}
PROPERTY = {2019: 685, 2020: 604, 2021: 544, 2022: 570, 2023: 633}


def indicator(code: str) -> Indicator:
    standard_indicators_ensure()
    return Indicator.objects.standard().get(code=code)


def add_values(council, municipality, code: str, values: dict[int, object]) -> None:
    for year, value in values.items():
        IndicatorValue.objects.create(
            council=council,
            indicator=indicator(code),
            municipality=municipality,
            year=year,
            value=Decimal(str(value)),
        )


@pytest.fixture
def ptuj_values(council):
    """Five years of two indicators of the council's one municipality."""
    ptuj = MunicipalityFactory(name="Mestna občina Ptuj")
    council.municipalities.set([ptuj])
    add_values(council, ptuj, "crime_total", CRIME)
    add_values(council, ptuj, "crime_property", PROPERTY)
    return ptuj


@pytest.fixture
def english_council(council):
    """Assert on the document's English words (the council's language renders it)."""
    council.language = "en"
    council.save()
    return council


def html_of(report) -> str:
    snapshot = annual.report_snapshot(report=report)
    return annual.report_html(council=report.council, snapshot=snapshot, is_draft=True)


def draft_pdf(report) -> bytes:
    return annual.report_pdf(
        council=report.council, snapshot=annual.report_snapshot(report=report), is_draft=True
    )


def _with_annex(report):
    AnnualReport.objects.filter(pk=report.pk).update(include_indicators=True)
    report.refresh_from_db()
    return report


def table_rows(html: str, code: str) -> list[list[str]]:
    """The body rows of one indicator's data table: [year, value, …]."""
    article = html.split(f'id="indicator-{code}"', 1)[1].split("</article>", 1)[0]
    body = article.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>|\s+", "", cell) for cell in cells])
    return rows


# The option ------------------------------------------------------------------------------


def test_new_report_includes_the_annex_when_the_year_has_values(council, ptuj_values):
    with_values = services.report_create(council=council, by=None, year=2023)
    without_values = services.report_create(council=council, by=None, year=2018)

    assert with_values.include_indicators is True
    assert without_values.include_indicators is False


def test_editor_turns_the_annex_off_and_on(en_client, council, report, ptuj_values):
    from .test_views import editor_data, url

    response = en_client.post(url("report_edit", report), editor_data(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.include_indicators is False  # an unticked box is not posted

    en_client.post(
        url("report_edit", report), editor_data(report, **{"texts-include_indicators": "on"})
    )
    report.refresh_from_db()
    assert report.include_indicators is True
    page = en_client.get(url("report_edit", report)).content.decode()
    assert 'name="texts-include_indicators"' in page
    assert "Assembled from the indicator values 2019–2023: 2 indicators" in page


def test_editor_says_when_the_annex_has_no_values(en_client, report):
    from .test_views import url

    AnnualReport.objects.filter(pk=report.pk).update(include_indicators=True)

    page = en_client.get(url("report_edit", report)).content.decode()

    assert "No indicator values have been entered for 2019–2023" in page


# The section -------------------------------------------------------------------------------


def test_annex_present_with_charts_table_change_and_trend(english_council, report, ptuj_values):
    AnnualReport.objects.filter(pk=report.pk).update(include_indicators=True)
    report.refresh_from_db()

    snapshot = annual.report_snapshot(report=report)
    html = html_of(report)

    part = snapshot["indicators"]
    assert part["years"] == [2019, 2020, 2021, 2022, 2023]
    assert part["municipalities"] == ["Mestna občina Ptuj"]
    assert [i["code"] for i in part["indicators"]] == ["crime_total", "crime_property"]
    crime = part["indicators"][0]
    assert crime["name"] == "Criminal offences, total"
    assert [s["label"] for s in crime["series"]] == ["Mestna občina Ptuj"]
    assert crime["series"][0]["values"] == ["1086.00", "1004.00", "947.00", "968.00", "1032.00"]
    assert crime["series"][0]["change"] == {"absolute": "64.00", "percent": "6.6"}
    assert crime["series"][0]["trend"]["direction"] == "stable"
    assert part["indicators"][1]["share"] == "61.3"  # property crime: 633 of 1032

    assert 'id="annex-indicators"' in html
    assert '<a href="#annex-indicators">Annex: safety indicators</a>' in html  # contents
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'id="chart-crime_total"' in html
    assert table_rows(html, "crime_total") == [
        ["2019", "1086"],
        ["2020", "1004"],
        ["2021", "947"],
        ["2022", "968"],
        ["2023", "1032"],
    ]
    # the change against 2022 and the five-year trend, in the table's footer
    assert "Change against 2022" in html
    assert "+64" in html and "+6.6 %" in html
    assert "Five-year trend" in html
    # the headings sit under the annex's title: categories h3, indicators h4
    assert '<h3 class="h4 mt-4 mb-3" id="indicator-category-crime">Criminal offences</h3>' in html
    assert re.search(r'<h4 class="h5 card-title" id="indicator-crime_total-heading">', html)


def test_annex_is_in_the_pdf(english_council, report, ptuj_values):
    text = pdf_text(draft_pdf(_with_annex(report)))

    assert "Annex: safety indicators" in text
    assert "Criminal offences, total" in text
    assert "Property crime" in text
    assert "1086" in text and "1032" in text
    assert "Change against 2022" in text
    assert "Five-year trend" in text


def test_annex_absent_when_turned_off(english_council, report, ptuj_values):
    AnnualReport.objects.filter(pk=report.pk).update(include_indicators=False)
    report.refresh_from_db()

    snapshot = annual.report_snapshot(report=report)
    html = html_of(report)
    text = pdf_text(draft_pdf(report))

    assert snapshot["indicators"] is None
    assert "annex-indicators" not in html
    assert "<svg" not in html
    assert "Annex: safety indicators" not in text
    assert "Criminal offences, total" not in text


def test_annex_absent_without_values_in_the_five_years(english_council, report, ptuj_values):
    IndicatorValue.objects.filter(council=english_council).exclude(year=2019).delete()
    IndicatorValue.objects.filter(council=english_council).update(year=2010)
    _with_annex(report)

    assert annual.report_snapshot(report=report)["indicators"] is None
    assert "annex-indicators" not in html_of(report)


def test_annex_leaves_out_indicators_without_values_and_other_councils(
    english_council, report, ptuj_values
):
    other = CouncilFactory(slug="drugje-2")
    elsewhere = MunicipalityFactory(name="Občina Drugje")
    other.municipalities.set([elsewhere])
    add_values(other, elsewhere, "traffic_fatal", {2023: 7})
    _with_annex(report)

    part = annual.report_snapshot(report=report)["indicators"]

    assert [i["code"] for i in part["indicators"]] == ["crime_total", "crime_property"]
    assert "Občina Drugje" not in html_of(report)


def test_joint_council_shows_each_municipality_and_the_total(db):
    joint = CouncilFactory(
        name="Varnostni sosvet Slovenj Gradec in Mislinja", slug="sg-mislinja", language="en"
    )
    TermFactory(council=joint)
    sg = MunicipalityFactory(name="Mestna občina Slovenj Gradec")
    mislinja = MunicipalityFactory(name="Občina Mislinja")
    joint.municipalities.set([sg, mislinja])
    add_values(joint, sg, "crime_total", {2020: 431, 2021: 402, 2022: 415, 2023: 447})
    add_values(joint, mislinja, "crime_total", {2020: 69, 2021: 64, 2022: 71, 2023: 83})
    add_values(joint, sg, "crime_clearance_rate", {2022: "60.2", 2023: "57.8"})
    add_values(joint, mislinja, "crime_clearance_rate", {2022: "63.4", 2023: "60.2"})
    report = services.report_create(council=joint, by=None, year=YEAR)
    assert report.include_indicators is True

    part = annual.report_snapshot(report=report)["indicators"]
    html = html_of(report)
    text = pdf_text(draft_pdf(report))

    crime = part["indicators"][0]
    assert [s["label"] for s in crime["series"]] == [
        "Mestna občina Slovenj Gradec",
        "Občina Mislinja",
        "Total",
    ]
    assert crime["series"][2]["is_total"] is True
    assert crime["series"][2]["values"] == [None, "500.00", "466.00", "486.00", "530.00"]
    assert crime["series"][2]["change"] == {"absolute": "44.00", "percent": "9.1"}
    # the clearance rate's total is the mean weighted by the number of offences
    rate = part["indicators"][1]
    assert rate["code"] == "crime_clearance_rate"
    assert rate["series"][2]["values"][-1] == "58.2"  # (57.8·447 + 60.2·83) / 530
    assert 'class="report-annex report-indicators page-break report-indicators-joint"' in html
    assert table_rows(html, "crime_total")[1:] == [
        ["2020", "431", "69", "500"],
        ["2021", "402", "64", "466"],
        ["2022", "415", "71", "486"],
        ["2023", "447", "83", "530"],
    ]
    assert table_rows(html, "crime_total")[0][0] == "2019"
    assert "The total of the joint council is shown" in html
    for name in ("Mestna občina Slovenj Gradec", "Občina Mislinja", "Total", "530", "58.2"):
        assert name in text


def test_snapshot_rebuilds_the_summary_of_the_indicators_page(council, report, ptuj_values):
    """The annex draws exactly what the indicators page draws for the same years."""
    _with_annex(report)
    live = indicator_summary(council=council, year=YEAR)

    rebuilt = annual.indicator_report_from_snapshot(
        annual.report_snapshot(report=report)["indicators"]
    )

    assert rebuilt.years == live.years
    assert [i.code for i in rebuilt.indicators] == [i.code for i in live.with_data]
    for mine, theirs in zip(rebuilt.indicators, live.with_data, strict=True):
        assert [s.values for s in mine.series] == [s.values for s in theirs.series]
        assert [s.change for s in mine.series] == [s.change for s in theirs.series]
        assert [(s.trend.direction, s.trend.slope) for s in mine.series] == [
            (s.trend.direction, s.trend.slope) for s in theirs.series
        ]
        assert mine.share == theirs.share
        assert mine.chart_svg == theirs.chart_svg


# Adoption: the figures are part of the official record -------------------------------------


def test_adopted_revision_keeps_the_figures_it_was_adopted_with(
    en_client, english_council, report, ptuj_values, adoption_session
):
    from .test_views import url

    _with_annex(report)
    revision = adopt(report, adoption_session)
    stored = bytes(revision.pdf)

    assert revision.snapshot["format"] == annual.SNAPSHOT_FORMAT == 2
    assert revision.snapshot["indicators"]["indicators"][0]["series"][0]["values"][-1] == "1032.00"
    assert "1032" in pdf_text(stored)

    # The figures are corrected afterwards, and a new indicator gets values.
    IndicatorValue.objects.filter(indicator__code="crime_total", year=2023).update(value=1111)
    add_values(english_council, ptuj_values, "traffic_fatal", {2022: 2, 2023: 4})

    pdf = en_client.get(url("report_pdf", report)).content
    preview = en_client.get(url("report_preview", report)).content.decode()
    assert pdf == stored
    assert hashlib.sha256(pdf).hexdigest() == revision.sha256
    assert table_rows(preview, "crime_total")[-1] == ["2023", "1032"]
    assert "1111" not in preview
    assert "Traffic accidents with fatalities" not in preview

    # A correction shows, and adopts, the new figures; revision 1 stays as it was.
    services.report_reopen(report=report, by=None, reason="Popravljeni podatki policije")
    draft = en_client.get(url("report_preview", report)).content.decode()
    assert table_rows(draft, "crime_total")[-1] == ["2023", "1111"]
    assert "Traffic accidents with fatalities" in draft
    second = adopt(report, adoption_session)
    assert "1111" in pdf_text(bytes(second.pdf))
    first = ReportRevision.objects.get(report=report, number=1)
    assert bytes(first.pdf) == stored
    assert first.snapshot["indicators"]["indicators"][0]["series"][0]["values"][-1] == "1032.00"


def test_snapshot_without_the_annex_still_renders(english_council, report, ptuj_values):
    """Revisions adopted before the annex existed (format 1) have no ``indicators`` key."""
    _with_annex(report)
    snapshot = annual.report_snapshot(report=report)
    del snapshot["indicators"]
    snapshot["format"] = 1

    html = annual.report_html(council=report.council, snapshot=snapshot, is_draft=False)

    assert "annex-indicators" not in html
    assert "Report on the work of the safety council in 2023" in html
