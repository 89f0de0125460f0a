"""No inline JavaScript and no style attributes — in the templates and in what the pages
render (the Content Security Policy forbids both, so they would silently not work)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .helpers import enrol

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
RULES = {
    "style attribute": STYLE_ATTRIBUTE,
    "<style> element": STYLE_ELEMENT,
    "inline <script>": INLINE_SCRIPT,
    "on…= event handler": EVENT_HANDLER,
    "javascript: URL": JAVASCRIPT_URL,
}
# E-mails are read in mail programs, not served under the site's policy.
NOT_SERVED = ("sessions/email/",)


def violations(html: str) -> list[str]:
    return [
        f"{name}: {m.group(0)[:80]}" for name, rule in RULES.items() for m in rule.finditer(html)
    ]


def test_rules_catch_what_they_should():
    assert violations('<p style="color:red">') and violations("<script>alert(1)</script>")
    assert violations('<a href="#" onclick="x()">') and violations("<style>p{}</style>")
    assert violations('<a href="javascript:alert(1)">')
    assert not violations('<script src="/static/js/agenda.js"></script><p class="x">')
    assert not violations('<button data-bs-toggle="dropdown">')


@pytest.mark.parametrize(
    "path",
    sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")),
)
def test_templates_have_no_inline_code(path):
    if path.startswith(NOT_SERVED):
        pytest.skip("an e-mail template")
    assert violations((TEMPLATES / path).read_text()) == []


@pytest.fixture
def pages(client, council, secretary, settings):
    """A spread of rendered pages: public, signed in, forms with errors, the two-factor
    set-up (inline SVG), the error pages."""
    from ..factories import OrganisationFactory, PersonFactory
    from ..test_permissions import _minutes_world, _session_world

    council.is_published = True
    council.save()
    organisation = OrganisationFactory(council=council)
    person = PersonFactory(council=council)
    session, *_ = _session_world(council, person, organisation, secretary)
    held, *_ = _minutes_world(council, person, secretary)
    slug = {"council_slug": council.slug}
    anonymous = [reverse("home"), reverse("login"), reverse("password_reset"), "/no-such-page/"]
    public = [reverse("public:index"), reverse("public:council", kwargs=slug)]
    signed_in = [
        reverse("dashboard"),
        reverse("my_tasks"),
        council.get_absolute_url(),
        reverse("councils:person_list", kwargs=slug),
        reverse("councils:membership_list", kwargs=slug),
        reverse("councils:indicator_list", kwargs=slug),
        reverse("sessions:session_list", kwargs=slug),
        reverse("sessions:session_detail", kwargs={**slug, "pk": session.pk}),
        reverse("sessions:minutes", kwargs={**slug, "pk": held.pk}),
        reverse("sessions:task_list", kwargs=slug),
        reverse("reports:report_list", kwargs=slug),
        reverse("two_factor"),
    ]
    return anonymous + public, signed_in


def test_rendered_pages_have_no_inline_code(client, pages, secretary):
    anonymous, signed_in = pages
    for url in anonymous:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert violations(response.content.decode()) == [], url
    client.force_login(secretary)
    client.post(reverse("two_factor_setup"))  # the page then shows the QR code
    for url in signed_in:
        response = client.get(url)
        assert response.status_code == 200, url
        assert violations(response.content.decode()) == [], url
    assert "<svg" in client.get(reverse("two_factor")).content.decode()
    # A form shown again with its errors.
    response = client.post(reverse("councils:person_create", kwargs={"council_slug": "ptuj"}), {})
    assert response.status_code == 200
    assert violations(response.content.decode()) == []


def test_the_code_page_has_no_inline_code(client, secretary):
    enrol(secretary)
    client.post(reverse("login"), {"username": "tajnik", "password": "pass-word-123"})

    response = client.get(reverse("two_factor_verify"))

    assert response.status_code == 200
    assert violations(response.content.decode()) == []
