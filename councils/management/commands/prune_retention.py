"""Prune personal data past its retention period (cron, daily).

    python manage.py prune_retention            # now, in this process
    python manage.py prune_retention --enqueue  # hand it to the background worker

Empties the stored subject, text and HTML of e-mails sent (and the delivery errors)
older than ``RETENTION_DELIVERY_DAYS`` and removes sign-in records older than
``RETENTION_SIGNIN_DAYS``. Official documents — invitation revisions and their PDFs,
approved minutes versions, adopted report revisions — are never touched.
"""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Empty old e-mail texts and delivery logs and remove old sign-in records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the job for the background worker (db_worker) instead of running it.",
        )

    def handle(self, *args, **options):
        from councils.tasks import prune_retention

        if options["enqueue"]:
            result = prune_retention.enqueue()
            self.stdout.write(f"queued ({result.id})")
            return
        from councils.privacy import retention_prune

        counts = retention_prune()
        self.stdout.write(
            f"e-mails emptied {counts['deliveries']} (older than "
            f"{settings.RETENTION_DELIVERY_DAYS} days), sign-in records removed "
            f"{counts['sign_ins']} (older than {settings.RETENTION_SIGNIN_DAYS} days)"
        )
