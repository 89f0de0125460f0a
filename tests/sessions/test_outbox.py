"""The outbox maintenance: interrupted deliveries and the cron fallback command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from sessions.models import Delivery
from sessions.tasks import release_interrupted

from .test_invitation_flow import _send

pytestmark = pytest.mark.django_db


def test_interrupted_delivery_is_marked_failed_not_resent(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse_after(0)
    invitation = _send(upcoming, secretary, django_capture_on_commit_callbacks)
    stuck = invitation.deliveries.first()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.filter(pk=stuck.pk).update(status="sending", next_attempt_at=long_ago)
    assert release_interrupted() == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert "Interrupted" in stuck.last_error


def test_deliver_outbox_command_sends_what_is_due(
    council, secretary, members, upcoming, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse_after(0)
    invitation = _send(upcoming, secretary, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []
    smtp_server.recover()
    invitation.deliveries.update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("deliver_outbox", stdout=out)
    assert out.getvalue().startswith("sent 3,")
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "aleksander@example.test",
        "simona@example.test",
        "tjasa@example.test",
    ]
