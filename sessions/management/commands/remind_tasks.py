"""Remind owners of tasks due within 7 days and of overdue tasks (run daily).

    python manage.py remind_tasks

Each task gets at most one "due soon" and one "overdue" reminder, however often this
runs (the outbox key is unique per task and kind). Schedule it daily, e.g. with cron:
``15 7 * * * /srv/sosvet/.venv/bin/python /srv/sosvet/manage.py remind_tasks``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from sessions.services import task_reminders_queue
from sessions.tasks import deliver_pending


class Command(BaseCommand):
    help = "Queue reminders for tasks due within 7 days and overdue tasks, once per kind."

    def handle(self, *args, **options):
        with transaction.atomic():
            queued = task_reminders_queue()
            if queued:
                transaction.on_commit(lambda: deliver_pending.enqueue())
        self.stdout.write(f"queued {queued} task reminder(s)")
