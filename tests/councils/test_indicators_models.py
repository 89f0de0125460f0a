"""Safety indicators: the built-in ones, a council's own, and the validation of a value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.models import (
    STANDARD_INDICATORS,
    Indicator,
    IndicatorValue,
    standard_indicators_ensure,
)

from ..factories import MunicipalityFactory
from .test_indicators_support import ptuj_fixture, standard_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def value_errors(**fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        IndicatorValue(**fields).full_clean()
    return caught.value.message_dict


def test_standard_indicators_exist_after_migrate_with_stable_codes(standard):
    assert list(standard) == [s.code for s in STANDARD_INDICATORS]
    assert set(standard) == {
        "crime_total",
        "crime_property",
        "crime_domestic_violence",
        "crime_clearance_rate",
        "public_order_offences",
        "traffic_fatal",
        "traffic_serious_injury",
        "traffic_minor_injury",
        "traffic_property_damage",
    }
    assert all(i.council_id is None for i in standard.values())
    assert standard["crime_clearance_rate"].unit == "%"
    assert standard["crime_clearance_rate"].decimals == 1


def test_standard_indicators_ensure_is_idempotent_and_repairs(standard):
    assert standard_indicators_ensure() == 0
    Indicator.objects.filter(code="crime_total").update(name="changed", position=999)
    Indicator.objects.filter(code="traffic_fatal").delete()

    assert standard_indicators_ensure() == 2

    assert Indicator.objects.get(code="crime_total").name == "Criminal offences, total"
    assert Indicator.objects.standard().count() == len(STANDARD_INDICATORS)


def test_standard_indicator_label_is_translated(standard):
    from django.utils import translation

    indicator = standard["crime_total"]
    with translation.override("sl"):
        slovenian = str(indicator.label)
    assert str(indicator.label) == "Criminal offences, total"
    assert indicator.name == "Criminal offences, total"  # stored in English
    assert slovenian  # whatever the catalogue says, it comes from the translation


def test_own_indicator_cannot_take_a_built_in_code(council, standard):
    indicator = Indicator(council=council, code="crime_total", name="Kriminal")

    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()

    assert caught.value.message_dict["code"] == [
        "This code belongs to a built-in indicator; choose another one."
    ]


def test_own_indicator_code_is_unique_per_council(council, other_council):
    Indicator.objects.create(council=council, code="vandalism", name="Vandalism")
    Indicator.objects.create(council=other_council, code="vandalism", name="Vandalism")

    with pytest.raises(ValidationError) as caught:
        Indicator(council=council, code="vandalism", name="Again").full_clean()

    assert caught.value.messages == ["This council already has an indicator with this code."]


@pytest.mark.parametrize("code", ["Vandalism", "vandal-ism", "1st", "vandalizem č", ""])
def test_own_indicator_code_format(council, code):
    with pytest.raises(ValidationError) as caught:
        Indicator(council=council, code=code, name="Vandalism").full_clean()

    assert "code" in caught.value.message_dict


def test_indicators_available_to_a_council_exclude_other_councils(council, other_council, standard):
    own = Indicator.objects.create(council=council, code="vandalism", name="Vandalism")
    Indicator.objects.create(council=other_council, code="graffiti", name="Graffiti")

    available = set(Indicator.objects.available_to(council))

    assert available == set(standard.values()) | {own}


def test_valid_value_passes(council, ptuj, standard):
    IndicatorValue(
        council=council, indicator=standard["crime_total"], municipality=ptuj, year=2024, value=958
    ).full_clean()


def test_value_cannot_be_negative(council, ptuj, standard):
    errors = value_errors(
        council=council, indicator=standard["crime_total"], municipality=ptuj, year=2024, value=-1
    )

    assert "value" in errors


def test_percentage_must_lie_between_0_and_100(council, ptuj, standard):
    errors = value_errors(
        council=council,
        indicator=standard["crime_clearance_rate"],
        municipality=ptuj,
        year=2024,
        value=Decimal("100.5"),
    )

    assert errors == {"value": ["A percentage must lie between 0 and 100."]}


def test_count_must_be_a_whole_number(council, ptuj, standard):
    errors = value_errors(
        council=council,
        indicator=standard["crime_total"],
        municipality=ptuj,
        year=2024,
        value=Decimal("12.5"),
    )

    assert errors == {"value": ["Enter a whole number."]}


def test_clearance_rate_accepts_one_decimal_place(council, ptuj, standard):
    IndicatorValue(
        council=council,
        indicator=standard["crime_clearance_rate"],
        municipality=ptuj,
        year=2024,
        value=Decimal("57.3"),
    ).full_clean()
    assert standard["crime_clearance_rate"].check_value(Decimal("57.25")) == (
        "Enter at most 1 decimal place."
    )


@pytest.mark.parametrize("year", [1989, timezone.localdate().year + 2])
def test_year_must_lie_between_1990_and_next_year(council, ptuj, standard, year):
    errors = value_errors(
        council=council, indicator=standard["crime_total"], municipality=ptuj, year=year, value=1
    )

    assert errors["year"] == [f"Enter a year between 1990 and {timezone.localdate().year + 1}."]


def test_next_year_is_allowed(council, ptuj, standard):
    IndicatorValue(
        council=council,
        indicator=standard["crime_total"],
        municipality=ptuj,
        year=timezone.localdate().year + 1,
        value=1,
    ).full_clean()


def test_municipality_must_found_the_council(council, ptuj, standard):
    elsewhere = MunicipalityFactory(name="Občina Drugje")

    errors = value_errors(
        council=council,
        indicator=standard["crime_total"],
        municipality=elsewhere,
        year=2024,
        value=1,
    )

    assert errors == {"municipality": ["Choose one of the council's founding municipalities."]}


def test_indicator_of_another_council_is_refused(council, other_council, ptuj):
    foreign = Indicator.objects.create(council=other_council, code="graffiti", name="Graffiti")

    errors = value_errors(council=council, indicator=foreign, municipality=ptuj, year=2024, value=1)

    assert errors == {"indicator": ["Choose one of this council's records."]}


def test_one_value_per_council_indicator_municipality_and_year(council, ptuj, standard):
    fields = {
        "council": council,
        "indicator": standard["crime_total"],
        "municipality": ptuj,
        "year": 2024,
    }
    IndicatorValue.objects.create(value=958, **fields)

    errors = value_errors(value=960, **fields)
    assert errors["__all__"] == [
        "This indicator already has a value for this municipality and year."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(value=960, **fields)


def test_database_refuses_negative_values_and_early_years(council, ptuj, standard):
    fields = {"council": council, "indicator": standard["crime_total"], "municipality": ptuj}
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(year=2024, value=-5, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(year=1980, value=5, **fields)


def test_changes_are_kept_in_the_history(council, ptuj, standard):
    value = IndicatorValue.objects.create(
        council=council, indicator=standard["crime_total"], municipality=ptuj, year=2024, value=958
    )
    value.value = 962
    value.save()

    assert [h.value for h in value.history.order_by("history_date")] == [958, 962]


def test_another_councils_values_are_not_listed(council, other_council, ptuj, standard):
    other_municipality = MunicipalityFactory(name="Občina Drugje")
    other_council.municipalities.set([other_municipality])
    IndicatorValue.objects.create(
        council=other_council,
        indicator=standard["crime_total"],
        municipality=other_municipality,
        year=2024,
        value=5,
    )
    mine = IndicatorValue.objects.create(
        council=council, indicator=standard["crime_total"], municipality=ptuj, year=2024, value=9
    )

    assert list(IndicatorValue.objects.for_council(council)) == [mine]
