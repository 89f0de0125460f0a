"""The secretary answers a member's data request in a real browser.

The secretary signs in (one failed attempt first), opens the member's page, downloads
the data export, erases the contact data through the confirmation page (a wrong name
is refused first) and reads both in the council's audit log. The member's login is
closed: signing in with it fails.
"""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from councils.models import AuditEvent, Person

from ..browser import screenshot
from .conftest import EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sl(message: str, **params) -> str:
    with translation.override("sl"):
        text = gettext(message)
    return text % params if params else text


def sign_in(page, username, password="pass-word-123"):
    page.goto(f"{page.live_server_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_secretary_exports_and_erases_a_members_data(page, council, secretary, marta, marta_world):
    base = page.live_server_url
    sign_in(page, "tajnik", "wrong")
    sign_in(page, "tajnik")
    page.wait_for_url(f"{base}/dashboard/")

    page.goto(f"{base}/c/{council.slug}/people/{marta.pk}/")
    screenshot(page, "privacy-01-person")
    with page.expect_download() as download:
        page.click("section.person-privacy form button[type=submit]")
    exported = json.loads(download.value.path().read_text())
    assert download.value.suggested_filename.startswith("ptuj-marta-kos-")
    assert exported["records"][0]["person"]["email"] == EMAIL
    assert exported["login"]["username"] == "marta"

    page.click("section.person-privacy a.btn-outline-danger")
    page.wait_for_url(re.compile(r"/people/\d+/erase/$"))
    screenshot(page, "privacy-02-erase-confirmation")
    assert "marta" in page.locator("main .alert-warning").inner_text()  # the login to close
    page.fill("#id_confirm_name", "Marta Novak")
    page.fill("#id_reason", "Zahteva z dne 20. 11., št. 094-12")
    page.click("main form [type=submit]")
    error = page.locator(".invalid-feedback").first.inner_text()
    assert error == sl("Type the name exactly as shown: %(name)s.", name="Marta Kos")
    assert Person.objects.get(pk=marta.pk).email == EMAIL

    page.fill("#id_confirm_name", "Marta Kos")
    page.click("main form [type=submit]")
    page.wait_for_url(f"{base}/c/{council.slug}/people/{marta.pk}/")
    screenshot(page, "privacy-03-erased")
    assert EMAIL not in page.content()
    marta.refresh_from_db()
    assert (marta.email, marta.phone, marta.user_id) == ("", "", None)

    page.goto(f"{base}/c/{council.slug}/audit/")
    page.select_option("#id_action", AuditEvent.Action.PERSON_ERASED)
    page.click("form.filter-form button[type=submit]")
    screenshot(page, "privacy-04-audit")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Zahteva z dne 20. 11., št. 094-12" in rows.first.inner_text()
    page.goto(f"{base}/c/{council.slug}/audit/")
    text = page.locator("main table").inner_text()
    with translation.override("sl"):
        labels = [
            str(AuditEvent.Action(action).label)
            for action in ("person_exported", "person_erased", "sign_in", "sign_in_failed")
        ]
    assert all(label in text for label in labels), labels

    # The member's login is closed.
    page.context.clear_cookies()
    sign_in(page, "marta")
    assert page.url.endswith("/accounts/login/")
