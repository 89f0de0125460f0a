"""The interface language of a signed-in user: their councils' language unless they chose
one (councils.selectors.interface_language_of, councils.apps, sosvet.middleware)."""

import pytest
from django.conf import settings

from councils.models import CouncilRole
from councils.selectors import interface_language_of

from ..factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def sign_in(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.user.is_authenticated
    return response


def test_a_user_of_an_english_council_reads_the_interface_in_english(client):
    user = UserFactory()
    CouncilRoleFactory(
        council=CouncilFactory(language="en"), user=user, role=CouncilRole.Role.SECRETARY
    )

    response = sign_in(client, user)

    assert response.headers["Content-Language"] == "en"
    assert client.get("/").headers["Content-Language"] == "en"


def test_the_language_switch_wins_over_the_councils_language(client):
    user = UserFactory()
    CouncilRoleFactory(council=CouncilFactory(language="en"), user=user)
    sign_in(client, user)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sl"

    assert client.get("/").headers["Content-Language"] == "sl"


def test_councils_in_two_languages_leave_slovenian(client):
    user = UserFactory()
    CouncilRoleFactory(council=CouncilFactory(language="en"), user=user)
    MembershipFactory(
        council=(council := CouncilFactory(language="sl")),
        person=PersonFactory(council=council, user=user),
    )

    sign_in(client, user)

    assert interface_language_of(user=user) is None
    assert client.get("/").headers["Content-Language"] == "sl"


def test_signing_out_returns_to_slovenian(client):
    user = UserFactory()
    CouncilRoleFactory(council=CouncilFactory(language="en"), user=user)
    sign_in(client, user)

    client.post("/accounts/logout/")

    assert client.get("/").headers["Content-Language"] == "sl"


def test_a_visitor_gets_slovenian_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.headers["Content-Language"] == "sl"


def test_the_language_of_the_councils_is_one_query(django_assert_num_queries):
    user = UserFactory()
    CouncilRoleFactory(council=CouncilFactory(language="en"), user=user)
    with django_assert_num_queries(1):
        assert interface_language_of(user=user) == "en"
