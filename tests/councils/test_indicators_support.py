"""Shared fixtures and helpers of the safety-indicator tests (no tests of its own).

The other ``test_indicators_*`` modules import the fixtures from here: each is registered
under its ``name`` (``standard``, ``ptuj`` …) and imported as ``<name>_fixture``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from councils.models import (
    CouncilRole,
    Indicator,
    IndicatorValue,
    Municipality,
    standard_indicators_ensure,
)

from ..factories import CouncilFactory, CouncilRoleFactory, MunicipalityFactory, UserFactory


@pytest.fixture(name="standard")
def standard_fixture(db) -> dict[str, Indicator]:
    """The built-in indicators by code (created by ``migrate``; ensured again here)."""
    standard_indicators_ensure()
    return {i.code: i for i in Indicator.objects.standard()}


@pytest.fixture(name="ptuj")
def ptuj_fixture(council) -> Municipality:
    """The ``council`` fixture's one founding municipality."""
    municipality = MunicipalityFactory(name="Mestna občina Ptuj", code="96")
    council.municipalities.set([municipality])
    return municipality


@pytest.fixture(name="joint_council")
def joint_council_fixture(db):
    """A joint council of two municipalities, as Slovenj Gradec + Mislinja."""
    joint = CouncilFactory(
        name="Varnostni sosvet Slovenj Gradec in Mislinja", slug="slovenj-gradec-mislinja"
    )
    joint.municipalities.set(
        [
            MunicipalityFactory(name="Mestna občina Slovenj Gradec"),
            MunicipalityFactory(name="Občina Mislinja"),
        ]
    )
    return joint


@pytest.fixture(name="joint_secretary")
def joint_secretary_fixture(joint_council):
    user = UserFactory(username="tajnica-sg")
    CouncilRoleFactory(council=joint_council, user=user, role=CouncilRole.Role.SECRETARY)
    return user


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def add_values(council, indicator: Indicator, municipality_, values: dict[int, object]) -> None:
    """Store ``{year: value}`` of one indicator in one municipality."""
    for year, value in values.items():
        IndicatorValue.objects.create(
            council=council,
            indicator=indicator,
            municipality=municipality_,
            year=year,
            value=Decimal(str(value)),
        )


def stored(council) -> dict[tuple[str, str, int], Decimal]:
    """Every value of a council as {(indicator code, municipality, year): value}."""
    return {
        (v.indicator.code, v.municipality.name, v.year): v.value
        for v in IndicatorValue.objects.for_council(council).select_related(
            "indicator", "municipality"
        )
    }
