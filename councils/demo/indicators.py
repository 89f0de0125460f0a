"""Demo safety indicators 2019–2025 for Ptuj and Slovenj Gradec–Mislinja.

The figures are invented, of a realistic size for the municipalities (Ptuj: about a
thousand criminal offences a year, about 60 % of them against property). Loading is
idempotent: values are written only where they differ, so a second run records no history.
"""

from __future__ import annotations

from decimal import Decimal

from councils import services
from councils.models import Council, Indicator, IndicatorCategory, standard_indicators_ensure

from .loader import _upsert

YEARS = list(range(2019, 2026))

# slug -> municipality -> indicator code -> one value per year in YEARS (None: no figure)
VALUES: dict[str, dict[str, dict[str, list]]] = {
    "ptuj": {
        "Mestna občina Ptuj": {
            "crime_total": [1086, 1004, 947, 968, 1032, 995, 958],
            "crime_property": [685, 604, 544, 570, 633, 594, 558],
            "crime_domestic_violence": [52, 61, 58, 49, 55, 47, 44],
            "crime_clearance_rate": ["54.2", "57.8", "59.1", "56.3", "53.9", "55.6", "57.2"],
            "public_order_offences": [612, 548, 497, 583, 641, 606, 574],
            "traffic_fatal": [3, 1, 2, 2, 4, 1, 2],
            "traffic_serious_injury": [17, 12, 14, 15, 19, 13, 12],
            "traffic_minor_injury": [198, 151, 163, 177, 189, 172, 166],
            "traffic_property_damage": [486, 402, 431, 458, 471, 449, 437],
            "redarstvo_parkiranje": [None, None, 3120, 3480, 3655, 3390, 3215],
        },
    },
    "slovenj-gradec-mislinja": {
        "Mestna občina Slovenj Gradec": {
            "crime_total": [468, 431, 402, 415, 447, 426, 409],
            "crime_property": [276, 246, 221, 237, 268, 247, 229],
            "crime_domestic_violence": [24, 29, 27, 22, 25, 21, 19],
            "crime_clearance_rate": ["58.3", "61.0", "63.4", "60.2", "57.8", "59.9", "62.1"],
            "public_order_offences": [231, 204, 187, 219, 242, 226, 213],
            "traffic_fatal": [2, 1, 1, 0, 2, 1, 1],
            "traffic_serious_injury": [9, 6, 8, 7, 10, 7, 6],
            "traffic_minor_injury": [94, 71, 78, 86, 91, 83, 79],
            "traffic_property_damage": [238, 196, 209, 224, 231, 219, 212],
        },
        "Občina Mislinja": {
            "crime_total": [78, 69, 64, 71, 83, 66, 61],
            "crime_property": [43, 36, 32, 38, 47, 35, 31],
            "crime_domestic_violence": [5, 7, 6, 4, 6, 3, 4],
            "crime_clearance_rate": ["62.8", "66.7", "68.8", "63.4", "60.2", "65.2", "67.2"],
            "public_order_offences": [34, 29, 26, 31, 37, 30, 27],
            "traffic_fatal": [1, 0, 1, 1, 0, 0, 1],
            "traffic_serious_injury": [3, 2, 2, 3, 4, 2, 2],
            "traffic_minor_injury": [21, 16, 18, 19, 23, 17, 16],
            "traffic_property_damage": [52, 41, 45, 48, 50, 46, 44],
        },
    },
}

# slug -> the council's own indicators
OWN_INDICATORS: dict[str, list[dict]] = {
    "ptuj": [
        {
            "code": "redarstvo_parkiranje",
            "name": "Ukrepi redarstva zaradi nepravilnega parkiranja",
            "unit": "",
            "category": IndicatorCategory.PUBLIC_ORDER,
            "decimals": 0,
            "description": (
                "Plačilni nalogi in opozorila medobčinskega redarstva zaradi nepravilnega "
                "parkiranja na območju Mestne občine Ptuj."
            ),
        }
    ],
}


def load_indicators_demo() -> None:
    """Create or update the demo indicator values (only the demo councils that exist)."""
    standard_indicators_ensure()
    for slug, by_municipality in VALUES.items():
        council = Council.objects.filter(slug=slug).prefetch_related("municipalities").first()
        if council is None:
            continue
        for spec in OWN_INDICATORS.get(slug, []):
            defaults = {k: v for k, v in spec.items() if k != "code"}
            _upsert(Indicator, council=council, code=spec["code"], defaults=defaults)
        indicators = {i.code: i for i in Indicator.objects.available_to(council)}
        municipalities = {m.name: m for m in council.municipalities.all()}
        changes = []
        for municipality_name, by_code in by_municipality.items():
            municipality = municipalities[municipality_name]
            for code, values in by_code.items():
                for year, value in zip(YEARS, values, strict=True):
                    if value is None:
                        continue
                    changes.append(
                        services.ValueChange(
                            indicator=indicators[code],
                            municipality_id=municipality.pk,
                            year=year,
                            value=Decimal(str(value)),
                            note="",
                        )
                    )
        services.indicator_values_save(council=council, by=None, changes=changes)
