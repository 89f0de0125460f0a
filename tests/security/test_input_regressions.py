"""Bugs the form fuzzer found, and the project-wide input checks it relies on."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sosvet.security.validators import ProhibitControlCharactersValidator

from ..test_permissions import build_kwargs
from ..test_permissions import world as permission_world  # noqa: F401,F811  (a fixture)
from . import fuzz

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = (
    "The text contains invisible control characters (such as NUL), which cannot be stored. "
    "Remove them, for example by typing the text again."
)


@pytest.fixture
def world(permission_world):  # noqa: F811
    """The permission matrix's world: a council with a session, minutes, people…"""
    return permission_world


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- control characters -------------------------------------------------------------


def test_every_text_field_of_every_form_refuses_control_characters():
    """Installed when the app registry is ready, before any form class exists."""
    missing = []
    for form_class in fuzz.discover_form_classes():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.CharField) and not any(
                isinstance(v, ProhibitControlCharactersValidator) for v in field.validators
            ):
                missing.append(f"{form_class.__qualname__}.{name}")
    assert missing == []


@pytest.mark.parametrize("text", ["Sosvet\x00", "a\x01b", "x\x1fy", "\x7f", "a\x85b", "\ufffe"])
def test_control_characters_are_refused_with_one_message(text):
    field = forms.CharField()
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean(text)
        assert [str(m) for m in error.value.messages] == [CONTROL_MESSAGE]


@pytest.mark.parametrize("text", ["Ptuj\tMaribor", "vrstica\nvrstica\r\n", "čšž ÆØÅ 😀 \u202e"])
def test_tabs_line_breaks_and_unicode_are_fine(text):
    assert forms.CharField(strip=False).clean(text) == text


def test_email_and_url_fields_refuse_control_characters_too():
    with pytest.raises(forms.ValidationError):
        forms.URLField().clean("https://example.test/\x01")
    with pytest.raises(forms.ValidationError):
        forms.EmailField().clean("a\x00@example.test")


def test_a_person_with_a_nul_in_the_name_is_refused_next_to_the_field(english, world):
    english.force_login(world["users"]["secretary"])
    url = reverse("councils:person_create", kwargs={"council_slug": world["council"].slug})

    response = english.post(url, {"first_name": "Ana\x00", "last_name": "Novak"})

    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [CONTROL_MESSAGE]


def test_the_control_character_message_is_translated(client, world):
    client.force_login(world["users"]["secretary"])
    url = reverse("councils:person_create", kwargs={"council_slug": world["council"].slug})

    response = client.post(url, {"first_name": "Ana\x01", "last_name": "Novak"})

    assert (
        response.context["form"]
        .errors["first_name"][0]
        .startswith("Besedilo vsebuje nevidne krmilne znake")
    )


# --- numbers the database cannot hold -----------------------------------------------


@pytest.mark.parametrize("key", ["9223372036854775808", "-9223372036854775809", "9" * 40])
def test_a_huge_member_id_in_an_invitation_is_refused_not_a_500(english, world, key):
    english.force_login(world["users"]["secretary"])
    url = reverse("sessions:invitation_send", kwargs=build_kwargs("session", world))

    response = english.post(url, {"memberships": [key]})

    assert response.status_code == 200
    assert response.context["form"].errors["memberships"] == [f"“{key}” is not a valid value."]


# --- the session list's year --------------------------------------------------------


@pytest.mark.parametrize("year", ["²", "١٩٩٥", "9" * 5000, "-2024", "2024\x00", "२०२४"])
def test_an_absurd_year_in_the_session_list_is_ignored(client, world, year):
    client.force_login(world["users"]["secretary"])
    url = reverse("sessions:session_list", kwargs={"council_slug": world["council"].slug})

    response = client.get(url, {"year": year})

    assert response.status_code == 200
    assert response.context["year"] is None


def test_a_real_year_in_the_session_list_still_filters(client, world):
    client.force_login(world["users"]["secretary"])
    url = reverse("sessions:session_list", kwargs={"council_slug": world["council"].slug})

    assert client.get(url, {"year": "2025"}).context["year"] == 2025


# --- NUL in the query string (PostgreSQL refuses it: "A string literal cannot contain
# NUL") --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("councils:person_list", {"q": "Novak\x00"}),
        ("councils:membership_list", {"active_on": "\x00", "organisation": "1\x00"}),
        ("sessions:task_list", {"person": "1\x00", "year": "\x00", "status": "\x00"}),
        ("councils:audit_list", {"action": "\x00", "date_from": "2024\x00"}),
        ("councils:indicator_list", {"year": "2024\x00"}),
    ],
)
def test_a_nul_in_a_filter_or_search_is_harmless(client, world, url_name, params):
    client.force_login(world["users"]["secretary"])
    url = reverse(url_name, kwargs={"council_slug": world["council"].slug})

    response = client.get(url, params)

    assert response.status_code == 200


def test_the_people_search_ignores_control_characters(client, world):
    client.force_login(world["users"]["secretary"])
    person = world["person"]
    url = reverse("councils:person_list", kwargs={"council_slug": world["council"].slug})

    response = client.get(url, {"q": f"{person.last_name}\x00"})

    assert response.context["search"] == person.last_name
    assert person in list(response.context["people"])


@pytest.mark.parametrize("params", [{"q": "Ptuj\x00"}, {"page": "\x00"}])
def test_a_nul_in_the_public_search_is_harmless(client, params):
    assert client.get(reverse("public:index"), params).status_code == 200


def test_a_nul_in_the_sign_in_and_reset_forms_is_refused(client, world):
    response = client.post(reverse("login"), {"username": "tajnik\x00", "password": "x\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(reverse("password_reset"), {"email": "a\x00@example.test"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
