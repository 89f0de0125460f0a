"""Write everything of one council — its data and its files — to a ZIP archive.

    python manage.py export_council ptuj -o ptuj.zip

The archive (format described in ``councils/backup.py``) holds personal data and the
password hashes of the council's logins: keep it like a backup. ``import_council``
restores it into another installation. The export is recorded in the audit log.
"""

from django.core.management.base import BaseCommand, CommandError

from councils.backup import ExportError, council_export
from councils.models import Council


class Command(BaseCommand):
    help = "Export one council (all its data and files) to a ZIP archive."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the council's web address, e.g. ptuj")
        parser.add_argument("-o", "--output", required=True, help="the ZIP file to write")

    def handle(self, *args, **options):
        council = Council.objects.filter(slug=options["slug"]).first()
        if council is None:
            raise CommandError(f"No council with the web address {options['slug']!r}.")
        try:
            result = council_export(council=council, out=options["output"])
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.missing_files:
            self.stderr.write(f"warning: the file {name} is missing from the storage")
        self.stdout.write(
            self.style.SUCCESS(
                f"{council.slug}: {result.records} records and {result.files} files "
                f"written to {options['output']}"
            )
        )
