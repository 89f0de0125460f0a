"""Slovenian dates name the month in the genitive: "19. marca 2024", not "19. marec 2024".

Django's date format character ``E`` takes the month's name from the translations with
the context "alt. month" (as Polish and Czech dates do); Django's own Slovenian catalogue
gives them in the nominative ("Marec"). The project's catalogue (``locale/sl``) comes
first and gives them in the genitive ("marca"), and ``sosvet/formats/sl/formats.py``
writes dates with ``E``. This module only names the strings, so that ``makemessages``
keeps them in the project's catalogue.
"""

from django.utils.translation import pgettext_lazy

GENITIVE_MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
