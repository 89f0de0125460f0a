"""The safety-indicator section of a council's public page, and the indicator section cache.

The section — five-year charts with their data tables, the change and the trend of every
indicator with values — is most of the public page's work: nine SVG charts and tables
computed and rendered for a typical council. It is a pure function of

- the council's indicator values in the five years shown, with their indicators' columns
  (``councils.selectors.indicator_window``: one query, read on every request),
- the council's founding municipalities (ids and names, read by the page anyway),
- the language, and the code and translations that draw it.

The *indicator section cache* keeps the rendered section under a key made of exactly these
inputs (a digest of the rows and the municipalities, the language, a digest of the source
files and catalogues). Any change of a value, an indicator or a municipality — through the
entry grid, the CSV import, the admin or anything else — changes the key, so the public
page shows it at once: nothing is invalidated and nothing expires by time; entries no key
leads to any more fall out of the cache when it is full. Only this section is cached —
everything else on the page is read and rendered on every request — and the page makes
the same queries whether the section comes from the cache or not.

Settings: ``INDICATOR_SECTION_CACHE`` (on by default; ``0`` renders the section on every
request) and the cache ``indicator_sections`` (``INDICATOR_SECTION_CACHE_URL``; each
process's memory by default). ``bench/national.py`` measures the page with and without it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import charts, models, selectors

logger = logging.getLogger(__name__)

SECTION_TEMPLATE = "public/includes/indicators.html"
CACHE_ALIAS = "indicator_sections"


@functools.cache
def code_digest() -> str:
    """A digest of every file that decides how the section looks: its templates, the chart
    and summary code, the built-in indicators' names, the number formats and the compiled
    translations. A deployment that changes any of them uses new keys (this matters for a
    cache shared across deployments, such as Redis)."""
    files = [
        Path(get_template(name).origin.name)
        for name in (
            SECTION_TEMPLATE,
            "councils/includes/indicator_intro.html",
            "councils/includes/indicator_charts.html",
        )
    ]
    files += [Path(module.__file__) for module in (charts, selectors, models)]
    for package in settings.FORMAT_MODULE_PATH:
        for directory in import_module(package).__path__:
            files += sorted(Path(directory).rglob("*.py"))
    for directory in settings.LOCALE_PATHS:
        files += sorted(Path(directory).rglob("*.mo"))
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


class IndicatorSection:
    """A council's indicator section: ``html`` (rendered, or from the cache) and
    ``summary`` (the ``IndicatorReport`` it shows, computed only when needed)."""

    def __init__(self, *, council, municipalities: list[tuple[int, str]]):
        self.council = council
        self.municipalities = municipalities
        self.window = selectors.indicator_window(council=council)

    @cached_property
    def summary(self) -> selectors.IndicatorReport:
        return selectors.indicator_summary(
            council=self.council, municipalities=self.municipalities, window=self.window
        )

    @property
    def cache_key(self) -> str:
        content = hashlib.blake2b(
            repr((self.municipalities, self.window)).encode(), digest_size=16
        ).hexdigest()
        return f"indicator-section:{get_language()}:{code_digest()}:{content}"

    def render(self) -> str:
        return render_to_string(SECTION_TEMPLATE, {"summary": self.summary})

    @cached_property
    def html(self) -> SafeString:
        if not settings.INDICATOR_SECTION_CACHE:
            return mark_safe(self.render())  # rendered by the template engine: escaped
        key = self.cache_key
        try:
            html = caches[CACHE_ALIAS].get(key)
        except Exception:  # an unreachable cache never breaks the page
            logger.warning("The indicator section cache cannot be read.", exc_info=True)
            return mark_safe(self.render())
        if html is None:
            html = self.render()
            try:
                caches[CACHE_ALIAS].set(key, html, timeout=None)
            except Exception:
                logger.warning("The indicator section cache cannot be written.", exc_info=True)
        return mark_safe(html)


def indicator_section(*, council, municipalities: list[tuple[int, str]]) -> IndicatorSection:
    """The council's indicator section (one query: ``selectors.indicator_window``)."""
    return IndicatorSection(council=council, municipalities=municipalities)
