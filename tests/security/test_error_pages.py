"""The error pages: translated, in the site's style, without inline code."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path, reverse

from sosvet import urls as site_urls

from .test_no_inline_code import violations

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


def bad_request(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("tampered")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


# This module is the URLconf of the tests that need a failing view: the site's URLs plus
# three views that fail.
urlpatterns = [
    path("boom/", boom),
    path("bad/", bad_request),
    path("forbidden/", forbidden),
    *site_urls.urlpatterns,
]


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


def in_site_style(html: str) -> bool:
    return (
        re.search(r'<nav class="navbar [^"]*bg-sosvet', html) is not None
        and "/static/css/sosvet.css" in html
        and "/static/bootstrap/css/bootstrap.min.css" in html
    )


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sl", "Strani ni mogoče najti"), ("en", "Page not found")],
)
def test_404_is_translated_and_in_the_site_style(client, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert in_site_style(html)
    assert violations(html) == []


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sl", "Prišlo je do napake"), ("en", "Something went wrong")],
)
def test_500_is_translated_and_in_the_site_style(error_urls, language, heading):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "a bug" not in html  # nothing of the error reaches the visitor
    assert in_site_style(html)
    assert violations(html) == []


def test_500_never_shows_debug_information(error_urls):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/boom/")
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sl", "Dostop ni dovoljen"), ("en", "Not allowed")],
)
def test_403_is_translated_and_in_the_site_style(error_urls, client, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/forbidden/")

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and heading in html
    assert in_site_style(html)


@pytest.mark.parametrize("language", ["sl", "en"])
def test_400_is_translated_and_in_the_site_style(error_urls, language):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/bad/")

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert in_site_style(html)
    assert violations(html) == []
    if language == "en":
        assert "The request could not be processed" in html


@pytest.mark.parametrize("language", ["sl", "en"])
def test_a_failed_csrf_check_explains_itself(language):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert in_site_style(html)
    assert violations(html) == []
    if language == "en":
        assert "The form has expired" in html


@override_settings(DEBUG=False)
def test_too_many_fields_is_a_400_not_a_500(client):
    response = client.post(reverse("login"), {f"f{i}": "x" for i in range(1200)})

    assert response.status_code == 400
    assert in_site_style(response.content.decode())
