"""Names in the order their readers expect: Slovenian, Czech or Norwegian alphabetical order.

Under the databases' default (code point) order "Čeh" comes after "Zupan" and "Šentjur"
after "Velenje". Lists of people, organisations, municipalities and councils are therefore
ordered with an ICU collation. A council chooses its alphabet (``Council.alphabet``):

- Slovenian (the default, and the order of lists that span councils): Č after C, Ć after
  Č, Đ after D, Š after S, Ž after Z; other accents do not move a letter (Á with A);
- Czech: Č after C, CH after H, Ř after R, Š after S, Ž after Z;
- Norwegian: Æ, Ø, Å (and AA, as in "Aasen") after Z.

On PostgreSQL the collations are the ICU collations that every PostgreSQL built with ICU
has (Debian's, the official images'): ``sl-x-icu``, ``cs-x-icu``, ``nb-x-icu``. On SQLite
(``make run``) the same names are registered on every new connection (``register``,
connected in ``sosvet.apps``) with ``collation_key`` as their order.

``migrate`` (and ``manage.py check --database default``) stops with the error
``sosvet.E001`` on a PostgreSQL without these collations (one built without ICU).

``by_name("last_name", "first_name", alphabet=council.alphabet)`` gives the ``order_by``
arguments; Python code that sorts rows itself uses ``collation_key(text, alphabet)``.
"""

from __future__ import annotations

import functools
import unicodedata

from django.core import checks
from django.db import connections
from django.db.models import F, Func
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

#: the alphabet of lists that are not one council's (and of councils that keep the default)
DEFAULT_ALPHABET = "sl"

#: alphabet → the collation's name on both databases
COLLATIONS = {"sl": "sl-x-icu", "cs": "cs-x-icu", "nb": "nb-x-icu"}

#: the Slovenian collation, kept under its old name for the models' default ordering
NAME_COLLATION = COLLATIONS[DEFAULT_ALPHABET]

#: alphabet → {letter or digraph (case-folded, composed): (base letter, rank after it)}.
#: Letters not listed sort with their base letter, their accents deciding only between
#: names that are otherwise equal.
_LETTERS = {
    "sl": {"č": ("c", 1), "ć": ("c", 2), "đ": ("d", 1), "š": ("s", 1), "ž": ("z", 1)},
    "cs": {"č": ("c", 1), "ch": ("h", 1), "ř": ("r", 1), "š": ("s", 1), "ž": ("z", 1)},
    "nb": {
        "æ": ("z", 1),
        "ä": ("z", 1),
        "ø": ("z", 2),
        "ö": ("z", 2),
        "å": ("z", 3),
        "aa": ("z", 3),
    },
}


@functools.lru_cache(maxsize=4096)
def collation_key(text: str, alphabet: str = DEFAULT_ALPHABET) -> tuple:
    """Sort key of ``text`` in ``alphabet`` ("sl", "cs", "nb"), ignoring case: the
    letters first, then the accents that do not make a letter of their own."""
    letters = _LETTERS[alphabet]
    digraphs = [key for key in letters if len(key) > 1]
    folded = unicodedata.normalize("NFC", (text or "").casefold())
    primary, secondary = [], []
    index = 0
    while index < len(folded):
        digraph = next((d for d in digraphs if folded.startswith(d, index)), None)
        unit = digraph or folded[index]
        index += len(unit)
        if unit in letters:
            primary.append(letters[unit])
            secondary.append("")
            continue
        decomposed = unicodedata.normalize("NFD", unit)
        primary.append((decomposed[0], 0))
        secondary.append(decomposed[1:])
    return tuple(primary), tuple(secondary)


def compare(left: str, right: str, alphabet: str = DEFAULT_ALPHABET) -> int:
    """SQLite's collation function: <0, 0, >0 as ``left`` sorts before, with, after
    ``right`` (the text itself decides between names that differ in case only)."""
    left_key = (collation_key(left, alphabet), left)
    right_key = (collation_key(right, alphabet), right)
    return (left_key > right_key) - (left_key < right_key)


def by_name(*fields: str | Func, alphabet: str = DEFAULT_ALPHABET) -> list[OrderBy]:
    """``order_by`` arguments: each field (a name or an expression) in ascending order
    under the collation of ``alphabet``."""
    collation = COLLATIONS[alphabet]
    return [
        Collate(F(field) if isinstance(field, str) else field, collation).asc() for field in fields
    ]


def register(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite knows the collations from then on."""
    if connection.vendor == "sqlite":
        for alphabet, collation in COLLATIONS.items():
            connection.connection.create_collation(
                collation, functools.partial(compare, alphabet=alphabet)
            )


def check_collation(app_configs=None, databases=None, **kwargs) -> list[checks.Error]:
    """System check (database tag): every PostgreSQL database in use has the collations."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collname FROM pg_collation WHERE collname = ANY(%s)",
                [list(COLLATIONS.values())],
            )
            present = {name for (name,) in cursor.fetchall()}
        for collation in COLLATIONS.values():
            if collation not in present:
                errors.append(
                    checks.Error(
                        _("The database %(alias)s has no collation %(collation)s.")
                        % {"alias": alias, "collation": collation},
                        hint=_(
                            "Use a PostgreSQL built with ICU (the packages of Debian and "
                            "Ubuntu and the official images are)."
                        ),
                        id="sosvet.E001",
                    )
                )
    return errors
