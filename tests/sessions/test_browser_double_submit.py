"""A double click on a form's submit button sends one request (static/js/forms.js)."""

import pytest

from ..browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Submits the form twice in a row, as a double click does, and reports for each submit
# event whether it was cancelled; a listener on the window (the last to see the event)
# cancels what would otherwise leave the page, so that the test can look at the form.
DOUBLE_SUBMIT = """() => {
    const form = document.querySelector("main form[method=post]");
    const cancelled = [];
    window.addEventListener("submit", (event) => {
        cancelled.push(event.defaultPrevented);
        event.preventDefault();
    });
    form.requestSubmit();
    form.requestSubmit();
    const busy = form.getAttribute("aria-busy");
    window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true}));  // Back
    return {cancelled, busy, rearmed: form.dataset.submitting === undefined};
}"""


def test_a_second_submit_while_the_first_is_on_its_way_is_dropped(page, council, secretary):
    sign_in(page, "tajnik")
    page.goto(f"{page.live_server_url}/c/{council.slug}/sessions/new/")
    page.fill("#id_date", "2030-01-15")
    page.fill("#id_start_time", "17:00")

    result = page.evaluate(DOUBLE_SUBMIT)

    assert result == {"cancelled": [False, True], "busy": "true", "rearmed": True}
