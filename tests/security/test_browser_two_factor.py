"""Two-factor authentication in a real browser: set it up from the account menu with the
key shown on the page (codes computed from it as an authenticator app does), then sign
out and sign in again with the password and a code."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..browser import screenshot, sign_in
from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sl(message: str) -> str:
    with translation.override("sl"):
        return gettext(message)


class App:
    """An authenticator app: the key typed in from the page, six digits every 30 s."""

    def __init__(self, key_text: str):
        key = key_text.replace(" ", "")
        self.key = b32decode(key + "=" * (-len(key) % 8))
        self.used = -1

    def code(self) -> str:
        # A real app shows the current step's code; after one is used, the user waits
        # for the next one — here we take the next step at once (the server accepts
        # one step either side of now, and each step only once).
        step = max(int(time.time() // 30), self.used + 1)
        self.used = step
        return f"{hotp(self.key, step):06d}"


def test_set_up_and_sign_in_with_a_code(page):
    base = page.live_server_url
    UserFactory(username="tajnica", first_name="Tina", last_name="Tajnica")
    sign_in(page, "tajnica")

    # The account menu leads to the page; set-up shows a QR code and the key.
    page.click("header .dropdown-toggle")
    page.click(f"header a.dropdown-item:has-text('{sl('Two-factor authentication')}')")
    page.wait_for_url(f"{base}/accounts/two-factor/")
    page.click(f"button:has-text('{sl('Set up two-factor authentication')}')")
    qr = page.locator("svg.totp-qr")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 120
    app = App(page.inner_text("#manual-key"))
    screenshot(page, "two-factor-1-set-up")

    page.fill("#id_code", app.code())
    page.click(f"button:has-text('{sl('Turn on two-factor authentication')}')")
    page.wait_for_url(f"{base}/accounts/two-factor/")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    with translation.override("sl"):
        assert page.locator(".badge.text-bg-success").inner_text() == pgettext(
            "two-factor status", "On"
        )
    screenshot(page, "two-factor-2-backup-codes")
    assert TOTPDevice.objects.get(user__username="tajnica").confirmed

    # Sign out; signing in again asks for a code after the password.
    page.click(f"header button:has-text('{sl('Sign out')}')")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "tajnica")
    page.fill("#id_password", "pass-word-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    assert page.locator("#id_code").evaluate("e => e === document.activeElement")
    screenshot(page, "two-factor-3-code-page")

    page.fill("#id_code", "12345")
    page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text() == sl(
        "Enter the 6-digit code from your app, or one of your backup codes."
    )
    # Nothing else opens before the code is entered.
    page.goto(f"{base}/tasks/")
    page.wait_for_url(f"{base}/accounts/two-factor/verify/?next=%2Ftasks%2F")

    page.fill("#id_code", app.code())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/tasks/")
    page.goto(f"{base}/dashboard/")
    assert page.locator("h1").inner_text() == sl("My councils")
    screenshot(page, "two-factor-4-signed-in")
