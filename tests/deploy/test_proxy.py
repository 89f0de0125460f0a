"""Behind the reverse proxy, sign-in throttling counts by the client's address."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from sosvet.proxy import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def _sign_in(client, password, real_ip):
    return client.post(
        reverse("login"),
        {"username": "tajnica", "password": password},
        REMOTE_ADDR="",  # a UNIX socket: no address
        HTTP_X_REAL_IP=real_ip,
    )


def test_behind_proxy_a_lock_applies_to_the_attackers_address_only(client, settings, axes_on):
    settings.BEHIND_PROXY = True
    UserFactory(username="tajnica", password="pravo-geslo-2026")
    for _ in range(2):
        _sign_in(client, "wrong", "203.0.113.9")
    assert _sign_in(client, "wrong", "203.0.113.9").status_code == 429
    # The secretary, from her own address behind the same proxy, still signs in.
    response = _sign_in(client, "pravo-geslo-2026", "198.51.100.20")
    assert response.status_code == 302


def test_client_ip_ignores_x_real_ip_unless_behind_the_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="203.0.113.9")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "192.0.2.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"
    garbage = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="not-an-ip")
    assert client_ip(garbage) == "192.0.2.1"
