"""Personal RSVP links: the signed token and the public page behind it."""

from __future__ import annotations

import datetime
import html
import re
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from sessions import selectors, services
from sessions.models import Invitee, Session
from sessions.tokens import RSVP_SALT, InvalidLink, invitee_from_token, rsvp_token

from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import make_session, row_counts

pytestmark = pytest.mark.django_db

DAY = 24 * 3600
INVALID = "The link is not valid. Perhaps it was not copied whole from the e-mail"
EXPIRED = "The link has expired."
CANCELLED = "This session was cancelled. You do not need to answer."
PAST = "This session has already taken place, so attendance can no longer be confirmed."
GONE = "You are no longer on the list of those invited to this session."


@pytest.fixture
def convened(council, secretary, members, upcoming):
    services.invitation_send(
        session=upcoming,
        by=secretary,
        memberships=list(selectors.invitation_default_people(session=upcoming)),
    )
    upcoming.refresh_from_db()
    return upcoming


@pytest.fixture
def simona(convened):
    return Invitee.objects.get(session=convened, email="simona@example.test")


@pytest.fixture
def en(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(token: str) -> str:
    return reverse("rsvp", kwargs={"token": token})


def old_token(invitee, *, seconds_ago: float) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return rsvp_token(invitee)


def reason(token: str) -> str:
    with pytest.raises(InvalidLink) as excinfo:
        invitee_from_token(token)
    return excinfo.value.reason


def templates(response) -> list[str]:
    return [t.name for t in response.templates]


def assert_invalid_page(response, status: int, text: str) -> None:
    assert response.status_code == status
    assert "sessions/rsvp_invalid.html" in templates(response)
    assert "sessions/rsvp.html" not in templates(response)
    assert text in html.unescape(response.content.decode())


def rendered_errors(response, field: str) -> list[str]:
    """Errors printed right after one input of the RSVP form."""
    content = response.content.decode()
    match = re.search(
        rf'<input[^>]*name="{field}"[^>]*>\s*((?:<div class="invalid-feedback d-block">'
        rf".*?</div>\s*)*)",
        content,
    )
    assert match is not None, field
    return [html.unescape(m) for m in re.findall(r"d-block\">(.*?)</div>", match.group(1))]


def input_value(response, field: str) -> str:
    match = re.search(rf'<input[^>]*name="{field}"[^>]*value="([^"]*)"', response.content.decode())
    assert match is not None, field
    return html.unescape(match.group(1))


# Tokens ----------------------------------------------------------------------------


def test_rsvp_token_round_trip(simona):
    assert invitee_from_token(rsvp_token(simona)) == simona


def test_rsvp_token_differs_per_invitee(convened):
    tokens = {rsvp_token(i) for i in Invitee.objects.filter(session=convened)}
    assert len(tokens) == 3


def test_rsvp_token_tampered_is_invalid(simona):
    token = rsvp_token(simona)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert reason(flipped) == "invalid"
    _payload, _sep, rest = token.partition(":")
    other = signing.dumps({"i": simona.pk + 1, "s": simona.session_id}, salt=RSVP_SALT)
    assert reason(other.partition(":")[0] + ":" + rest) == "invalid"  # payload swapped


@pytest.mark.parametrize("cut", [1, 5, 20])
def test_rsvp_token_truncated_is_invalid(simona, cut):
    assert reason(rsvp_token(simona)[:-cut]) == "invalid"


@pytest.mark.parametrize(
    "token",
    ["x", "garbage", ":::", "a:b:c", "..", "%%%", "čšž:ČŠŽ", "A" * 2000, "e30:1a:zzzz"],
)
def test_rsvp_token_garbage_is_invalid(token):
    assert reason(token) == "invalid"


def test_rsvp_token_signed_with_another_salt_is_invalid(simona):
    token = signing.dumps({"i": simona.pk, "s": simona.session_id}, salt="another.purpose")
    assert reason(token) == "invalid"


@pytest.mark.parametrize("payload", [[1, 2], "text", 5, {"i": "1", "s": 1}, {"s": 1}, None])
def test_rsvp_token_signed_but_malformed_payload_is_invalid(payload):
    assert reason(signing.dumps(payload, salt=RSVP_SALT)) == "invalid"


def test_rsvp_token_naming_another_session_is_gone(simona, council):
    other = make_session(council, days=40)
    token = signing.dumps({"i": simona.pk, "s": other.pk}, salt=RSVP_SALT)
    assert reason(token) == "gone"


def test_rsvp_token_of_a_deactivated_invitee_is_gone(simona):
    Invitee.objects.filter(pk=simona.pk).update(is_active=False)
    assert reason(rsvp_token(simona)) == "gone"


def test_rsvp_token_of_a_deleted_invitee_is_gone(simona):
    token = rsvp_token(simona)
    simona.deliveries.all().delete()
    simona.delete()
    assert reason(token) == "gone"


def test_rsvp_token_expires_after_the_configured_days(simona, settings):
    settings.RSVP_LINK_MAX_AGE_DAYS = 120
    assert invitee_from_token(old_token(simona, seconds_ago=119 * DAY)) == simona
    assert reason(old_token(simona, seconds_ago=121 * DAY)) == "expired"


def test_rsvp_token_zero_days_expires_at_once(simona, settings):
    settings.RSVP_LINK_MAX_AGE_DAYS = 0
    token = rsvp_token(simona)
    later = time.time() + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert reason(token) == "expired"


# The public page -------------------------------------------------------------------


def test_rsvp_page_shows_the_form_preselected_from_the_link(en, simona):
    response = en.get(url(rsvp_token(simona)) + "?answer=excused")
    assert response.status_code == 200
    assert "sessions/rsvp.html" in templates(response)
    assert response.context["invitee"] == simona
    assert response.context["form"].initial == {"response": "excused", "note": ""}
    content = response.content.decode()
    assert re.search(r'<input[^>]*value="excused"[^>]*checked', content)
    assert not re.search(r'<input[^>]*value="attending"[^>]*checked', content)
    assert "This page is personal to Simona Rajh." in content


@pytest.mark.parametrize("answer", ["attending", "substitute"])
def test_rsvp_page_preselects_each_answer(en, simona, answer):
    response = en.get(url(rsvp_token(simona)), {"answer": answer})
    assert response.context["form"].initial == {"response": answer, "note": ""}


def test_rsvp_page_unknown_answer_falls_back_to_the_current_one(en, simona):
    services.rsvp_record(invitee=simona, response="attending", note="Pridem")
    response = en.get(url(rsvp_token(simona)), {"answer": "<script>"})
    assert response.context["form"].initial == {"response": "attending", "note": "Pridem"}
    assert "<script>" not in response.content.decode()


def test_rsvp_page_post_records_the_answer(en, simona):
    response = en.post(url(rsvp_token(simona)), {"response": "excused", "note": "Dopust"})
    assert response.status_code == 200
    assert response.context["saved"] is True
    simona.refresh_from_db()
    assert (simona.response, simona.response_note) == ("excused", "Dopust")
    assert "Thank you. Your answer “Excused” was recorded." in html.unescape(
        response.content.decode()
    )


def test_rsvp_page_post_substitute_creates_the_substitute(en, simona):
    response = en.post(
        url(rsvp_token(simona)),
        {
            "response": "substitute",
            "substitute_name": "Janez Novak",
            "substitute_email": "janez@example.test",
            "substitute_organisation": "CSD",
        },
    )
    assert response.context["saved"] is True
    substitute = Invitee.objects.get(email="janez@example.test")
    assert (substitute.kind, substitute.substitute_for, substitute.organisation_name) == (
        "substitute",
        simona,
        "CSD",
    )


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        "truncated",
        "garbage",
        "other-session",
        "other-salt",
    ],
)
def test_rsvp_page_bad_link_shows_the_clear_page(en, simona, council, token):
    good = rsvp_token(simona)
    tokens = {
        "tampered": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "truncated": good[: len(good) // 2],
        "garbage": "this-is-not-a-token",
        "other-session": signing.dumps(
            {"i": simona.pk, "s": make_session(council, days=60).pk}, salt=RSVP_SALT
        ),
        "other-salt": signing.dumps({"i": simona.pk, "s": simona.session_id}, salt="x"),
    }
    text = GONE if token == "other-session" else INVALID
    assert_invalid_page(en.get(url(tokens[token])), 404, text)
    before = row_counts()
    assert_invalid_page(en.post(url(tokens[token]), {"response": "attending"}), 404, text)
    assert row_counts() == before
    simona.refresh_from_db()
    assert simona.response == ""


def test_rsvp_page_expired_link_is_410(en, simona, settings):
    settings.RSVP_LINK_MAX_AGE_DAYS = 0
    token = old_token(simona, seconds_ago=10)
    assert_invalid_page(en.get(url(token)), 410, EXPIRED)
    assert_invalid_page(en.post(url(token), {"response": "attending"}), 410, EXPIRED)
    simona.refresh_from_db()
    assert simona.response == ""


def test_rsvp_page_expired_link_by_time_travel_is_410(en, simona):
    token = rsvp_token(simona)
    travelled = time.time() + (django_settings.RSVP_LINK_MAX_AGE_DAYS + 1) * DAY
    with mock.patch("django.core.signing.time.time", return_value=travelled):
        response = en.get(url(token))
    assert_invalid_page(response, 410, EXPIRED)


def test_rsvp_page_cancelled_session_is_410(en, simona, convened, secretary):
    services.session_cancel(session=convened, by=secretary, reason="Premalo prijav")
    token = rsvp_token(simona)
    assert_invalid_page(en.get(url(token)), 410, CANCELLED)
    assert_invalid_page(en.post(url(token), {"response": "attending"}), 410, CANCELLED)
    simona.refresh_from_db()
    assert simona.response == ""


def test_rsvp_page_past_session_is_410(en, simona, convened):
    Session.objects.filter(pk=convened.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert_invalid_page(en.get(url(rsvp_token(simona))), 410, PAST)


def test_rsvp_page_held_session_is_410(en, simona, convened):
    Session.objects.filter(pk=convened.pk).update(status=Session.Status.HELD)
    assert_invalid_page(en.get(url(rsvp_token(simona))), 410, PAST)


def test_rsvp_page_deactivated_invitee_is_gone(en, simona, convened, secretary, members):
    token = rsvp_token(simona)
    services.invitation_send(session=convened, by=secretary, memberships=[members[0], members[2]])
    assert_invalid_page(en.get(url(token)), 404, GONE)


def test_rsvp_page_in_the_councils_language_without_a_cookie(client, simona):
    response = client.get(url(rsvp_token(simona)))
    assert response.status_code == 200
    assert response.context["form"].fields["response"].label == "Vaš odgovor"


def test_rsvp_page_in_the_language_chosen_by_the_cookie(en, simona):
    response = en.get(url(rsvp_token(simona)))
    assert response.context["LANGUAGE_CODE"] == "en"
    assert response.context["form"].fields["response"].label == "Your answer"


def test_rsvp_page_unknown_language_cookie_falls_back_to_a_supported_language(client, simona):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx-evil"
    response = client.get(url(rsvp_token(simona)))
    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] in {"sl", "en"}
    assert response["Content-Language"] in {"sl", "en"}


def test_rsvp_page_substitute_without_email_keeps_input_and_saves_nothing(en, simona):
    before = row_counts()
    response = en.post(
        url(rsvp_token(simona)),
        {"response": "substitute", "substitute_name": "Janez Novak", "note": "Bolniška"},
    )
    assert response.status_code == 200
    assert "saved" not in response.context
    assert response.context["form"].errors == {
        "substitute_email": ["Give the substitute's e-mail address."]
    }
    assert rendered_errors(response, "substitute_email") == [
        "Give the substitute's e-mail address."
    ]
    assert rendered_errors(response, "substitute_name") == []
    assert input_value(response, "substitute_name") == "Janez Novak"
    assert input_value(response, "note") == "Bolniška"
    assert re.search(r'<input[^>]*value="substitute"[^>]*checked', response.content.decode())
    assert row_counts() == before
    simona.refresh_from_db()
    assert (simona.response, simona.response_note) == ("", "")


def test_rsvp_page_substitute_without_name_is_an_error_on_the_name(en, simona):
    before = row_counts()
    response = en.post(
        url(rsvp_token(simona)),
        {"response": "substitute", "substitute_email": "janez@example.test"},
    )
    assert rendered_errors(response, "substitute_name") == ["Give the substitute's name."]
    assert input_value(response, "substitute_email") == "janez@example.test"
    assert row_counts() == before


def test_rsvp_page_substitute_bad_email_is_an_error_on_the_email(en, simona):
    response = en.post(
        url(rsvp_token(simona)),
        {"response": "substitute", "substitute_name": "Janez", "substitute_email": "janez@"},
    )
    assert rendered_errors(response, "substitute_email") == ["Enter a valid email address."]
    assert input_value(response, "substitute_email") == "janez@"
    assert not Invitee.objects.filter(kind="substitute").exists()


def test_rsvp_page_substitute_already_invited_is_an_error_on_the_email(en, simona):
    before = row_counts()
    response = en.post(
        url(rsvp_token(simona)),
        {
            "response": "substitute",
            "substitute_name": "Tjaša",
            "substitute_email": "tjasa@example.test",
        },
    )
    assert response.status_code == 200
    assert rendered_errors(response, "substitute_email") == [
        "This person is already invited to the session."
    ]
    assert row_counts() == before


def test_rsvp_page_without_an_answer_is_an_error(en, simona):
    response = en.post(url(rsvp_token(simona)), {"note": "?"})
    assert response.context["form"].errors == {"response": ["This field is required."]}
    simona.refresh_from_db()
    assert simona.response == ""


# The signed-in member on the session page ------------------------------------------


def test_session_rsvp_view_records_a_signed_in_members_answer(
    client, council, secretary, member, upcoming
):
    membership = Membership.objects.get(person__user=member)
    services.invitation_send(session=upcoming, by=secretary, memberships=[membership])
    client.force_login(member)
    response = client.post(
        reverse("sessions:session_rsvp", kwargs={"council_slug": council.slug, "pk": upcoming.pk}),
        {"response": "attending"},
    )
    assert response.status_code == 302
    assert Invitee.objects.get(person__user=member).response == "attending"


def test_session_rsvp_view_not_invited_is_403(client, council, member, upcoming):
    client.force_login(member)
    response = client.post(
        reverse("sessions:session_rsvp", kwargs={"council_slug": council.slug, "pk": upcoming.pk}),
        {"response": "attending"},
    )
    assert response.status_code == 403
