"""The one document pipeline: a Django template → HTML → WeasyPrint → PDF bytes.

Every printed document of sosvet (session invitation, minutes, annual report + work plan)
is rendered here, from the same template that renders its HTML preview::

    from reports.documents import render_html, render_pdf

    html = render_html(template_name="sessions/pdf/invitation.html", context=ctx,
                       request=request)
    pdf = render_pdf(template_name="sessions/pdf/invitation.html", context=ctx,
                     title=_("Invitation"), author=council.name, language=council.language)

Templates extend ``reports/pdf/base.html`` (letterhead, running header, "page X of Y"
footer, watermark for drafts) and receive, besides their own context, the council as
``council`` (set it in ``context``) and the keys this module adds (``document_title``,
``document_author``, ``document_language``, ``document_page_label``, ``is_pdf``).

Resources (the stylesheet, the council's logo, images) are read from disk by
:class:`DocumentURLFetcher`: ``STATIC_URL`` paths from the staticfiles finders or
``STATIC_ROOT``, ``MEDIA_URL`` paths from the default storage (``MEDIA_ROOT``, or the
S3 bucket with ``STORAGE_BACKEND=s3``), and ``data:`` URLs. Every other
URL is refused, so text a user typed can never make the renderer fetch anything.

Fonts come from fontconfig (``font-family: "DejaVu Sans"``, Debian's fonts-dejavu-core)
and are embedded as subsets.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import time
from pathlib import Path
from typing import Any
from urllib import request as urllib_request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = [
    "DEFAULT_PDF_VARIANT",
    "DocumentURLFetcher",
    "ResourceRefused",
    "document_url_fetcher",
    "pdf_rendered",
    "render_count",
    "render_html",
    "render_pdf",
]

logger = logging.getLogger(__name__)

#: PDF/A-2u: the archival profile public archives accept (ISO 19005-2, Unicode text
#: mapping), on PDF 1.7. The output is also tagged (``pdf_tags=True``) for screen readers.
DEFAULT_PDF_VARIANT = "pdf/a-2u"

#: Sent after every PDF render: ``template_name``, ``seconds`` (wall time), ``size``
#: (bytes). Benchmarks and monitoring can connect to it.
pdf_rendered = Signal()

_render_count = 0
_render_count_lock = threading.Lock()
_fonts = threading.local()


def render_count() -> int:
    """How many PDFs :func:`render_pdf` has rendered in this process."""
    return _render_count


# --- HTML -------------------------------------------------------------------------------


def _page_label_parts() -> dict[str, str]:
    """The translated "page X of Y" footer, split around the two numbers.

    CSS builds the footer as ``before counter(page) between counter(pages) after``, so the
    words come from the translation catalogue and reach the stylesheet as data attributes
    (the HTML preview runs under CSP ``style-src 'self'``: no inline styles).
    """
    label = pgettext(
        "footer of a printed document",
        # Translators: keep both placeholders, page before pages.
        "page %(page)s of %(pages)s",
    )
    try:
        text = label % {"page": "\x00", "pages": "\x01"}
        before, rest = text.split("\x00")
        between, after = rest.split("\x01")
    except (KeyError, TypeError, ValueError):  # a broken translation: fall back
        before, between, after = "page ", " of ", ""
    return {"before": before, "between": between, "after": after}


def render_html(
    *,
    template_name: str,
    context: dict[str, Any],
    request=None,
    title: str = "",
    author: str = "",
    language: str | None = None,
) -> str:
    """Render a document template to HTML: the preview, and the input of :func:`render_pdf`.

    ``language`` (for example the council's language) renders the document in that
    language whatever the user interface language is; ``None`` keeps the active one.
    """
    with translation.override(language or translation.get_language()):
        full_context = {
            "is_pdf": False,
            **context,
            "document_title": title,
            "document_author": author,
            "document_language": translation.get_language(),
            "document_page_label": _page_label_parts(),
        }
        return render_to_string(template_name, full_context, request=request)


# --- URL fetcher ------------------------------------------------------------------------


class ResourceRefused(ValueError):
    """A document asked for a URL that is not a local static, media or data: resource."""


def _safe_file(root: Path | str | None, relative: str) -> Path | None:
    """``root/relative`` if it is an existing file inside ``root`` (symlinks resolved)."""
    if not root or not relative:
        return None
    root = Path(root).resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _relative_path(url_path: str, prefix: str) -> str | None:
    """The decoded path below ``prefix``; ``None`` for traversal or odd characters."""
    relative = unquote(url_path[len(prefix) :])
    if "\x00" in relative or "\\" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("..", ".") for part in parts) or relative.startswith("/"):
        return None
    return relative


class DocumentURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher that only reads local files and ``data:`` URLs.

    Accepted:

    - ``data:`` URLs (decoded locally);
    - ``STATIC_URL`` paths (``/static/css/print.css``): the staticfiles finders, then
      ``STATIC_ROOT`` (hashed names of the manifest storage live only there);
    - ``MEDIA_URL`` paths (``/media/logos/x.png``): files under ``MEDIA_ROOT``, or in
      the default storage when it is not the file system (S3).

    A path is accepted bare (``/static/…``) or on the document's own origin
    (``site_url``, by default ``SITE_URL``: relative URLs in a document are resolved
    against it, so links in the PDF point to the site). Anything else — another host,
    another port, ``file:``, ``ftp:``, a path outside those two folders, ``..`` — raises
    :class:`ResourceRefused` and nothing is fetched; WeasyPrint logs it and renders the
    document without that resource.
    """

    def __init__(self, *, site_url: str | None = None) -> None:
        # No protocol is allowed for the inherited (network-capable) fetcher; this class
        # never calls it anyway.
        super().__init__(allowed_protocols=frozenset(), allow_redirects=False)
        self._origin = _origin(site_url if site_url is not None else settings.SITE_URL)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            return self._fetch(url)
        except ResourceRefused:
            logger.warning("Document resource refused: %.200s", url)
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return self._fetch_data(url)
        path = self._local_file(url)
        if path is None:
            raise ResourceRefused(f"Refused to fetch {url[:200]!r}: not a local resource.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _fetch_data(url: str) -> URLFetcherResponse:
        try:
            response = urllib_request.DataHandler().data_open(urllib_request.Request(url))
        except Exception as error:  # malformed data: URL
            raise ResourceRefused(f"Malformed data: URL ({error})") from error
        with response:
            body = response.read()
            content_type = response.headers.get("Content-Type", "text/plain")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def _local_file(self, url: str) -> Path | _StoredFile | None:
        """The file behind a static or media URL of this site; ``None`` if there is none."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        # None for a bare path ("/static/…"), else (scheme, host[:port]).
        origin = _origin(url) if parts.scheme or parts.netloc else None
        for prefix, find in (
            (settings.STATIC_URL, _static_file),
            (settings.MEDIA_URL, _media_file),
        ):
            if not prefix:
                continue
            prefix_origin = _origin(prefix)
            # An absolute STATIC_URL / MEDIA_URL (a CDN) is matched on its own origin.
            absolute = prefix_origin != ("", "")
            allowed_origins = {prefix_origin} if absolute else {None, self._origin}
            path_prefix = _path_prefix(prefix)
            if origin in allowed_origins and parts.path.startswith(path_prefix):
                relative = _relative_path(parts.path, path_prefix)
                return find(relative) if relative is not None else None
        return None


def _static_file(relative: str) -> Path | None:
    """A static file: the finders (development), then STATIC_ROOT (collected, hashed)."""
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if found and Path(found).is_file():
        return Path(found)
    return _safe_file(settings.STATIC_ROOT, relative)


class _StoredFile:
    """A file of a non-file-system default storage (S3), read through the storage API."""

    def __init__(self, storage_name: str) -> None:
        self.storage_name = storage_name
        self.name = storage_name.rsplit("/", 1)[-1]

    def read_bytes(self) -> bytes:
        with default_storage.open(self.storage_name, "rb") as handle:
            return handle.read()


def _media_file(relative: str) -> Path | _StoredFile | None:
    if isinstance(default_storage, FileSystemStorage):
        return _safe_file(settings.MEDIA_ROOT, relative)
    try:
        return _StoredFile(relative) if default_storage.exists(relative) else None
    except SuspiciousFileOperation:
        return None
    except Exception:  # the storage's own errors (botocore: denied, unreachable, …)
        logger.warning("Document resource not readable from storage: %.200s", relative)
        return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _path_prefix(url: str) -> str:
    """The path part of STATIC_URL / MEDIA_URL, always ending with a slash."""
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def document_url_fetcher(*, site_url: str | None = None) -> DocumentURLFetcher:
    """A new :class:`DocumentURLFetcher` (the one :func:`render_pdf` uses)."""
    return DocumentURLFetcher(site_url=site_url)


# --- PDF --------------------------------------------------------------------------------


def _font_config() -> FontConfiguration:
    """One fontconfig configuration per thread, reused across renders.

    Building it loads the system font configuration; reusing it (and the Pango font cache
    it holds) saves about a quarter of the time of a one-page document. It is never
    shared between threads. Documents use system fonts, not ``@font-face``, so nothing
    accumulates in it.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def render_pdf(
    *,
    template_name: str,
    context: dict[str, Any],
    title: str,
    author: str,
    language: str,
    pdf_variant: str | None = DEFAULT_PDF_VARIANT,
    base_url: str | None = None,
) -> bytes:
    """Render a document template to PDF bytes.

    ``title``, ``author`` and ``language`` become the document's metadata (HTML
    ``<title>``, ``<meta name=author>``, ``<html lang>`` → PDF Title, Author, Lang and XMP)
    and the template is rendered in ``language``. ``pdf_variant`` is a WeasyPrint variant
    (default PDF/A-2u; ``None`` for a plain PDF); the output is always tagged and its
    fonts are embedded as subsets. ``base_url`` (default ``SITE_URL``) resolves relative
    URLs: links in the PDF point to the site, resources are read from disk.
    """
    global _render_count

    started = time.perf_counter()
    site_url = (base_url if base_url is not None else settings.SITE_URL).rstrip("/") + "/"
    html = render_html(
        template_name=template_name,
        context={**context, "is_pdf": True},
        title=title,
        author=author,
        language=language,
    )
    fetcher = document_url_fetcher(site_url=site_url)
    font_config = _font_config()
    document = HTML(string=html, base_url=site_url, url_fetcher=fetcher).render(
        font_config=font_config, pdf_variant=pdf_variant, pdf_tags=True
    )
    # The parameters are authoritative even if a template overrides the <title> block.
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = language
    pdf = document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True)

    with _render_count_lock:
        _render_count += 1
    seconds = time.perf_counter() - started
    logger.debug("Rendered %s (%d bytes) in %.3f s", template_name, len(pdf), seconds)
    pdf_rendered.send(
        sender=render_pdf, template_name=template_name, seconds=seconds, size=len(pdf)
    )
    return pdf
