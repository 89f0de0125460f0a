"""The indicators page, the entry grid, the council's own indicators, permissions and tenancy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import Indicator, IndicatorValue

from ..factories import MunicipalityFactory
from .test_indicators_support import (  # noqa: F401
    add_values,
    joint_council_fixture,
    joint_secretary_fixture,
    municipality,
    ptuj_fixture,
    standard_fixture,
    stored,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LAST_YEAR = timezone.localdate().year - 1


def url(name: str, council, **kwargs) -> str:
    return reverse(f"councils:{name}", kwargs={"council_slug": council.slug, **kwargs})


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def cell(indicator, municipality_) -> str:
    return IndicatorValue.cell_key(indicator.pk, municipality_.pk)


# --- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "member", "mayors_office"])
def test_everyone_with_access_sees_the_charts(request, en, council, ptuj, standard, who):
    add_values(council, standard["crime_total"], ptuj, {2023: 1032, 2024: 1003, 2025: 962})
    en.force_login(request.getfixturevalue(who))

    response = en.get(url("indicator_list", council))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content
    assert "Criminal offences, total" in content
    assert '<td class="text-end">962</td>' in content
    assert ("Enter values" in content) is (who == "secretary")
    assert ("Import a CSV file" in content) is (who == "secretary")


def test_page_tab_is_in_the_council_navigation(en, council, secretary, ptuj):
    en.force_login(secretary)

    content = en.get(url("council_detail", council)).content.decode()

    assert f'href="{url("indicator_list", council)}"' in content
    assert "Safety indicators" in content


def test_page_without_values_says_so(en, council, secretary, ptuj, standard):
    en.force_login(secretary)

    response = en.get(url("indicator_list", council))

    assert "No indicator values have been entered yet." in response.content.decode()
    assert response.context["summary"].year is None


def test_page_shows_the_chosen_five_years(en, council, secretary, ptuj, standard):
    add_values(
        council, standard["crime_total"], ptuj, {y: 100 + y - 2015 for y in range(2015, 2026)}
    )
    en.force_login(secretary)

    latest = en.get(url("indicator_list", council)).context["summary"]
    earlier = en.get(url("indicator_list", council), {"year": 2020}).context["summary"]
    nonsense = en.get(url("indicator_list", council), {"year": "soon"}).context["summary"]

    assert latest.years == [2021, 2022, 2023, 2024, 2025]
    assert earlier.years == [2016, 2017, 2018, 2019, 2020]
    assert nonsense.years == latest.years


def test_joint_council_page_shows_each_municipality_and_the_total(
    en, joint_council, joint_secretary, standard
):
    sg, mislinja = municipality("Mestna občina Slovenj Gradec"), municipality("Občina Mislinja")
    add_values(joint_council, standard["crime_total"], sg, {2024: 426, 2025: 409})
    add_values(joint_council, standard["crime_total"], mislinja, {2024: 66, 2025: 61})
    en.force_login(joint_secretary)

    content = en.get(url("indicator_list", joint_council)).content.decode()

    assert "Mestna občina Slovenj Gradec</th>" in content
    assert "Občina Mislinja</th>" in content
    assert 'indicator-total">Total</th>' in content
    assert '<td class="text-end">470</td>' in content


def test_another_councils_indicators_never_appear(
    en, council, other_council, secretary, ptuj, standard
):
    elsewhere = MunicipalityFactory(name="Občina Drugje")
    other_council.municipalities.set([elsewhere])
    foreign = Indicator.objects.create(council=other_council, code="tuji", name="Tuji kazalnik")
    add_values(other_council, foreign, elsewhere, {2024: 4321, 2025: 4444})
    add_values(other_council, standard["crime_total"], elsewhere, {2024: 7777, 2025: 8888})
    add_values(council, standard["crime_total"], ptuj, {2025: 962})
    en.force_login(secretary)

    content = en.get(url("indicator_list", council)).content.decode()

    for leak in ("Tuji kazalnik", "tuji", "4444", "8888", "Občina Drugje"):
        assert leak not in content
    values_page = en.get(url("indicator_values_edit", council), {"year": 2025}).content.decode()
    assert "Tuji kazalnik" not in values_page and "8888" not in values_page


@pytest.mark.parametrize("name", ["indicator_edit", "indicator_delete"])
def test_another_councils_or_a_built_in_indicator_is_404_under_the_own_slug(
    client, council, other_council, secretary, standard, name
):
    foreign = Indicator.objects.create(council=other_council, code="tuji", name="Tuji")
    client.force_login(secretary)

    assert client.get(url(name, council, pk=foreign.pk)).status_code == 404
    assert client.post(url(name, council, pk=foreign.pk)).status_code == 404
    assert client.get(url(name, council, pk=standard["crime_total"].pk)).status_code == 404
    assert Indicator.objects.filter(pk=foreign.pk).exists()


def test_pages_of_another_council_are_404(client, other_council, secretary):
    client.force_login(secretary)

    for name in ("indicator_list", "indicator_values_edit", "indicator_import"):
        assert client.get(url(name, other_council)).status_code == 404


# --- permissions of the writes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("mayors_office", 403), ("other_secretary", 404), (None, 302)],
)
def test_only_secretary_and_chair_may_write(request, client, council, ptuj, standard, who, status):
    own = Indicator.objects.create(council=council, code="vandalizem", name="Vandalizem")
    if who:
        client.force_login(request.getfixturevalue(who))
    posts = {
        url("indicator_values_edit", council) + "?year=2025": {
            cell(standard["crime_total"], ptuj): "5"
        },
        url("indicator_import", council): {},
        url("indicator_create", council): {"name": "X", "category": "other", "decimals": 0},
        url("indicator_edit", council, pk=own.pk): {"name": "Y", "code": "y"},
        url("indicator_delete", council, pk=own.pk): {},
    }
    for target, data in posts.items():
        response = client.post(target, data)
        assert response.status_code == status, target
    assert IndicatorValue.objects.count() == 0
    assert Indicator.objects.get(pk=own.pk).name == "Vandalizem"


def test_chair_may_enter_values(client, council, chair, ptuj, standard):
    client.force_login(chair)

    response = client.post(
        url("indicator_values_edit", council) + "?year=2025",
        {cell(standard["crime_total"], ptuj): "962"},
    )

    assert response.status_code == 302
    assert stored(council) == {("crime_total", "Mestna občina Ptuj", 2025): Decimal(962)}


# --- the entry grid ---------------------------------------------------------------------


def test_grid_shows_the_years_values_and_last_years_for_comparison(
    client, council, secretary, ptuj, standard
):
    add_values(council, standard["crime_clearance_rate"], ptuj, {2024: "55.6", 2025: "57.2"})
    client.force_login(secretary)

    slovenian = client.get(url("indicator_values_edit", council), {"year": 2025})
    client.cookies["django_language"] = "en"
    english = client.get(url("indicator_values_edit", council), {"year": 2025})

    key = cell(standard["crime_clearance_rate"], ptuj)
    assert f'name="{key}" id="id_{key}" value="57,2"' in slovenian.content.decode()
    assert f'name="{key}" id="id_{key}" value="57.2"' in english.content.decode()
    assert "2024: 55.6" in english.content.decode()
    assert english.context["year"] == 2025


def test_grid_defaults_to_last_year_and_says_when_the_year_is_wrong(
    en, council, secretary, ptuj, standard
):
    en.force_login(secretary)

    default = en.get(url("indicator_values_edit", council))
    wrong = en.get(url("indicator_values_edit", council), {"year": 1900})

    assert default.context["year"] == LAST_YEAR
    assert wrong.context["year"] == LAST_YEAR
    assert "Choose a year between 1990 and" in wrong.content.decode()


def test_grid_saves_creates_changes_and_removes(en, council, secretary, ptuj, standard):
    add_values(council, standard["crime_total"], ptuj, {2025: 900})
    add_values(council, standard["crime_property"], ptuj, {2025: 500})
    add_values(council, standard["traffic_fatal"], ptuj, {2025: 2})
    en.force_login(secretary)

    response = en.post(
        url("indicator_values_edit", council) + "?year=2025",
        {
            cell(standard["crime_total"], ptuj): "962",  # changed
            cell(standard["crime_property"], ptuj): "500",  # unchanged
            cell(standard["crime_clearance_rate"], ptuj): "57,2",  # new, decimal comma
            cell(standard["public_order_offences"], ptuj): " 1 024 ",  # new, grouped
            cell(standard["traffic_fatal"], ptuj): "",  # emptied: removed
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("indicator_list", council) + "?year=2025"
    assert stored(council) == {
        ("crime_total", "Mestna občina Ptuj", 2025): Decimal(962),
        ("crime_property", "Mestna občina Ptuj", 2025): Decimal(500),
        ("crime_clearance_rate", "Mestna občina Ptuj", 2025): Decimal("57.2"),
        ("public_order_offences", "Mestna občina Ptuj", 2025): Decimal(1024),
    }
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Year 2025: 3 values saved, 1 value removed, 1 unchanged."
    ]
    total = IndicatorValue.objects.get(indicator=standard["crime_total"])
    assert [h.history_user for h in total.history.order_by("history_date")] == [None, secretary]
    unchanged = IndicatorValue.objects.get(indicator=standard["crime_property"])
    assert unchanged.history.count() == 1  # not written again


def test_grid_errors_stay_next_to_their_cells_keep_the_input_and_save_nothing(
    en, joint_council, joint_secretary, standard
):
    sg, mislinja = municipality("Mestna občina Slovenj Gradec"), municipality("Občina Mislinja")
    add_values(joint_council, standard["crime_total"], sg, {2025: 400})
    en.force_login(joint_secretary)
    data = {
        cell(standard["crime_total"], sg): "409",  # valid, but must not be saved
        cell(standard["crime_total"], mislinja): "61",
        cell(standard["crime_property"], sg): "dvesto",
        cell(standard["crime_property"], mislinja): "-3",
        cell(standard["crime_clearance_rate"], sg): "101",
        cell(standard["traffic_fatal"], mislinja): "1,5",
    }

    response = en.post(url("indicator_values_edit", joint_council) + "?year=2025", data)

    assert response.status_code == 200
    assert stored(joint_council) == {
        ("crime_total", "Mestna občina Slovenj Gradec", 2025): Decimal(400)
    }
    form = response.context["form"]
    assert form.errors == {
        cell(standard["crime_property"], sg): ["Enter a number, e.g. 12 or 12,5."],
        cell(standard["crime_property"], mislinja): ["The value cannot be negative."],
        cell(standard["crime_clearance_rate"], sg): ["A percentage must lie between 0 and 100."],
        cell(standard["traffic_fatal"], mislinja): ["Enter a whole number."],
    }
    content = response.content.decode()
    assert "4 cells are not valid; nothing was saved." in content
    for key, typed in data.items():
        assert f'name="{key}" id="id_{key}" value="{typed}"' in content
    bad = cell(standard["crime_property"], sg)
    assert f'aria-describedby="id_{bad}-previous id_{bad}-error"' in content
    assert f'id="id_{bad}-error">Enter a number, e.g. 12 or 12,5.</div>' in content


def test_service_error_is_shown_at_the_cell_and_nothing_is_saved(
    council, ptuj, standard, secretary
):
    elsewhere = MunicipalityFactory(name="Občina Drugje")

    with pytest.raises(ValidationError) as caught:
        services.indicator_values_save(
            council=council,
            by=secretary,
            changes=[
                services.ValueChange(standard["crime_total"], ptuj.pk, 2025, Decimal(5)),
                services.ValueChange(standard["crime_total"], elsewhere.pk, 2025, Decimal(5)),
            ],
        )

    assert caught.value.message_dict == {
        cell(standard["crime_total"], elsewhere): [
            "Choose one of the council's founding municipalities."
        ]
    }
    assert IndicatorValue.objects.count() == 0


# --- the council's own indicators -------------------------------------------------------


def test_own_indicator_is_created_with_a_code_from_its_name(en, council, secretary, ptuj):
    en.force_login(secretary)

    response = en.post(
        url("indicator_create", council),
        {
            "name": "Vandalizem in grafiti",
            "code": "",
            "unit": "",
            "category": "public_order",
            "decimals": "0",
            "aggregation": "sum",
            "description": "Prijave poškodovanja javnih površin.",
        },
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get(council=council)
    assert (indicator.code, indicator.name, indicator.category) == (
        "vandalizem_in_grafiti",
        "Vandalizem in grafiti",
        "public_order",
    )
    assert indicator.history.get().history_user == secretary
    grid = en.get(url("indicator_values_edit", council)).content.decode()
    assert "Vandalizem in grafiti" in grid


def test_own_indicator_cannot_use_a_built_in_code(en, council, secretary, standard):
    en.force_login(secretary)

    response = en.post(
        url("indicator_create", council),
        {
            "name": "Kriminal",
            "code": "crime_total",
            "category": "crime",
            "decimals": "0",
            "aggregation": "sum",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["This code belongs to a built-in indicator; choose another one."]
    }
    assert not Indicator.objects.filter(council=council).exists()


def test_own_indicator_edit_and_delete_with_its_values(en, council, secretary, ptuj):
    own = Indicator.objects.create(council=council, code="vandalizem", name="Vandalizem")
    add_values(council, own, ptuj, {2024: 12, 2025: 14})
    en.force_login(secretary)

    edited = en.post(
        url("indicator_edit", council, pk=own.pk),
        {
            "name": "Vandalizem (prijave)",
            "code": "vandalizem",
            "category": "other",
            "decimals": "0",
            "aggregation": "sum",
            "unit": "",
            "description": "",
        },
    )
    confirm = en.get(url("indicator_delete", council, pk=own.pk))
    deleted = en.post(url("indicator_delete", council, pk=own.pk), {})

    assert edited.status_code == 302
    assert "and its 2 values will be deleted" in confirm.content.decode()
    assert deleted.status_code == 302
    assert not Indicator.objects.filter(pk=own.pk).exists()
    assert IndicatorValue.objects.count() == 0
    assert IndicatorValue.history.filter(history_type="-").count() == 2


# --- query counts -----------------------------------------------------------------------


@pytest.mark.parametrize("year_count", [1, 3])
def test_indicator_page_query_count(
    client, django_assert_num_queries, council, secretary, ptuj, standard, year_count
):
    for year in range(2025 - year_count + 1, 2026):
        for indicator in standard.values():
            add_values(council, indicator, ptuj, {year: 10 + year - 2020})
    client.force_login(secretary)
    client.get(reverse("dashboard"))

    with django_assert_num_queries(8):
        response = client.get(url("indicator_list", council))

    summary = response.context["summary"]
    assert len(summary.with_data) == len(standard)
    assert sum(v is not None for v in summary.with_data[0].headline.values) == year_count
