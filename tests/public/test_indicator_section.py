"""The public page's indicator section and its cache (councils/public_indicators.py): the
cached section is the section rendered afresh, and every change to what it shows — a
value, an indicator, a municipality, the language — shows on the next request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from councils import services
from councils.models import Indicator, IndicatorValue
from councils.public_indicators import CACHE_ALIAS, indicator_section

from .conftest import add_indicator_years

pytestmark = pytest.mark.django_db


def url(council) -> str:
    return reverse("public:council", kwargs={"council_slug": council.slug})


def section(response) -> str:
    content = response.content.decode()
    start = content.index('<section id="indicators"')
    return content[start : content.index('<section id="follow"', start)]


@pytest.fixture(autouse=True)
def empty_cache():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def with_values(public_council):
    add_indicator_years(public_council, [2019, 2020, 2021, 2022, 2023])
    return public_council


def crime_total() -> Indicator:
    return Indicator.objects.get(council__isnull=True, code="crime_total")


def test_cached_section_is_the_section_rendered_afresh(client, with_values):
    assert settings.INDICATOR_SECTION_CACHE  # the default
    first = section(client.get(url(with_values)))  # rendered, then stored
    cached = section(client.get(url(with_values)))  # from the cache
    with override_settings(INDICATOR_SECTION_CACHE=False):
        fresh = section(client.get(url(with_values)))

    assert first == cached == fresh
    assert 'id="chart-crime_total"' in cached and "<caption" in cached
    assert len(caches[CACHE_ALIAS]._cache) == 1  # the tests' cache is in memory


def test_a_changed_value_shows_at_once(client, with_values, secretary):
    assert ">940<" in section(client.get(url(with_values)))  # 2023: 900 + 4 × 10
    municipality = with_values.municipalities.get()

    services.indicator_values_save(
        council=with_values,
        by=secretary,
        changes=[services.ValueChange(crime_total(), municipality.pk, 2023, Decimal(1234))],
    )

    html = section(client.get(url(with_values)))
    assert ">1234<" in html and ">940<" not in html


def test_a_value_changed_outside_the_services_shows_at_once(client, with_values):
    """The key is made of the values themselves: no service has to remember to bump it."""
    section(client.get(url(with_values)))

    IndicatorValue.objects.filter(council=with_values, year=2023).update(value=777)

    assert ">777<" in section(client.get(url(with_values)))


def test_a_new_year_moves_the_window(client, with_values, secretary):
    assert "2019–2023" in section(client.get(url(with_values)))
    municipality = with_values.municipalities.get()

    services.indicator_values_save(
        council=with_values,
        by=secretary,
        changes=[services.ValueChange(crime_total(), municipality.pk, 2024, Decimal(950))],
    )

    assert "2020–2024" in section(client.get(url(with_values)))


def test_a_changed_indicator_or_municipality_shows_at_once(client, with_values, secretary):
    own = services.indicator_create(
        council=with_values, by=secretary, name="Vandalizem", unit="", decimals=0
    )
    municipality = with_values.municipalities.get()
    services.indicator_values_save(
        council=with_values,
        by=secretary,
        changes=[services.ValueChange(own, municipality.pk, 2023, Decimal(12))],
    )
    assert "Vandalizem" in section(client.get(url(with_values)))

    services.indicator_update(indicator=own, by=secretary, name="Grafiti", unit="", decimals=0)
    assert "Grafiti" in section(client.get(url(with_values)))

    municipality.name = "Mestna občina Ptuj (preimenovana)"
    municipality.save()
    assert "Mestna občina Ptuj (preimenovana)" in section(client.get(url(with_values)))

    services.indicator_delete(indicator=own, by=secretary)
    assert "Grafiti" not in section(client.get(url(with_values)))


def test_each_language_has_its_own_section(client, with_values):
    slovenian = section(client.get(url(with_values)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = section(client.get(url(with_values)))

    assert "Kazniva dejanja" in slovenian and "Criminal offences" not in slovenian
    assert "Criminal offences" in english
    assert len(caches[CACHE_ALIAS]._cache) == 2


def test_no_values_no_charts(client, public_council):
    html = section(client.get(url(public_council)))

    assert "<svg" not in html
    assert "Sosvet še ne objavlja kazalnikov varnosti." in html


def test_an_unreachable_cache_never_breaks_the_page(client, with_values, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("the cache directory is gone")

    monkeypatch.setattr(type(caches[CACHE_ALIAS]), "get", broken)

    response = client.get(url(with_values))

    assert response.status_code == 200
    assert 'id="chart-crime_total"' in section(response)


def test_the_section_reads_one_query(with_values, django_assert_num_queries):
    municipalities = [(m.pk, m.name) for m in with_values.municipalities.all()]
    with django_assert_num_queries(1):
        first = indicator_section(council=with_values, municipalities=municipalities).html
    with django_assert_num_queries(1):
        again = indicator_section(council=with_values, municipalities=municipalities)
        assert again.html == first
        assert again.summary.years == [2019, 2020, 2021, 2022, 2023]  # computed, not read
