"""The secretary's journey in a real browser: sign in and add a non-standing member."""

import pytest

from councils.models import Membership, Person

from ..browser import screenshot, sign_in
from ..factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_adds_a_non_standing_member(page, council, secretary):
    OrganisationFactory(council=council, name="Osnovna šola Mladika", kind="school")
    sign_in(page, "tajnik")
    assert page.locator("html").get_attribute("lang") == "sl"

    page.click(f"a[href='/c/{council.slug}/']")
    page.click(f"nav a[href='/c/{council.slug}/memberships/']")
    page.click("a[href$='?kind=non_standing']")
    assert page.locator("#id_kind").input_value() == "non_standing"

    # The person is not in the list yet: add her, and come back to the membership form.
    page.click("a[href*='/people/new/?then=membership']")
    page.fill("#id_first_name", "Katja")
    page.fill("#id_last_name", "Ribič")
    page.fill("#id_function", "ravnateljica")
    page.fill("#id_email", "katja.ribic@example.test")
    page.click("main form [type=submit]")
    page.wait_for_url("**/memberships/new/?person=*")
    person = Person.objects.get(last_name="Ribič")
    assert page.locator("#id_person").input_value() == str(person.pk)
    assert page.locator("#id_kind").input_value() == "non_standing"

    page.select_option("#id_organisation", label="Osnovna šola Mladika")
    page.fill("#id_start_date", "2024-03-01")
    page.fill("#id_end_date", "2024-06-30")
    page.fill("#id_note", "Varnost na šolskih poteh")
    screenshot(page, "membership-form")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/c/{council.slug}/memberships/")

    membership = Membership.objects.get(person=person)
    assert membership.kind == Membership.Kind.NON_STANDING
    assert membership.organisation.name == "Osnovna šola Mladika"
    assert str(membership.end_date) == "2024-06-30"

    # Today's list no longer shows her (the case is over); the 2024 list does.
    page.fill("#id_active_on", "")
    page.fill("#id_year", "2024")
    page.click(".filter-form button[type=submit]")
    row = page.locator("tbody tr", has_text="Katja Ribič")
    assert row.count() == 1
    assert "Osnovna šola Mladika" in row.inner_text()
    screenshot(page, "membership-list-2024")


def test_membership_form_errors_keep_the_input(page, council, secretary):
    person = PersonFactory(council=council, first_name="Boštjan", last_name="Čeh")
    sign_in(page, "tajnik")
    page.goto(f"{page.live_server_url}/c/{council.slug}/memberships/new/")
    page.select_option("#id_person", str(person.pk))
    page.fill("#id_start_date", "2024-05-01")
    page.fill("#id_end_date", "2024-04-01")
    page.fill("#id_note", "Šolske poti")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator("#id_end_date").input_value() == "2024-04-01"
    assert page.locator("#id_note").input_value() == "Šolske poti"
    error = page.locator("#id_end_date ~ .invalid-feedback, #error_1_id_end_date")
    assert "ne more" in error.first.inner_text() or "cannot" in error.first.inner_text()
    assert Membership.objects.count() == 0


def test_council_tabs_stay_on_one_line(page, council, secretary):
    """At 1280 px every tab of the council's sections fits on one line; on a phone the bar
    scrolls sideways instead of wrapping, and the page itself does not."""
    sign_in(page, "tajnik")
    page.goto(f"{page.live_server_url}/c/{council.slug}/audit/")
    tabs = page.locator(".council-tabs .nav-link")
    assert tabs.count() >= 10  # the secretary sees every section, the audit log too
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1

    page.set_viewport_size({"width": 375, "height": 800})
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(
        "(() => { const bar = document.querySelector('.council-tabs');"
        " return bar.scrollWidth > bar.clientWidth; })()"
    )
    screenshot(page, "council-tabs-phone")
