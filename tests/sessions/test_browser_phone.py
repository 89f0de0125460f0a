"""The secretary's pages on a 375 px phone: no page scrolls sideways as a whole.

Wide tables may scroll inside their own .table-responsive box, but the page itself must
not (a visually hidden label placed absolutely inside a scrolling table used to stretch
the page), and the agenda row buttons wrap instead of being cut off. At 1280 px the
agenda row buttons stay on one line beside the item.
"""

import pytest

from sessions import services

from ..browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 375
LONG_TITLE = "Prometna varnost na šolskih poteh v okolici Osnovne šole Mladika in Ljudskega vrta"


@pytest.fixture
def busy_session(council, secretary, members, upcoming):
    """The upcoming session with a long agenda item, a pending proposal and an invitation."""
    services.agenda_item_create(session=upcoming, by=secretary, data={"title": LONG_TITLE})
    services.proposal_submit(
        session=upcoming,
        by=secretary,
        proposer=members[0].person,
        data={"title": LONG_TITLE, "rationale": "Starši opozarjajo na nevarne prehode."},
    )
    services.invitation_send(session=upcoming, by=secretary, memberships=members)
    return upcoming


def page_width(page, url: str) -> int:
    page.goto(url)
    return page.evaluate("document.documentElement.scrollWidth")


def test_secretarys_pages_do_not_scroll_sideways_on_a_phone(page, council, secretary, busy_session):
    sign_in(page, "tajnik")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    base = f"{page.live_server_url}/c/{council.slug}"
    paths = [
        f"/sessions/{busy_session.pk}/",
        "/memberships/",
        "/proposals/",
        f"/sessions/{busy_session.pk}/invitations/1/",
    ]
    widths = {path: page_width(page, base + path) for path in paths}
    assert widths == dict.fromkeys(paths, PHONE_WIDTH)

    # The agenda row buttons wrap below the item, none of them cut off.
    page.goto(f"{base}/sessions/{busy_session.pk}/")
    screenshot(page, "phone-session-detail")
    controls = page.locator(".agenda-controls .btn")
    assert controls.count() == 3 * 5
    for box in (controls.nth(i).bounding_box() for i in range(controls.count())):
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE_WIDTH


def test_agenda_row_buttons_stay_on_one_line_on_a_wide_screen(page, council, secretary, upcoming):
    sign_in(page, "tajnik")
    page.goto(f"{page.live_server_url}/c/{council.slug}/sessions/{upcoming.pk}/")
    first_row = page.locator(".agenda-item").first
    buttons = first_row.locator(".agenda-controls .btn")
    tops = {round(buttons.nth(i).bounding_box()["y"]) for i in range(buttons.count())}
    assert buttons.count() == 5
    assert len(tops) == 1
    item_box = first_row.locator(".flex-grow-1").bounding_box()
    controls_box = first_row.locator(".agenda-controls").bounding_box()
    assert controls_box["x"] > item_box["x"] + item_box["width"] - 1  # beside the item, not below
