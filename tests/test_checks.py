"""Deploy checks of the project's settings (sosvet/checks.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sosvet.checks import check_site_url

PRODUCTION = {"DEBUG": False, "ALLOWED_HOSTS": ["sosvet.example.org"]}


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://sosvet.example.org", []),
        ("http://127.0.0.1:8000", ["sosvet.W001"]),
        ("https://localhost", ["sosvet.W001"]),
        ("https://portal.example.com", ["sosvet.E003"]),
        ("http://sosvet.example.org", ["sosvet.W002"]),
        ("sosvet.example.org", ["sosvet.E002"]),
    ],
)
def test_site_url(settings, site_url, expected):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.SITE_URL = site_url
    assert ids(check_site_url()) == expected


def test_a_subdomain_wildcard_in_allowed_hosts_admits_the_site(settings):
    settings.ALLOWED_HOSTS = [".example.org"]
    settings.SITE_URL = "https://sosvet.example.org"
    assert check_site_url() == []


def test_check_deploy_reports_the_development_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match="sosvet.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
