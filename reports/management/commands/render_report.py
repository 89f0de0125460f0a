"""Render a council's annual report and work plan to a PDF file.

    python manage.py render_report <council-slug> <year> -o out.pdf

Writes the adopted bytes when the report is adopted (exactly what the reports page
serves; ``--revision N`` for an earlier revision), else a fresh draft with the DRAFT
watermark, rendered through the same pipeline and template as the web page. Prints the
file's SHA-256. ``-o -`` writes the PDF to standard output.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.models import Council
from reports import annual, selectors


class Command(BaseCommand):
    help = "Render a council's annual report and work plan (adopted bytes, or a fresh draft)."

    def add_arguments(self, parser):
        parser.add_argument("council", help="the council's web address (slug), e.g. ptuj")
        parser.add_argument("year", type=int, help="the year of the report, e.g. 2023")
        parser.add_argument(
            "-o",
            "--output",
            help="the PDF file to write ('-' for standard output); default "
            "<council>-<year>.pdf in the current directory",
        )
        parser.add_argument(
            "--revision", type=int, help="an adopted revision (default: the current document)"
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="render the current data as a draft even when the report is adopted",
        )

    def handle(self, *args, **options):
        council = Council.objects.filter(slug=options["council"]).first()
        if council is None:
            raise CommandError(f"No council with the web address {options['council']!r}.")
        year = options["year"]
        report = selectors.report_get(council=council, year=year)
        if report is None:
            raise CommandError(
                f"{council.name} has no report for {year}; create it on the reports page."
            )
        if options["revision"] is not None:
            revision = selectors.report_revision(report=report, number=options["revision"])
            if revision is None:
                raise CommandError(f"The report for {year} has no revision {options['revision']}.")
            pdf, what = bytes(revision.pdf), f"adopted revision {revision.number}"
        elif not report.is_draft and not options["draft"]:
            revision = selectors.report_revision(report=report)
            pdf, what = bytes(revision.pdf), f"adopted revision {revision.number}"
        else:
            snapshot = annual.report_snapshot(report=report)
            pdf, what = (
                annual.report_pdf(council=council, snapshot=snapshot, is_draft=True),
                "draft",
            )

        output = options["output"] or f"{council.slug}-{year}.pdf"
        if output == "-":
            sys.stdout.buffer.write(pdf)
            sys.stdout.buffer.flush()
            stream = self.stderr
        else:
            try:
                Path(output).write_bytes(pdf)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error}") from error
            stream = self.stdout
        stream.write(
            f"{output}: {what}, {len(pdf)} bytes, SHA-256 {hashlib.sha256(pdf).hexdigest()}"
        )
