"""Retention: old e-mail texts and sign-in records are pruned; official documents stay."""

from __future__ import annotations

import datetime
import io

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone

from councils import privacy
from councils.models import AuditEvent
from councils.tasks import prune_retention
from sessions.models import Delivery, Invitation, MinutesVersion

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def age(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def aged(council, marta_world):
    """The sent invitation and the failed reminder are 400 days old; one recent e-mail."""
    Delivery.objects.filter(pk=marta_world["sent"].pk).update(created=age(400))
    Delivery.objects.filter(pk=marta_world["queued"].pk).update(
        created=age(400), status=Delivery.Status.FAILED, last_error="SMTP 550 mailbox unavailable"
    )
    recent = Delivery.objects.create(
        council=council,
        session=marta_world["upcoming"],
        purpose=Delivery.Purpose.REMINDER,
        key="recent",
        to_email="nekdo@example.test",
        status=Delivery.Status.SENT,
        subject="Opomnik",
        body_text="Besedilo",
    )
    waiting = Delivery.objects.create(
        council=council,
        session=marta_world["upcoming"],
        purpose=Delivery.Purpose.REMINDER,
        key="waiting",
        to_email="nekdo@example.test",
        subject="V čakalni vrsti",
    )
    Delivery.objects.filter(pk=waiting.pk).update(created=age(400))
    return {**marta_world, "recent": recent, "waiting": waiting}


def sign_ins(days_ago_list):
    for days in days_ago_list:
        AuditEvent.objects.create(action=Action.SIGN_IN, actor="clan", created=age(days))


def test_old_email_texts_and_logs_are_emptied_and_the_rows_kept(aged):
    counts = privacy.retention_prune()

    sent = Delivery.objects.get(pk=aged["sent"].pk)
    failed = Delivery.objects.get(pk=aged["queued"].pk)
    assert (sent.subject, sent.body_text, sent.body_html) == ("", "", "")
    assert (failed.last_error, failed.status) == ("", Delivery.Status.FAILED)
    assert (sent.status, sent.to_email, sent.key) == (
        Delivery.Status.SENT,
        aged["sent"].to_email,
        aged["sent"].key,
    )
    assert counts["deliveries"] == 2
    recent = Delivery.objects.get(pk=aged["recent"].pk)
    assert (recent.subject, recent.body_text) == ("Opomnik", "Besedilo")
    assert Delivery.objects.get(pk=aged["waiting"].pk).subject == "V čakalni vrsti"  # not sent


def test_official_documents_are_never_pruned(aged):
    before = (
        list(Invitation.objects.values_list("pk", "pdf", "snapshot")),
        list(MinutesVersion.objects.values_list("pk", "pdf", "snapshot")),
    )
    Invitation.objects.update(created=age(4000))
    MinutesVersion.objects.update(created=age(4000))

    privacy.retention_prune()

    after = (
        list(Invitation.objects.values_list("pk", "pdf", "snapshot")),
        list(MinutesVersion.objects.values_list("pk", "pdf", "snapshot")),
    )
    assert after == before


def test_old_sign_in_records_are_removed_and_the_rest_of_the_log_kept(council):
    sign_ins([400, 10])
    AuditEvent.objects.create(action=Action.PERSON_ERASED, council=council, created=age(4000))
    AccessLog.objects.create(username="clan", ip_address="192.0.2.1", user_agent="x")
    AccessLog.objects.update(attempt_time=age(400))
    AccessLog.objects.create(username="clan", ip_address="192.0.2.2", user_agent="y")

    counts = privacy.retention_prune()

    assert counts["sign_ins"] == 2
    remaining = AuditEvent.objects.exclude(action=Action.RETENTION_PRUNED)
    assert sorted(remaining.values_list("action", flat=True)) == ["person_erased", "sign_in"]
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["192.0.2.2"]


def test_pruning_is_recorded_once_and_a_second_run_changes_nothing(aged):
    sign_ins([400])

    first = privacy.retention_prune()
    second = privacy.retention_prune()

    assert (first["deliveries"], first["sign_ins"]) == (2, 1)
    assert (second["deliveries"], second["sign_ins"]) == (0, 0)
    (event,) = AuditEvent.objects.filter(action=Action.RETENTION_PRUNED)
    assert (event.details["deliveries"], event.details["sign_ins"]) == (2, 1)
    assert event.council is None and event.user is None


def test_the_ages_come_from_the_settings(settings, aged):
    settings.RETENTION_DELIVERY_DAYS = 500
    settings.RETENTION_SIGNIN_DAYS = 5
    sign_ins([10])

    counts = privacy.retention_prune()

    assert (counts["deliveries"], counts["sign_ins"]) == (0, 1)
    assert Delivery.objects.get(pk=aged["sent"].pk).body_text != ""


def test_the_command_prunes_and_reports(aged):
    out = io.StringIO()

    call_command("prune_retention", stdout=out)

    assert out.getvalue().startswith("e-mails emptied 2 (older than 365 days)")
    assert Delivery.objects.get(pk=aged["sent"].pk).body_text == ""


def test_the_worker_task_prunes(aged):
    result = prune_retention.enqueue()  # the immediate backend runs it at once

    assert result.return_value["deliveries"] == 2
    assert Delivery.objects.get(pk=aged["sent"].pk).body_text == ""


def test_the_command_can_hand_the_job_to_the_worker(aged):
    out = io.StringIO()
    call_command("prune_retention", "--enqueue", stdout=out)
    assert out.getvalue().startswith("queued")
