"""E-mail subjects are plain text: nothing in them may arrive HTML-escaped."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

COUNCIL = SimpleNamespace(display_name="Sosvet Ptuj & Kidričevo <MO>")
SESSION = SimpleNamespace(number=3, date=datetime.date(2026, 12, 3))
TASK = SimpleNamespace(
    conclusion=SimpleNamespace(label="3/1 & 3/2"), due_date=datetime.date(2027, 1, 31)
)
PROPOSAL = SimpleNamespace(title="Šola & promet", get_status_display="sprejet")


@pytest.mark.parametrize(
    "template, context",
    [
        ("invitation", {"council": COUNCIL, "s": SESSION}),
        ("invitation", {"council": COUNCIL, "s": SESSION, "is_update": True}),
        ("invitation", {"council": COUNCIL, "s": SESSION, "is_cancellation": True}),
        ("reminder", {"council": COUNCIL, "s": SESSION}),
        ("task_reminder", {"council": COUNCIL, "task": TASK, "overdue": True}),
        ("task_reminder", {"council": COUNCIL, "task": TASK, "overdue": False}),
        ("proposal_decision", {"council": COUNCIL, "proposal": PROPOSAL}),
    ],
)
def test_subject_is_not_html_escaped(template, context):
    subject = render_to_string(f"sessions/email/{template}_subject.txt", context)
    assert "&amp;" not in subject and "&lt;" not in subject and "&#x27;" not in subject
    assert "&" in subject
