"""The demo indicators (``load_demo``): realistic, idempotent, no history on a second run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from councils import selectors
from councils.demo import load_demo
from councils.demo.indicators import load_indicators_demo
from councils.models import Council, Indicator, IndicatorValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def demo(db):
    load_demo()  # the councils, then load_indicators_demo() at its end
    return {c.slug: c for c in Council.objects.all()}


def test_demo_values_for_ptuj_and_slovenj_gradec_mislinja_2019_to_2025(demo):
    ptuj, joint = demo["ptuj"], demo["slovenj-gradec-mislinja"]

    assert IndicatorValue.objects.for_council(ptuj).count() == 9 * 7 + 5
    assert IndicatorValue.objects.for_council(joint).count() == 9 * 7 * 2
    assert set(IndicatorValue.objects.values_list("year", flat=True)) == set(range(2019, 2026))
    assert not IndicatorValue.objects.exclude(council__in=[ptuj, joint]).exists()
    assert Indicator.objects.for_council(ptuj).get().code == "redarstvo_parkiranje"


def test_demo_figures_are_of_a_realistic_size(demo):
    summary = selectors.indicator_summary(council=demo["ptuj"])
    by_code = {i.code: i for i in summary.indicators}

    assert summary.years == [2021, 2022, 2023, 2024, 2025]
    crime = by_code["crime_total"].headline.values
    assert all(900 <= v <= 1100 for v in crime)
    assert Decimal(55) <= by_code["crime_property"].share <= Decimal(65)
    assert all(50 <= v <= 65 for v in by_code["crime_clearance_rate"].headline.values)


def test_demo_joint_council_has_a_total(demo):
    summary = selectors.indicator_summary(council=demo["slovenj-gradec-mislinja"])
    crime = next(i for i in summary.indicators if i.code == "crime_total")

    assert [s.label for s in crime.series] == [
        "Mestna občina Slovenj Gradec",
        "Občina Mislinja",
        "Total",
    ]
    assert crime.headline.values[-1] == Decimal(409 + 61)


def test_demo_indicators_again_change_nothing_and_record_no_history(demo):
    values = dict(IndicatorValue.objects.values_list("pk", "value"))
    history = (IndicatorValue.history.count(), Indicator.history.count())

    load_indicators_demo()

    assert dict(IndicatorValue.objects.values_list("pk", "value")) == values
    assert (IndicatorValue.history.count(), Indicator.history.count()) == history


def test_demo_indicators_restore_an_edited_value(demo):
    value = IndicatorValue.objects.get(
        council=demo["ptuj"], indicator__code="crime_total", year=2025
    )
    IndicatorValue.objects.filter(pk=value.pk).update(value=1)

    load_indicators_demo()

    value.refresh_from_db()
    assert value.value == Decimal(958)
