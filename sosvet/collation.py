"""Names in the order Slovenian readers expect: Č after C, Š after S, Ž after Z.

Under the databases' default (code point) order "Čeh" comes after "Zupan" and "Šentjur"
after "Velenje". Lists of people, organisations, municipalities and councils are therefore
ordered with the collation ``NAME_COLLATION``:

- on PostgreSQL it is the ICU collation for Slovenian that every PostgreSQL built with ICU
  has (Debian's, the official images'): ``sl-x-icu``;
- on SQLite (``make run``) the same name is registered on every new connection
  (``register``, connected in ``sosvet.apps``) with ``collation_key`` as its order.

``migrate`` (and ``manage.py check --database default``) stops with the error
``sosvet.E001`` on a PostgreSQL without that collation (one built without ICU).

``by_name("last_name", "first_name")`` gives the ``order_by`` arguments; Python code that
sorts rows itself uses ``collation_key``.
"""

from __future__ import annotations

import unicodedata

from django.core import checks
from django.db import connections
from django.db.models import F, Func
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

#: the collation's name on both databases
NAME_COLLATION = "sl-x-icu"


def collation_key(text: str) -> tuple:
    """Sort key that keeps č after c, š after s, ž after z (Slovenian, Czech, …) and
    ignores case."""
    key = []
    for char in (text or "").casefold():
        decomposed = unicodedata.normalize("NFD", char)
        key.append((decomposed[0], decomposed[1:]))
    return tuple(key)


def compare(left: str, right: str) -> int:
    """SQLite's collation function: <0, 0, >0 as ``left`` sorts before, with, after
    ``right`` (the text itself decides between names that differ in case only)."""
    left_key, right_key = (collation_key(left), left), (collation_key(right), right)
    return (left_key > right_key) - (left_key < right_key)


def by_name(*fields: str | Func) -> list[OrderBy]:
    """``order_by`` arguments: each field (a name or an expression) in ascending order
    under ``NAME_COLLATION``."""
    return [
        Collate(F(field) if isinstance(field, str) else field, NAME_COLLATION).asc()
        for field in fields
    ]


def register(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite knows ``NAME_COLLATION`` from then on."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare)


def check_collation(app_configs=None, databases=None, **kwargs) -> list[checks.Error]:
    """System check (database tag): every PostgreSQL database in use has the collation."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [NAME_COLLATION])
            if cursor.fetchone() is None:
                errors.append(
                    checks.Error(
                        _("The database %(alias)s has no collation %(collation)s.")
                        % {"alias": alias, "collation": NAME_COLLATION},
                        hint=_(
                            "Use a PostgreSQL built with ICU (the packages of Debian and "
                            "Ubuntu and the official images are)."
                        ),
                        id="sosvet.E001",
                    )
                )
    return errors
