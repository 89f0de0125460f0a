"""Two-factor authentication: set-up, the second sign-in step, backup codes, throttling,
switching it off, REQUIRE_2FA_FOR_STAFF and the admin."""

from __future__ import annotations

import datetime
import re
from base64 import b32encode

import pytest
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import CouncilRole, Membership
from sosvet.security import state

from ..factories import CouncilRoleFactory, MembershipFactory, PersonFactory, UserFactory
from .helpers import enrol, totp_code, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
OTP_MIDDLEWARE = (
    "django_otp.middleware.OTPMiddleware",
    "sosvet.security.middleware.TwoFactorMiddleware",
)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client, username: str):
    """The first step: the password through the real sign-in page."""
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def field_errors(response, form: str = "form") -> list[str]:
    return response.context[form].errors.get("code", [])


# --- set-up -------------------------------------------------------------------------


def test_set_up_shows_a_qr_code_and_the_key_and_needs_a_code(english, secretary):
    client = english
    client.force_login(secretary)
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert "Off" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=secretary).exists()

    assert client.post(reverse("two_factor_setup"))["Location"] == reverse("two_factor")
    device = TOTPDevice.objects.get(user=secretary)
    assert device.confirmed is False
    page = client.get(reverse("two_factor"))
    html = page.content.decode()
    # The QR code is inline SVG made on the server; the key is there to type in.
    assert re.search(r'<svg role="img" width="\d+" height="\d+" class="totp-qr">', html)
    key = b32encode(device.bin_key).decode().rstrip("=")
    assert page.context["manual_key"].replace(" ", "") == key
    assert page.context["manual_key"] in html
    assert "otpauth://totp/sosvet%3Atajnik?secret=" + key in device.config_url
    assert page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"]

    # A wrong code: the message next to the field; nothing is switched on.
    response = client.post(reverse("two_factor_confirm"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert field_errors(response, "enable_form") == [
        "The code is not correct. Check that the clock of your phone is right and try again."
    ]
    assert 'id="error_1_id_code"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    response = client.post(reverse("two_factor_confirm"), {"code": totp_code(device)})
    assert response["Location"] == reverse("two_factor")
    device.refresh_from_db()
    assert device.confirmed is True
    # Ten backup codes, shown once.
    page = client.get(reverse("two_factor"))
    codes = page.context["new_backup_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    assert "Two-factor authentication is on." in page.content.decode()
    assert StaticToken.objects.filter(device__user=secretary).count() == 10
    assert client.get(reverse("two_factor")).context["new_backup_codes"] is None
    # This session is verified: the pages open without another code.
    assert client.get(reverse("dashboard")).status_code == 200


def test_set_up_takes_only_a_six_digit_code(english, secretary):
    english.force_login(secretary)
    english.post(reverse("two_factor_setup"))

    response = english.post(reverse("two_factor_confirm"), {"code": "abcd-efgh"})

    assert field_errors(response, "enable_form") == ["Enter the 6-digit code that the app shows."]


def test_confirming_without_a_pending_set_up_asks_to_start_again(english, secretary):
    english.force_login(secretary)

    response = english.post(reverse("two_factor_confirm"), {"code": "123456"})

    assert field_errors(response, "enable_form") == ["The set-up has expired. Start it again."]


# --- sign-in ------------------------------------------------------------------------


def test_sign_in_without_two_factor_needs_no_code(client, secretary, council):
    response = sign_in(client, "tajnik")
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(council.get_absolute_url()).status_code == 200


def test_sign_in_with_two_factor_asks_for_the_code_first(english, secretary, council):
    client = english
    device, _codes = enrol(secretary)
    sign_in(client, "tajnik")

    # Signed in with the password only: every page leads to the code page.
    for url in (reverse("dashboard"), council.get_absolute_url(), reverse("my_tasks")):
        response = client.get(url)
        assert response.status_code == 302
        assert (
            response["Location"] == f"{reverse('two_factor_verify')}?next={url.replace('/', '%2F')}"
        )
    page = client.get(reverse("two_factor_verify"), {"next": council.get_absolute_url()})
    assert page.status_code == 200
    assert "You are signing in as <strong>tajnik</strong>" in page.content.decode()

    wrong = client.post(
        reverse("two_factor_verify"),
        {"code": wrong_code(device), "next": council.get_absolute_url()},
    )
    assert wrong.status_code == 200
    assert field_errors(wrong) == [
        "The code is not correct. Check that the clock of your phone is right and try again."
    ]
    assert client.get(council.get_absolute_url()).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    session_key = client.session.session_key
    right = client.post(
        reverse("two_factor_verify"),
        {"code": totp_code(device), "next": council.get_absolute_url()},
    )
    assert right["Location"] == council.get_absolute_url()
    assert client.session.session_key != session_key  # a new key for the new privilege
    assert client.get(council.get_absolute_url()).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_same_code_cannot_be_used_twice(english, secretary):
    device, _codes = enrol(secretary)
    code = totp_code(device)
    sign_in(english, "tajnik")
    assert english.post(reverse("two_factor_verify"), {"code": code}).status_code == 302

    other = english.__class__()
    sign_in(other, "tajnik")
    assert other.post(reverse("two_factor_verify"), {"code": code}).status_code == 200


def test_code_page_is_in_slovenian_by_default(client, secretary):
    device, _codes = enrol(secretary)
    sign_in(client, "tajnik")

    response = client.post(reverse("two_factor_verify"), {"code": wrong_code(device)})

    assert '<html lang="sl">' in response.content.decode()
    assert field_errors(response) == [
        "Koda ni pravilna. Preverite, ali je ura na vašem telefonu točna, in poskusite znova."
    ]


def test_wrong_codes_are_throttled(english, secretary):
    device, _codes = enrol(secretary)
    sign_in(english, "tajnik")

    english.post(reverse("two_factor_verify"), {"code": wrong_code(device)})
    # Straight after a wrong code even the right one must wait.
    response = english.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert field_errors(response) == ["Too many wrong codes. Wait 1 second and try again."]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # Four more wrong codes (each after its wait): the wait doubles every time.
    for _ in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=device.throttling_failure_timestamp
            - datetime.timedelta(hours=1)
        )
        english.post(reverse("two_factor_verify"), {"code": wrong_code(device)})
        device.refresh_from_db()
    assert device.throttling_failure_count == 5
    response = english.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert field_errors(response) == ["Too many wrong codes. Wait 16 seconds and try again."]

    # Once the wait is over the right code works and the counter starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp
        - datetime.timedelta(seconds=17)
    )
    assert (
        english.post(reverse("two_factor_verify"), {"code": totp_code(device)}).status_code == 302
    )
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_backup_code_works_once(english, secretary):
    _device, codes = enrol(secretary)
    sign_in(english, "tajnik")

    response = english.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "You signed in with a backup code; 9 backup codes are left." in response.content.decode()
    assert StaticToken.objects.filter(device__user=secretary).count() == 9

    english.post(reverse("logout"))
    sign_in(english, "tajnik")
    again = english.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert field_errors(again) == [
        "The code is not correct. Check that the clock of your phone is right and try again."
    ]
    StaticDevice.objects.filter(user=secretary).update(throttling_failure_count=0)
    assert english.post(reverse("two_factor_verify"), {"code": codes[1]}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(english, secretary):
    device, codes = enrol(secretary)
    sign_in(english, "tajnik")
    english.post(reverse("two_factor_verify"), {"code": totp_code(device)})

    assert english.post(reverse("two_factor_backup_codes"))["Location"] == reverse("two_factor")
    new_codes = english.get(reverse("two_factor")).context["new_backup_codes"]

    assert len(new_codes) == 10
    tokens = set(StaticToken.objects.filter(device__user=secretary).values_list("token", flat=True))
    assert tokens == {c.replace("-", "") for c in new_codes}
    assert not tokens & {c.replace("-", "") for c in codes}


def test_the_code_page_only_follows_links_to_this_site(client, secretary):
    device, _codes = enrol(secretary)
    sign_in(client, "tajnik")

    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(device), "next": "https://evil.test/"}
    )

    assert response["Location"] == reverse("dashboard")


