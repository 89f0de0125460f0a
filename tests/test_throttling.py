"""Sign-in throttling (django-axes): lock after repeated failures, unlock after a cool-off."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def _try(client, password):
    return client.post(reverse("login"), {"username": "tajnica", "password": password})


def test_repeated_failures_lock_sign_in_and_say_so(client, axes_on):
    UserFactory(username="tajnica")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        assert _try(client, "wrong").status_code == 200
    locked = _try(client, "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Sign-in is blocked for 15 minutes" in text
    # Even the right password is refused while locked.
    assert _try(client, "pass-word-123").status_code == 429


def test_lock_lifts_by_itself_after_the_cool_off(client, axes_on):
    UserFactory(username="tajnica")
    for _ in range(3):
        _try(client, "wrong")
    assert _try(client, "pass-word-123").status_code == 429
    # Sixteen minutes pass: the failures are older than the cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = _try(client, "pass-word-123")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_lock_message_is_translated(client, axes_on):
    UserFactory(username="tajnica")
    for _ in range(3):
        response = _try(client, "wrong")
    assert response.status_code == 429
    assert '<html lang="sl">' in response.content.decode()
