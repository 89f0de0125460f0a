"""The change against the previous year, the five-year trend, joint totals and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from councils import charts, selectors
from councils.models import Indicator
from councils.selectors import Trend, change_against_previous, indicator_summary, trend_of

from .test_indicators_support import (  # noqa: F401
    add_values,
    joint_council_fixture,
    municipality,
    ptuj_fixture,
    standard_fixture,
)

pytestmark = pytest.mark.usefixtures("english")

SVG = "{http://www.w3.org/2000/svg}"
YEARS = [2021, 2022, 2023, 2024, 2025]
PTUJ = (947, 968, 1032, 1003, 962)


def d(*values):
    return [None if v is None else Decimal(str(v)) for v in values]


# --- change and trend (pure functions) ---------------------------------------------------


def test_change_against_previous_year_absolute_and_percent():
    change = change_against_previous(d(947, 968, 1032, 1003, 962), YEARS)

    assert (change.year, change.previous_year) == (2025, 2024)
    assert change.absolute == Decimal(-41)
    assert change.percent == Decimal("-4.1")  # -41 / 1003 = -4.0877 %
    assert change.direction == "down"


def test_change_is_none_without_both_years_and_percent_none_after_zero():
    assert change_against_previous(d(1, 2, 3, None, 5), YEARS) is None
    assert change_against_previous(d(1, 2, 3, 4, None), YEARS) is None
    change = change_against_previous(d(1, 2, 3, 0, 2), YEARS)
    assert (change.absolute, change.percent) == (Decimal(2), None)


@pytest.mark.parametrize(
    ("values", "direction", "slope"),
    [
        ((100, 110, 120, 130, 140), Trend.RISING, "10.00"),
        ((140, 130, 120, 110, 100), Trend.FALLING, "-10.00"),
        ((100, 101, 100, 101, 100), Trend.STABLE, "0.00"),
        # 2 a year on an average of 104 is 1.9 %: under the 2 % threshold → stable
        ((100, 102, 104, 106, 108), Trend.STABLE, "2.00"),
        # 3 a year on an average of 106 is 2.8 % → rising
        ((100, 103, 106, 109, 112), Trend.RISING, "3.00"),
        # the Ptuj series of the demo: Σ(x−x̄)(y−ȳ) = 49, Σ(x−x̄)² = 10
        ((947, 968, 1032, 995, 958), Trend.STABLE, "4.90"),
        ((58, 49, 55, 47, 44), Trend.FALLING, "-3.00"),
        ((0, 0, 0, 0, 0), Trend.STABLE, "0.00"),
    ],
)
def test_trend_is_the_least_squares_slope(values, direction, slope):
    trend = trend_of(d(*values), YEARS)

    assert (trend.direction, trend.slope) == (direction, Decimal(slope))
    assert trend.points == 5


def test_trend_skips_missing_years_and_needs_three_points():
    trend = trend_of(d(100, None, 120, None, 140), YEARS)
    assert (trend.slope, trend.points, trend.direction) == (Decimal("10.00"), 3, Trend.RISING)
    assert trend.value_at(2021) == Decimal(100)
    assert trend.value_at(2025) == Decimal(140)

    assert trend_of(d(None, None, None, 1, 2), YEARS) is None


def test_trend_label_is_translated():
    with translation.override("en"):
        assert trend_of(d(1, 2, 3, 4, 5), YEARS).label == "rising"


# --- indicator_summary ------------------------------------------------------------------


@pytest.mark.django_db
def test_summary_of_a_council_without_values(council, ptuj, standard):
    summary = indicator_summary(council=council)

    assert (summary.year, summary.years, summary.available_years) == (None, [], [])
    assert summary.with_data == []
    assert len(summary.without_data) == len(standard)
    assert summary.categories == []


@pytest.mark.django_db
def test_summary_of_one_municipality(council, ptuj, standard):
    add_values(
        council,
        standard["crime_total"],
        ptuj,
        {2019: 1086, 2020: 1004, 2021: 947, 2022: 968, 2023: 1032, 2024: 1003, 2025: 962},
    )
    add_values(council, standard["crime_property"], ptuj, {2024: 600, 2025: 558})

    summary = indicator_summary(council=council)

    assert summary.year == 2025
    assert summary.years == YEARS
    assert summary.available_years == [2025, 2024, 2023, 2022, 2021, 2020, 2019]
    assert summary.municipalities == [(ptuj.pk, "Mestna občina Ptuj")]
    assert [i.code for i in summary.with_data] == ["crime_total", "crime_property"]
    crime = summary.with_data[0]
    assert [s.label for s in crime.series] == ["Mestna občina Ptuj"]  # no total of one
    assert crime.headline is crime.series[0]
    assert crime.headline.values == d(947, 968, 1032, 1003, 962)
    assert crime.headline.change.absolute == Decimal(-41)
    # Σ(x−x̄)(y−ȳ) = −2·947 − 968 + 1003 + 2·962 = 65; Σ(x−x̄)² = 10
    assert crime.headline.trend.slope == Decimal("6.50")
    assert crime.rows[0] == {"year": 2021, "values": [Decimal(947)]}
    property_crime = summary.with_data[1]
    assert property_crime.share == Decimal("58.0")  # 558 / 962
    assert property_crime.headline.trend is None  # two years only


@pytest.mark.django_db
def test_summary_of_an_earlier_window(council, ptuj, standard):
    add_values(council, standard["crime_total"], ptuj, {2019: 10, 2020: 20, 2025: 30})

    summary = indicator_summary(council=council, year=2021, years=3)

    assert summary.years == [2019, 2020, 2021]
    assert summary.with_data[0].headline.values == d(10, 20, None)


@pytest.mark.django_db
def test_joint_council_shows_each_municipality_and_the_total(joint_council, standard):
    sg, mislinja = municipality("Mestna občina Slovenj Gradec"), municipality("Občina Mislinja")
    add_values(joint_council, standard["crime_total"], sg, {2024: 426, 2025: 409})
    add_values(joint_council, standard["crime_total"], mislinja, {2024: 66, 2025: 61})
    add_values(joint_council, standard["crime_clearance_rate"], sg, {2024: "59.9", 2025: "62.1"})
    add_values(
        joint_council, standard["crime_clearance_rate"], mislinja, {2024: "65.2", 2025: "67.2"}
    )
    add_values(joint_council, standard["traffic_fatal"], sg, {2024: 1, 2025: 1})  # Mislinja: none

    summary = indicator_summary(council=joint_council)

    crime, clearance, fatal = summary.with_data
    assert [s.label for s in crime.series] == [
        "Mestna občina Slovenj Gradec",
        "Občina Mislinja",
        "Total",
    ]
    total = crime.series[-1]
    assert total.is_total and crime.headline is total
    assert total.values[-2:] == d(492, 470)
    assert total.change.absolute == Decimal(-22)
    # The clearance rate of the total is weighted by the criminal offences of each:
    # (62.1 · 409 + 67.2 · 61) / 470 = 62.76
    assert clearance.headline.values[-1] == Decimal("62.8")
    # No total where a municipality has no value.
    assert fatal.headline.values[-2:] == [None, None]


@pytest.mark.django_db
def test_summary_never_contains_another_councils_data(council, other_council, ptuj, standard):
    from ..factories import MunicipalityFactory

    elsewhere = MunicipalityFactory(name="Občina Drugje")
    other_council.municipalities.set([elsewhere])
    foreign = Indicator.objects.create(council=other_council, code="graffiti", name="Grafiti")
    add_values(other_council, foreign, elsewhere, {2025: 7})
    add_values(other_council, standard["crime_total"], elsewhere, {2025: 99})

    summary = indicator_summary(council=council)

    assert summary.year is None
    assert "graffiti" not in [i.code for i in summary.indicators]


@pytest.mark.django_db
def test_summary_runs_three_queries(django_assert_num_queries, council, ptuj, standard):
    add_values(council, standard["crime_total"], ptuj, {2023: 1, 2024: 2, 2025: 3})
    with django_assert_num_queries(3):
        summary = indicator_summary(council=council)
        assert summary.with_data[0].chart_svg  # rendering the charts queries nothing


# --- the SVG chart ----------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_line_chart_is_well_formed_accessible_svg():
    svg = charts.line_chart(
        chart_id="chart-test",
        title="Criminal offences, 2021–2025",
        description="Ptuj: 947, 968, 1032, 1003, 962.",
        x_labels=[str(y) for y in YEARS],
        lines=[
            charts.ChartLine("Mestna občina Slovenj Gradec", d(402, 415, 447, 426, 409)),
            charts.ChartLine("Občina Mislinja", d(64, None, 83, 66, 61)),
            charts.ChartLine("Total", d(466, None, 530, 492, 470), emphasis=True),
        ],
        trend=charts.TrendLine("Trend", 480, 490),
    )

    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert root.find(f"{SVG}title").text == "Criminal offences, 2021–2025"
    assert root.find(f"{SVG}title").get("id") == "chart-test-title"
    assert root.find(f"{SVG}desc").get("id") == "chart-test-desc"
    assert all("style" not in element.attrib for element in root.iter())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2021", "2025", "Občina Mislinja", "Total", "Trend"} <= set(texts)
    # The total is labelled with its values (each under a white halo: twice).
    assert texts.count("530") == 2 and texts.count("466") == 2
    # The gap in 2022 breaks the lines: 2021 stands alone (a marker, no line).
    assert len(root.findall(f".//{SVG}polyline")) == 3
    assert [p.get("points").count(",") for p in root.iter(f"{SVG}polyline")] == [5, 3, 3]


def test_chart_escapes_text_a_council_typed():
    name = 'Vandalizem <script>alert("x")</script> & co'
    svg = charts.line_chart(
        chart_id="chart-x",
        title=name,
        description=name,
        x_labels=["2024", "2025"],
        lines=[charts.ChartLine(name, d(1, 2), emphasis=True)],
    )

    root = parse(svg)
    assert root.find(f"{SVG}title").text == name
    assert "<script>" not in svg


@pytest.mark.parametrize(
    ("minimum", "maximum", "whole", "fixed", "expected"),
    [
        (947, 1032, True, None, (800, 1050, 50)),  # far from zero: the axis starts near the data
        (61, 530, True, None, (0, 600, 200)),  # close to zero: from zero
        (1, 4, True, None, (0, 4, 1)),  # counts: whole steps
        (0, 0, True, None, (0, 4, 1)),
        (53.9, 59.1, False, 100, (45, 60, 5)),
        (80, 99.5, False, 100, (70, 100, 10)),  # percentages end at 100
    ],
)
def test_value_axis(minimum, maximum, whole, fixed, expected):
    assert charts.nice_scale(minimum, maximum, whole=whole, fixed_max=fixed) == expected


def test_numbers_in_the_chart_follow_the_language():
    with translation.override("sl"):
        assert charts.number(Decimal("57.25"), 1) in {"57,2", "57,3"}
        assert charts.signed(Decimal("-3.5"), 1) == "\u22123,5"
    with translation.override("en"):
        assert charts.number(Decimal("57.3"), 1) == "57.3"
        assert charts.signed(12) == "+12"


@pytest.mark.django_db
def test_indicator_chart_describes_the_series_and_trend(joint_council, standard):
    sg, mislinja = municipality("Mestna občina Slovenj Gradec"), municipality("Občina Mislinja")
    for m, values in ((sg, (402, 415, 447, 426, 409)), (mislinja, (64, 71, 83, 66, 61))):
        add_values(joint_council, standard["crime_total"], m, dict(zip(YEARS, values, strict=True)))

    with translation.override("en"):
        summary = indicator_summary(council=joint_council).with_data[0]
        root = parse(summary.chart_svg)

    assert root.find(f"{SVG}title").text == "Criminal offences, total, 2021–2025"
    desc = root.find(f"{SVG}desc").text
    assert "Občina Mislinja: 2021: 64; 2022: 71; 2023: 83; 2024: 66; 2025: 61." in desc
    assert "Total: 2021: 466;" in desc
    assert "Five-year trend: stable, +1.4 a year." in desc
    assert root.get("id") == "chart-crime_total"


@pytest.mark.django_db
def test_include_renders_chart_table_change_and_trend(council, ptuj, standard):
    add_values(council, standard["crime_total"], ptuj, dict(zip(YEARS, PTUJ, strict=True)))
    with translation.override("en"):
        html = render_to_string(
            "councils/includes/indicator_charts.html",
            {"summary": selectors.indicator_summary(council=council)},
        )

    assert 'role="img"' in html
    assert "<caption" in html and "Criminal offences, total, 2021–2025" in html
    assert "Change against 2024" in html
    assert "-41" in html and "-4.1 %" in html
    assert "Five-year trend" in html and "+6.5 a year" in html
    assert " style=" not in html


@pytest.mark.django_db
def test_include_renders_in_a_pdf(council, ptuj, standard):
    """The annual report will include the charts: WeasyPrint draws their SVG text."""
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    add_values(council, standard["crime_total"], ptuj, dict(zip(YEARS, PTUJ, strict=True)))
    with translation.override("en"):
        fragment = render_to_string(
            "councils/includes/indicator_charts.html",
            {"summary": selectors.indicator_summary(council=council)},
        )
    pdf = HTML(string=f"<html><body>{fragment}</body></html>").write_pdf()

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Trend (least squares)" in text  # the legend inside the SVG
    assert "1032" in text
