"""Load realistic demo councils from the seed documents (idempotent).

    python manage.py load_demo

Creates the Ptuj council (model of the annual report), the joint Slovenj Gradec–Mislinja
council, a Norwegian police council with its SLT coordination group and a Czech local
partnership with its working group, each with organisations, people, memberships and a
login for every role. Running it again updates the same records and creates nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from councils.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo councils, people and logins (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args, **options):
        from reports.demo import load_reports_demo
        from sessions.demo import load_sessions_demo

        with transaction.atomic():
            logins = load_demo()
            load_sessions_demo()
            load_reports_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, description in logins:
                self.stdout.write(f"  {username:<22} {description}")
