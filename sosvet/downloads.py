"""File downloads: one way to answer with a file the portal makes (PDFs, CSV, JSON,
calendars).

The file name goes into ``Content-Disposition`` through Django's
``content_disposition_header`` (quoted, and RFC 5987-encoded when it is not ASCII, so
"poročilo-2024.pdf" arrives intact). ``X-Content-Type-Options: nosniff`` is on every
response already (``SecurityMiddleware`` with ``SECURE_CONTENT_TYPE_NOSNIFF``).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_response(
    content: bytes | str = b"", *, content_type: str, filename: str, inline: bool = False
) -> HttpResponse:
    """``content`` as a file named ``filename``: opened in the browser when ``inline``
    (PDFs to read, calendars to subscribe to), else saved."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
