"""A council's public pages speak the council's language to a visitor who has not picked
one with the language switch (a Norwegian council that writes in English: English)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_council(public_council):
    public_council.language = "en"
    public_council.save()
    return public_council


def page(client, council):
    return client.get(reverse("public:council", kwargs={"council_slug": council.slug}))


def test_a_visitor_reads_the_council_in_its_language(client, english_council):
    response = page(client, english_council)

    html = response.content.decode()
    assert '<html lang="en">' in html and "Past sessions" in html
    assert response["Content-Language"] == "en"
    # The page is rendered in that language, and the visitor's request ends in it only.
    client.get(reverse("public:index"))
    assert '<html lang="sl">' in client.get(reverse("public:index")).content.decode()


def test_the_visitors_own_choice_comes_first(client, english_council):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sl"

    response = page(client, english_council)

    assert '<html lang="sl">' in response.content.decode()
    assert response["Content-Language"] == "sl"


def test_a_slovenian_council_stays_slovenian(client, public_council):
    assert '<html lang="sl">' in page(client, public_council).content.decode()
