"""The client's address when sosvet runs behind the reverse proxy (deploy/nginx/)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address sign-in throttling (django-axes) counts failures by.

    Directly served, it is ``REMOTE_ADDR``. Behind the reverse proxy (``BEHIND_PROXY=1``)
    every request comes from the proxy (or from a UNIX socket, with no address at all), so
    locking by that address would lock a username for everyone: the proxy's ``X-Real-IP``
    (which nginx always overwrites with the address it saw) is used instead.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None
