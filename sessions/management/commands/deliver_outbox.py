"""Deliver every queued e-mail that is due (a cron fallback beside ``db_worker``).

    python manage.py deliver_outbox

Also marks deliveries interrupted mid-send (a worker that died) as failed, so that the
secretary sees them and can send them again.
"""

from django.core.management.base import BaseCommand

from sessions.tasks import process_due, release_interrupted


class Command(BaseCommand):
    help = "Send the queued e-mails that are due and release interrupted ones."

    def handle(self, *args, **options):
        released = release_interrupted()
        counts = process_due()
        self.stdout.write(
            f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']},"
            f" interrupted {released}"
        )
