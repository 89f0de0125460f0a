"""Restore a council exported by ``export_council`` into this installation.

    python manage.py import_council ptuj.zip
    python manage.py import_council ptuj.zip --slug ptuj-copy   # under another address

The whole archive is checked first (format, version, migrations, SHA-256 of every file,
every reference); then everything is written in one transaction. A damaged archive, an
archive from a newer version or an existing council with the same web address changes
nothing. The import is recorded in the audit log.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from councils.backup import ArchiveError, council_import


class Command(BaseCommand):
    help = "Import a council from a ZIP archive written by export_council."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the ZIP file written by export_council")
        parser.add_argument(
            "--slug", help="import under this web address instead of the archived one"
        )

    def handle(self, *args, **options):
        try:
            result = council_import(archive=options["archive"], slug=options.get("slug"))
        except (ArchiveError, OSError) as exc:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": exc}) from exc
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.renumbered:
            self.stderr.write(
                "note: records numbered anew (their numbers were taken here): "
                + ", ".join(f"{label} {count}" for label, count in result.renumbered.items())
                + ". Links in e-mails sent before the export do not reach them."
            )
        if result.dropped_history:
            self.stderr.write(
                f"note: {result.dropped_history} history rows of records deleted before the "
                "export were left out."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.council.slug}: {result.records} records and {result.files} files imported"
            )
        )
