"""Deployment checks of the project's own settings (``manage.py check --deploy``).

``SITE_URL`` is the address every link outside a request is built on: invitation and
reminder e-mails, password resets, the calendar and Atom feeds, the annual report PDF.
A production server that still has the development default sends members links to
``127.0.0.1``; one whose ``ALLOWED_HOSTS`` does not name the host answers those links
with "Bad Request (400)".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def check_site_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Deploy check: ``SITE_URL`` is an https address of this installation."""
    url = urlsplit(settings.SITE_URL)
    host = url.hostname or ""
    messages: list[checks.CheckMessage] = []
    if url.scheme not in ("http", "https") or not host:
        return [
            checks.Error(
                _("SITE_URL %(url)s is not a web address.") % {"url": settings.SITE_URL},
                hint=_(
                    "Set SITE_URL to the address members open, e.g. https://sosvet.example.org."
                ),
                id="sosvet.E002",
            )
        ]
    if host in LOOPBACK_HOSTS:
        messages.append(
            checks.Warning(
                _(
                    "SITE_URL is %(url)s: links in e-mails, feeds and PDFs would point at "
                    "the server itself."
                )
                % {"url": settings.SITE_URL},
                hint=_(
                    "Set SITE_URL to the address members open, e.g. https://sosvet.example.org."
                ),
                id="sosvet.W001",
            )
        )
    elif not validate_host(host, settings.ALLOWED_HOSTS):
        messages.append(
            checks.Error(
                _("The host of SITE_URL (%(host)s) is not in ALLOWED_HOSTS.") % {"host": host},
                hint=_("Links in e-mails and feeds would be answered with Bad Request (400)."),
                id="sosvet.E003",
            )
        )
    if url.scheme != "https" and host not in LOOPBACK_HOSTS:
        messages.append(
            checks.Warning(
                _("SITE_URL %(url)s is not an https address.") % {"url": settings.SITE_URL},
                hint=_("Sign-in links in e-mails must not travel unencrypted."),
                id="sosvet.W002",
            )
        )
    return messages
