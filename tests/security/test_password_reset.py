"""Password-reset links expire after PASSWORD_RESET_TIMEOUT and then show a clear page.

(sosvet has no invitation links for new accounts: a site administrator creates the login
in Django admin and the new user sets a password through "Forgotten password?", so the
reset link is the only account link there is.)
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def reset_link(user, *, age: datetime.timedelta) -> str:
    """A reset link made ``age`` ago (the token carries its creation time)."""
    generator = PasswordResetTokenGenerator()
    made_at = datetime.datetime.now() - age
    token = generator._make_token_with_timestamp(
        user, generator._num_seconds(made_at), generator.secret
    )
    return reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
    )


def test_the_timeout_is_one_day_by_default():
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 60 * 60


def test_a_link_within_the_timeout_works(client):
    user = UserFactory(username="tajnica")
    link = reset_link(user, age=datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60))

    response = client.get(link, follow=True)

    assert response.context["validlink"] is True


@pytest.mark.parametrize(
    ("language", "heading", "text"),
    [
        (
            "en",
            "The link is no longer valid",
            "The link has expired or has already been used. Ask for a new one.",
        ),
        (
            "sl",
            "Povezava ni več veljavna",
            None,
        ),
    ],
)
def test_an_expired_link_shows_a_clear_page(client, language, heading, text):
    user = UserFactory(username="tajnica")
    link = reset_link(user, age=datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    if text:
        assert text in html
    assert f'href="{reverse("password_reset")}"' in html  # ask for a new link
    # Posting a new password through the expired link changes nothing.
    client.post(link, {"new_password1": "Novo-geslo-2026", "new_password2": "Novo-geslo-2026"})
    user.refresh_from_db()
    assert user.check_password("pass-word-123")


def test_a_shorter_timeout_is_honoured(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 15 * 60
    user = UserFactory(username="tajnica")

    fresh = client.get(reset_link(user, age=datetime.timedelta(minutes=10)), follow=True)
    stale = client.get(reset_link(user, age=datetime.timedelta(minutes=20)), follow=True)

    assert fresh.context["validlink"] is True
    assert stale.context["validlink"] is False
