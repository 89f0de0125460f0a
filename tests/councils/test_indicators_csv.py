"""The CSV import: each bad line reported, nothing imported unless every line is valid."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from councils import indicators_csv
from councils.indicators_csv import parse_indicator_csv, parse_number
from councils.models import Indicator, IndicatorValue

from ..factories import MunicipalityFactory
from .test_indicators_support import (  # noqa: F401
    add_values,
    joint_council_fixture,
    joint_secretary_fixture,
    ptuj_fixture,
    standard_fixture,
    stored,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEXT_YEAR = timezone.localdate().year + 1


def parse(council, text: str, encoding: str = "utf-8"):
    return parse_indicator_csv(council=council, data=text.encode(encoding))


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.reason) for e in result.errors]


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 024", "1024"),
        ("1\u00a0024", "1024"),
        (" 57,3 ", "57.3"),
        ("-3", "-3"),
        ("+4", "4"),
        ("1.024", "1.024"),  # a dot is a decimal point: a count then asks for a whole number
    ],
)
def test_parse_number_accepts_decimal_comma_and_point(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12,5,3", "1.024,5", "12 %", "1e3", ",5", "NaN"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- a good file ------------------------------------------------------------------------


SLOVENIAN_EXPORT = (
    "\ufeffmunicipality;indicator;indicator_name;year;value;note\r\n"
    "Mestna občina Ptuj;crime_total;Kazniva dejanja;2024;1003;\r\n"
    "Mestna občina Ptuj;crime_total;Kazniva dejanja;2025;962;letno poročilo PU Maribor\r\n"
    "Mestna občina Ptuj;crime_clearance_rate;Preiskanost;2025;57,3;\r\n"
    "mestna  občina ptuj;CRIME_PROPERTY;;2025;558;\r\n"
    "\r\n"
    "Mestna občina Ptuj;traffic_fatal;;2025;;\r\n"
)


def test_good_file_with_bom_semicolons_and_decimal_commas_is_parsed(council, ptuj, standard):
    result = parse(council, SLOVENIAN_EXPORT)

    assert result.errors == []
    assert result.delimiter == ";"
    assert result.skipped == 1  # the line without a value
    assert [
        (r.line, r.indicator.code, r.municipality, r.year, r.value, r.note) for r in result.rows
    ] == [
        (2, "crime_total", ptuj, 2024, Decimal(1003), ""),
        (3, "crime_total", ptuj, 2025, Decimal(962), "letno poročilo PU Maribor"),
        (4, "crime_clearance_rate", ptuj, 2025, Decimal("57.3"), ""),
        (5, "crime_property", ptuj, 2025, Decimal(558), ""),
    ]


def test_good_file_is_imported_through_the_page(client, council, secretary, ptuj, standard):
    add_values(council, standard["crime_total"], ptuj, {2024: 999, 2023: 1032})
    client.force_login(secretary)
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("kazalniki.csv", SLOVENIAN_EXPORT.encode(), "text/csv")

    response = client.post(
        reverse("councils:indicator_import", kwargs={"council_slug": council.slug}),
        {"file": upload},
    )

    assert response.status_code == 302
    assert stored(council) == {
        ("crime_total", "Mestna občina Ptuj", 2023): Decimal(1032),  # not in the file: kept
        ("crime_total", "Mestna občina Ptuj", 2024): Decimal(1003),  # replaced
        ("crime_total", "Mestna občina Ptuj", 2025): Decimal(962),
        ("crime_clearance_rate", "Mestna občina Ptuj", 2025): Decimal("57.3"),
        ("crime_property", "Mestna občina Ptuj", 2025): Decimal(558),
    }
    value = IndicatorValue.objects.get(indicator=standard["crime_total"], year=2025)
    assert value.note == "letno poročilo PU Maribor"
    assert value.history.get().history_user == secretary
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The file was imported: 4 values saved. 1 line without a value was skipped."
    ]


def test_comma_delimited_file_with_decimal_points_and_slovenian_columns(joint_council, standard):
    text = (
        "leto,občina,kazalnik,vrednost,opomba\n"
        "2025,Mestna občina Slovenj Gradec,crime_clearance_rate,62.1,\n"
        '2025,Občina Mislinja,crime_clearance_rate,"67,2","ocena, ni dokončno"\n'
    )

    result = parse(joint_council, text)

    assert result.errors == []
    assert result.delimiter == ","
    assert [(r.municipality.name, r.value, r.note) for r in result.rows] == [
        ("Mestna občina Slovenj Gradec", Decimal("62.1"), ""),
        ("Občina Mislinja", Decimal("67.2"), "ocena, ni dokončno"),
    ]


def test_municipality_by_official_code_and_own_indicator(council, ptuj, standard):
    Indicator.objects.create(council=council, code="vandalizem", name="Vandalizem")

    result = parse(council, "municipality;indicator;year;value\n96;vandalizem;2025;14\n")

    assert [(r.municipality, r.indicator.code, r.value) for r in result.rows] == [
        (ptuj, "vandalizem", Decimal(14))
    ]


# --- bad lines --------------------------------------------------------------------------


BAD_FILE = (
    "municipality;indicator;year;value;note\n"
    "Mestna občina Ptuj;crime_total;2025;962;\n"  # 2: valid, but nothing may be imported
    "Občina Drugje;crime_total;2025;12;\n"  # 3: unknown municipality
    "Mestna občina Ptuj;crime_everything;2025;12;\n"  # 4: unknown indicator code
    "Mestna občina Ptuj;crime_total;1989;12;\n"  # 5: year out of range
    f"Mestna občina Ptuj;crime_total;{NEXT_YEAR + 1};12;\n"  # 6: year out of range
    "Mestna občina Ptuj;crime_total;lani;12;\n"  # 7: year not a number
    "Mestna občina Ptuj;crime_total;2023;dvanajst;\n"  # 8: not a number
    "Mestna občina Ptuj;crime_total;2022;-4;\n"  # 9: negative
    "Mestna občina Ptuj;crime_clearance_rate;2025;112,5;\n"  # 10: percentage over 100
    "Mestna občina Ptuj;crime_total;2021;1.024;\n"  # 11: a count with decimals
    "Mestna občina Ptuj;crime_total;2025;970;\n"  # 12: duplicate of line 2
    ";;2020;5;\n"  # 13: municipality and indicator missing
    f"Mestna občina Ptuj;crime_total;2020;5;{'x' * 251}\n"  # 14: note too long
)


def test_each_bad_line_is_reported_with_line_column_and_reason(council, ptuj, standard):
    result = parse(council, BAD_FILE)

    assert errors_of(result) == [
        (
            3,
            "municipality",
            "Unknown municipality “Občina Drugje”; the council's founding municipalities are: "
            "Mestna občina Ptuj.",
        ),
        (4, "indicator", "Unknown indicator code “crime_everything”."),
        (5, "year", f"The year 1989 is out of range (1990–{NEXT_YEAR})."),
        (6, "year", f"The year {NEXT_YEAR + 1} is out of range (1990–{NEXT_YEAR})."),
        (7, "year", "The year “lani” is not a whole number."),
        (8, "value", "“dvanajst” is not a number."),
        (9, "value", "The value cannot be negative."),
        (10, "value", "A percentage must lie between 0 and 100."),
        (11, "value", "Enter a whole number."),
        (
            12,
            "",
            "Duplicate line: line 2 already gives crime_total for Mestna občina Ptuj in 2025.",
        ),
        (13, "municipality", "The municipality is missing."),
        (13, "indicator", "The indicator code is missing."),
        (14, "note", "The note is longer than 250 characters."),
    ]
    assert result.error_count == 13
    assert result.rows == []


def test_bad_file_imports_nothing_and_lists_every_error(client, council, secretary, ptuj, standard):
    client.force_login(secretary)
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("kazalniki.csv", BAD_FILE.encode(), "text/csv")

    response = client.post(
        reverse("councils:indicator_import", kwargs={"council_slug": council.slug}),
        {"file": upload},
    )

    assert response.status_code == 200
    assert IndicatorValue.objects.count() == 0
    content = response.content.decode()
    assert "The file has 13 errors; nothing was imported." in content
    assert "13 errors in the file" in content
    assert "Unknown indicator code “crime_everything”." in content
    assert "<td>11</td>" in content
    assert [(e.line, e.column) for e in response.context["parsed"].errors][:2] == [
        (3, "municipality"),
        (4, "indicator"),
    ]


def test_column_named_as_in_the_file(council, ptuj, standard):
    result = parse(council, "občina;kazalnik;leto;vrednost\nMestna občina Ptuj;x;2025;1\n")

    assert errors_of(result) == [(2, "kazalnik", "Unknown indicator code “x”.")]


def test_another_councils_indicator_and_municipality_are_unknown(
    council, other_council, ptuj, standard
):
    elsewhere = MunicipalityFactory(name="Občina Drugje")
    other_council.municipalities.set([elsewhere])
    Indicator.objects.create(council=other_council, code="graffiti", name="Grafiti")

    result = parse(
        council,
        "municipality;indicator;year;value\n"
        "Mestna občina Ptuj;graffiti;2025;1\n"
        "Občina Drugje;crime_total;2025;1\n",
    )

    assert [(e.line, e.column) for e in result.errors] == [
        (2, "indicator"),
        (3, "municipality"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(0, "", "The file is empty.")]),
        (
            "municipality;indicator;year;value\nMestna občina Ptuj;crime_total;2025;1\n".encode(
                "cp1250"
            ),
            [
                (
                    0,
                    "",
                    "The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (comma "
                    "delimited)”; in LibreOffice choose the character set “Unicode (UTF-8)”.",
                )
            ],
        ),
        (
            b"municipality;indicator;value\nX;crime_total;1\n",
            [(1, "year", "The header has no column “year”.")],
        ),
        (
            b"municipality;indicator;year;value;value\n",
            [(1, "value", "The column “value” appears twice.")],
        ),
        (b"municipality;indicator;year;value\n", [(0, "", "The file has a header but no lines.")]),
    ],
)
def test_whole_file_errors(council, ptuj, standard, data, expected):
    result = parse_indicator_csv(council=council, data=data)

    assert errors_of(result) == expected


def test_too_many_errors_are_counted_but_not_all_listed(council, ptuj, standard, monkeypatch):
    monkeypatch.setattr(indicators_csv, "MAX_ERRORS", 3)
    lines = "".join(f"Mestna občina Ptuj;nope;2025;{n}\n" for n in range(10))

    result = parse(council, "municipality;indicator;year;value\n" + lines)

    assert (result.error_count, len(result.errors)) == (10, 3)


# --- the template -----------------------------------------------------------------------


def test_template_has_every_municipality_and_indicator_code(
    client, joint_council, joint_secretary, standard
):
    Indicator.objects.create(council=joint_council, code="vandalizem", name="Vandalizem")
    client.force_login(joint_secretary)

    response = client.get(
        reverse("councils:indicator_import_template", kwargs={"council_slug": joint_council.slug}),
        {"year": 2025},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-slovenj-gradec-mislinja-2025.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffmunicipality;indicator;indicator_name;year;value;note\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1:]
    codes = [*standard, "vandalizem"]
    assert {(r[0], r[1]) for r in rows} == {
        (m, c) for m in ("Mestna občina Slovenj Gradec", "Občina Mislinja") for c in codes
    }
    assert {r[3] for r in rows} == {"2025"} and {r[4] for r in rows} == {""}


def test_filled_in_template_imports(joint_council, standard):
    text = indicators_csv.template_csv(
        council=joint_council,
        year=2025,
        indicators=list(Indicator.objects.available_to(joint_council)),
    )
    filled = text.replace(";crime_total;Criminal offences, total;2025;;", ";crime_total;x;2025;7;")

    result = parse_indicator_csv(council=joint_council, data=filled.encode("utf-8"))

    assert result.errors == []
    assert [(r.municipality.name, r.value) for r in result.rows] == [
        ("Mestna občina Slovenj Gradec", Decimal(7)),
        ("Občina Mislinja", Decimal(7)),
    ]
    assert result.skipped == 2 * len(standard) - 2


def test_import_page_documents_the_columns(client, council, secretary, ptuj, standard):
    client.force_login(secretary)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("councils:indicator_import", kwargs={"council_slug": council.slug})
    )

    content = response.content.decode()
    for column in ("municipality", "indicator", "year", "value", "note"):
        assert f"<code>{column}</code>" in content
    for code in standard:
        assert f"<code>{code}</code>" in content
    assert "Mestna občina Ptuj" in content
    assert reverse("councils:indicator_import_template", kwargs={"council_slug": "ptuj"}) in content


def test_template_does_not_let_a_spreadsheet_run_a_typed_formula(council, ptuj, standard):
    Indicator.objects.create(council=council, code="trick", name='=HYPERLINK("http://x")')

    text = indicators_csv.template_csv(
        council=council, year=2025, indicators=list(Indicator.objects.available_to(council))
    )

    assert ';trick;"\'=HYPERLINK(""http://x"")";2025;;' in text
