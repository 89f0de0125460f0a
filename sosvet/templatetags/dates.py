"""``{% load dates %}``: dates kept as text in official records' snapshots, shown as dates.

Snapshots (a sent invitation, approved minutes) store dates as ISO 8601 text
("2025-06-16"); ``iso_date`` shows them in the active language's format, like Django's
``date`` filter shows a date ("16. 6. 2025"). Text that is not an ISO date is shown as it
is.
"""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def iso_date(value, arg: str = "SHORT_DATE_FORMAT") -> str:
    if isinstance(value, datetime.date):
        return date_format(value, arg)
    try:
        return date_format(datetime.date.fromisoformat(str(value)), arg)
    except ValueError:
        return value
