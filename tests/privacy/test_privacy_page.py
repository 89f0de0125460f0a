"""The public privacy page: what is stored and why, in Slovenian and English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_privacy_page_is_public_and_slovenian_by_default(client):
    response = client.get(reverse("privacy"))

    assert response.status_code == 200
    assert reverse("privacy") == "/zasebnost/"
    text = response.content.decode()
    assert '<html lang="sl">' in text
    with translation.override("sl"):
        heading = translation.gettext("Personal data and privacy")
    assert heading in text


def test_the_privacy_page_in_english_says_what_why_who_how_long_and_rights(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(reverse("privacy")).content.decode()

    for heading in (
        "Who is responsible",
        "What is stored",
        "Why",
        "Who sees the data",
        "How long the data are kept",
        "Your rights",
    ):
        assert f">{heading}</h2>" in text
    assert "Article 6(1)(e)" in text
    assert "sign-ins, successful and failed" in text
    assert "secretary of your council" in text


def test_the_retention_periods_come_from_the_settings(client, settings):
    settings.RETENTION_DELIVERY_DAYS = 90
    settings.RETENTION_SIGNIN_DAYS = 30
    settings.PRIVACY_OPERATOR = "Mestna občina Ptuj"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@ptuj.si"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(reverse("privacy")).content.decode()

    assert "delivery errors: 90 days" in text
    assert "Sign-in records: 30 days." in text
    assert "Mestna občina Ptuj" in text and "mailto:dpo@ptuj.si" in text


def test_every_page_links_to_the_privacy_page_from_the_footer(client):
    footer = client.get(reverse("home")).content.decode().split("<footer", 1)[1]
    assert f'href="{reverse("privacy")}"' in footer


def test_the_privacy_page_has_no_inline_script_or_style(client):
    text = client.get(reverse("privacy")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert " style=" not in text
