"""Site-wide pages: home, dashboard, language, sign-in and password reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from councils.models import CouncilRole

from .factories import CouncilFactory, CouncilRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_slovenian_whatever_the_browser_asks(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="sl">' in response.content.decode()


def test_language_switch_to_english_sticks(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_signed_in_home_redirects_to_dashboard(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")


def test_dashboard_lists_councils_with_the_role_in_each(client, council, secretary):
    other = CouncilFactory(name="Politirådet i Stord kommune")
    CouncilRoleFactory(council=other, user=secretary, role=CouncilRole.Role.MAYORS_OFFICE)
    CouncilFactory(name="Nedostopen sosvet")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(secretary)
    response = client.get(reverse("dashboard"))
    items = [
        (i.council.name, i.access.primary_role_label) for i in response.context["user_councils"]
    ]
    assert items == [
        ("Politirådet i Stord kommune", "Mayor's office"),
        ("Varnostni sosvet Mestne občine Ptuj", "Secretary"),
    ]
    assert "Nedostopen sosvet" not in response.content.decode()


def test_dashboard_without_councils_explains_what_to_do(client):
    client.force_login(UserFactory(username="nobody"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard"))
    assert "You do not have access to any council yet." in response.content.decode()


def test_sign_in_with_wrong_password_shows_an_error_and_keeps_the_username(client, secretary):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "tajnik", "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please enter a correct username and password" in content
    assert 'value="tajnik"' in content


def test_password_reset_by_email_through_smtp(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(username="tajnica", email="tajnica@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "tajnica@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "tajnica@example.test"
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", body).group(1)

    page = client.get(link, follow=True)
    assert page.context["validlink"] is True
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Varno-geslo-2026", "new_password2": "Varno-geslo-2026"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Varno-geslo-2026")
    # The link works once only.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert smtp_server.messages == []


def test_pages_send_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_load_nothing_from_other_hosts(client, secretary, council):
    client.force_login(secretary)
    for url in (reverse("home"), reverse("dashboard"), council.get_absolute_url()):
        html = client.get(url, follow=True).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        assert " style=" not in html
        assert "<script>" not in html