def test_a_user_without_two_factor_is_sent_on_from_the_code_page(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("two_factor_verify"), {"next": "/tasks/"})

    assert response["Location"] == "/tasks/"


def test_sign_out_and_language_switch_work_before_the_code(client, secretary):
    enrol(secretary)
    sign_in(client, "tajnik")

    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_council_pages_require_the_code_even_without_the_middleware(
    client, settings, secretary, council
):
    """Defence in depth: the tenancy mixin checks the second step itself."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != OTP_MIDDLEWARE[1]]
    enrol(secretary)
    sign_in(client, "tajnik")

    response = client.get(council.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_no_extra_queries_for_users_without_two_factor(client, settings, secretary, council):
    client.force_login(secretary)
    url = council.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as with_otp:
        assert client.get(url).status_code == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in OTP_MIDDLEWARE]
    with CaptureQueriesContext(connection) as without_otp:
        assert client.get(url).status_code == 200

    assert len(with_otp) == len(without_otp)


# --- switching it off ---------------------------------------------------------------


def test_switching_off_needs_a_code(english, secretary):
    device, _codes = enrol(secretary)
    sign_in(english, "tajnik")
    english.post(reverse("two_factor_verify"), {"code": totp_code(device)})

    wrong = english.post(reverse("two_factor_disable"), {"code": wrong_code(device)})
    assert wrong.status_code == 200
    assert field_errors(wrong, "disable_form") == [
        "The code is not correct. Check that the clock of your phone is right and try again."
    ]
    assert TOTPDevice.objects.filter(user=secretary, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    response = english.post(reverse("two_factor_disable"), {"code": totp_code(device)}, follow=True)
    assert "Two-factor authentication is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert not StaticToken.objects.filter(device__user=secretary).exists()

    english.post(reverse("logout"))
    assert sign_in(english, "tajnik")["Location"] == reverse("dashboard")
    assert english.get(reverse("dashboard")).status_code == 200


# --- REQUIRE_2FA_FOR_STAFF ----------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


def test_secretaries_must_set_it_up_first_when_required(english, required, secretary, council):
    client = english
    sign_in(client, "tajnik")

    for url in (reverse("dashboard"), council.get_absolute_url(), reverse("password_change")):
        assert client.get(url)["Location"] == reverse("two_factor"), url
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert "Your role requires two-factor authentication." in page.content.decode()

    client.post(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=secretary)
    client.post(reverse("two_factor_confirm"), {"code": totp_code(device)})

    assert client.get(council.get_absolute_url()).status_code == 200
    # It cannot be switched off while the role requires it.
    response = client.post(reverse("two_factor_disable"), {"code": totp_code(device)}, follow=True)
    assert "it cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=secretary, confirmed=True).exists()


@pytest.mark.parametrize("who", ["chair_role", "chair_membership", "superuser", "staff"])
def test_required_for_everyone_who_manages_or_administers(client, required, council, who):
    user = UserFactory(username="vodja", is_superuser=who == "superuser", is_staff=who == "staff")
    if who == "chair_role":
        CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.CHAIR)
    if who == "chair_membership":
        person = PersonFactory(council=council, user=user)
        MembershipFactory(council=council, person=person, role=Membership.Role.CHAIR)
    sign_in(client, "vodja")

    assert client.get(reverse("dashboard"))["Location"] == reverse("two_factor")


@pytest.mark.parametrize("who", ["member", "mayors_office"])
def test_not_required_for_members_and_the_mayors_office(client, required, who, request):
    user = request.getfixturevalue(who)
    sign_in(client, user.username)

    assert client.get(reverse("dashboard")).status_code == 200


def test_not_required_when_the_setting_is_off(client, secretary):
    sign_in(client, "tajnik")

    assert client.get(reverse("dashboard")).status_code == 200


# --- Django admin -------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(username="skrbnik", is_staff=True, is_superuser=True)


def test_admin_asks_for_the_code_of_an_administrator_with_two_factor(client, admin_user):
    device, _codes = enrol(admin_user)
    sign_in(client, "skrbnik")

    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("two_factor_verify"))

    client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_checks_verification_itself(client, settings, admin_user):
    """Without the middleware the admin site still refuses an unverified administrator."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != OTP_MIDDLEWARE[1]]
    device, _codes = enrol(admin_user)
    sign_in(client, "skrbnik")

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_requires_set_up_when_required(client, settings, required, admin_user):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != OTP_MIDDLEWARE[1]]
    sign_in(client, "skrbnik")

    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_without_two_factor_is_unchanged(client, admin_user):
    sign_in(client, "skrbnik")

    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_sign_in_goes_through_the_site_sign_in(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})

    assert response["Location"] == f"{reverse('login')}?next=/admin/"


def test_admin_lists_the_devices_for_removing_a_lost_phone(client, admin_user):
    sign_in(client, "skrbnik")
    enrol(UserFactory(username="izgubljen-telefon"))

    response = client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert response.status_code == 200
    assert "izgubljen-telefon" in response.content.decode()


def test_the_state_is_decided_at_every_sign_in(rf, secretary):
    enrol(secretary)
    request = rf.get("/")
    request.session = SessionStore()
    user_logged_in.send(sender=secretary.__class__, request=request, user=secretary)

    assert request.session[state.SESSION_KEY] == state.VERIFY
