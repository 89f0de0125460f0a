"""Dates: the month in the genitive in Slovenian ("19. marca 2024"), and snapshots' ISO
dates shown in the active language's format (``{% load dates %}``)."""

import datetime

from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from sosvet.templatetags.dates import iso_date


def test_slovenian_dates_name_the_month_in_the_genitive():
    day = datetime.date(2024, 3, 19)
    with translation.override("sl"):
        assert date_format(day) == "19. marca 2024"
        assert date_format(datetime.datetime(2024, 3, 19, 17, 5), "DATETIME_FORMAT") == (
            "19. marca 2024, 17:05"
        )
        assert date_format(datetime.date(2026, 12, 2)) == "2. decembra 2026"
        assert date_format(day, "YEAR_MONTH_FORMAT") == "marec 2024"  # on its own: nominative
    with translation.override("en"):
        assert date_format(day) == "19 March 2024"


def test_iso_dates_of_snapshots_are_shown_as_dates():
    template = Template('{% load dates %}{{ due|iso_date }} {{ due|iso_date:"DATE_FORMAT" }}')
    with translation.override("sl"):
        assert template.render(Context({"due": "2025-06-16"})) == "16. 6. 2025 16. junija 2025"
    with translation.override("en"):
        assert iso_date("2025-06-16") == "16/06/2025"
        assert iso_date(datetime.date(2025, 6, 16), "DATE_FORMAT") == "16 June 2025"
    assert iso_date("soon") == "soon"
    assert iso_date("") == ""
