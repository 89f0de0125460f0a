"""Background delivery of the outbox (Django tasks; worker: ``manage.py db_worker``)."""

from __future__ import annotations

import contextlib
import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import emails, services
from .calendar import invitation_ics
from .documents import invitation_pdf
from .models import Delivery, Invitation

logger = logging.getLogger(__name__)


def ensure_invitation_documents(invitation_id: int) -> bool:
    """Render the revision's PDF and calendar once (not once per recipient)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("session", "session__council")
            .get(pk=invitation_id)
        )
        if invitation.pdf is not None:
            return False
        url = emails.absolute(invitation.session.get_absolute_url())
        pdf = invitation_pdf(invitation=invitation)
        ics = invitation_ics(invitation=invitation, url=url)
        return services.invitation_store_documents(invitation=invitation, pdf=pdf, ics=ics)


def _retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.DELIVERY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def process_due(*, invitation_id: int | None = None, now: datetime.datetime | None = None) -> dict:
    """Send every queued delivery that is due; failures are retried with backoff."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
    if invitation_id is not None:
        due = due.filter(invitation_id=invitation_id)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    connection = None
    for pk in ids:
        claimed = Delivery.objects.filter(pk=pk, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
        )
        if not claimed:
            continue  # another worker has it
        delivery = Delivery.objects.select_related(
            "council",
            "invitation",
            "invitation__session",
            "invitee__person",
            "session",
            "proposal",
            "task",
        ).get(pk=pk)
        if delivery.invitation_id and delivery.invitation.pdf is None:
            ensure_invitation_documents(delivery.invitation_id)
            delivery.invitation.refresh_from_db()
        try:
            if connection is None:
                connection = get_connection(fail_silently=False)
                connection.open()
            message, subject, text, html = emails.build_message(delivery, connection=connection)
            message.send(fail_silently=False)
        except Exception as exc:  # any SMTP or network failure: retry later
            logger.warning("delivery %s to %s failed: %s", pk, delivery.to_email, exc)
            final = delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.FAILED if final else Delivery.Status.QUEUED,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                next_attempt_at=now + _retry_delay(delivery.attempts),
            )
            counts["failed" if final else "retry"] += 1
            if connection is not None:
                with contextlib.suppress(Exception):  # the connection is already broken
                    connection.close()
                connection = None
        else:
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.SENT,
                sent_at=timezone.now(),
                message_id=message.extra_headers["Message-ID"],
                subject=subject[:300],
                body_text=text,
                body_html=html,
                last_error="",
            )
            counts["sent"] += 1
    if connection is not None:
        connection.close()
    _schedule_retry()
    return counts


STALE_AFTER = datetime.timedelta(minutes=15)


def release_interrupted(*, now: datetime.datetime | None = None) -> int:
    """Deliveries left "sending" by a worker that died mid-send are marked failed.

    They are not retried automatically: the message may have reached the recipient, and
    nobody may receive the same revision twice. The secretary sees them as failed, with
    the reason, and can send them again.
    """
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, next_attempt_at__lt=now - STALE_AFTER
    ).update(
        status=Delivery.Status.FAILED,
        last_error="Interrupted while sending; check with the recipient, then send again.",
    )


def _schedule_retry() -> None:
    """Ask the worker to come back when the next retry is due (when it can defer)."""
    next_due = (
        Delivery.objects.filter(status=Delivery.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_due is None or not default_task_backend.supports_defer:
        return
    deliver_pending.using(run_after=max(next_due, timezone.now())).enqueue()


@task()
def deliver_invitation(*, invitation_id: int) -> dict:
    ensure_invitation_documents(invitation_id)
    return process_due(invitation_id=invitation_id)


@task()
def deliver_pending() -> dict:
    return process_due()
