"""Automated accessibility check of the public pages in real Chromium (axe-core).

axe-core comes from the ``axe-playwright-python`` package (requirements-dev.txt) and is
injected into each page by Playwright; nothing of it is in the repository or served by
the site. Every public page of the demo — the index, a council's page, a session page
and a report page — is checked in Slovenian and in English, on a desktop and on a phone
(375 px), against WCAG 2.0/2.1 A and AA and axe's best practices: no serious or critical
finding is allowed. The page must also fit the phone's width (no sideways scrolling).
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from sessions.models import Minutes

from ..browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 800)}


def blocking(results: dict) -> list[str]:
    """The serious and critical violations, one line each (rule, impact, first targets)."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_findings(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    session = (
        Minutes.objects.filter(session__council__slug="ptuj", status=Minutes.Status.PUBLISHED)
        .order_by("-session__date")
        .first()
        .session
    )
    pages = {
        "index": "/javno/",
        "search": "/javno/?q=ptuj",
        "council": "/javno/ptuj/",
        "joint-council": "/javno/slovenj-gradec-mislinja/",
        "session": f"/javno/ptuj/seje/{session.pk}/",
        "report": "/javno/ptuj/porocila/2023/",
    }
    axe = Axe()
    findings: dict[str, list[str]] = {}
    for language in ("sl", "en"):
        for device, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            for name, path in pages.items():
                page.goto(f"{live_server.url}{path}")
                assert page.locator("html").get_attribute("lang") == language
                screenshot(page, f"public-{name}-{language}-{device}")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} {language} {device} scrolls sideways"
                results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
                problems = blocking(results.response)
                if problems:
                    findings[f"{name} {language} {device}"] = problems
            assert errors == [], f"JavaScript or CSP errors: {errors}"
            context.close()
    assert findings == {}
