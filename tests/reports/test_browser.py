"""The report in a real browser: the mayor's office downloads the demo report; the secretary
edits a draft."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from councils.demo import DEMO_PASSWORD
from reports.models import AnnualReport, ReportRevision

from ..browser import screenshot, sign_in
from .conftest import embedded_fonts, pdf_reader, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mayors_office_downloads_the_adopted_demo_report(page, tmp_path):
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    revision = ReportRevision.objects.get(report__council__slug="ptuj", report__year=2023)
    base = page.live_server_url

    sign_in(page, "ptuj-zupanstvo", DEMO_PASSWORD)
    page.click("a[href='/c/ptuj/']")
    page.click("nav a[href='/c/ptuj/reports/']")
    page.wait_for_url(f"{base}/c/ptuj/reports/")
    screenshot(page, "reports-list-mayors-office")
    # The mayor's office reads; it cannot create or edit.
    assert page.locator("form[action$='/reports/new/']").count() == 0

    row = page.locator("tbody tr", has_text="2023")
    with page.expect_download() as download_info:
        row.locator("a[href$='/reports/2023/revisions/1/pdf/']").click()
    download = download_info.value
    target = Path(tmp_path) / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()

    # Exactly the adopted bytes, and a valid, searchable PDF with embedded fonts.
    assert hashlib.sha256(data).hexdigest() == revision.sha256
    assert download.suggested_filename.endswith(".pdf")
    reader = pdf_reader(data)
    assert len(reader.pages) > 1
    text = pdf_text(data)
    assert "Nuška Gajšek" in text
    assert "V letu 2023 je bila sklicana samo ena seja" in text
    fonts = embedded_fonts(data)
    assert fonts and all(font["FontFile2"] for font in fonts)

    # The report's page shows the same SHA-256.
    page.click("a[href='/c/ptuj/reports/2023/']")
    assert page.locator("code.sha256").first.inner_text() == revision.sha256
    screenshot(page, "report-detail-mayors-office")
    # No edit, adopt or correction buttons for the mayor's office.
    assert page.locator("a[href$='/reports/2023/correct/']").count() == 0
    assert page.locator("a[href$='/reports/2024/edit/']").count() == 0


def test_secretary_edits_the_draft_plans_a_session_and_sees_errors(
    page, council, secretary, report
):
    base = page.live_server_url
    sign_in(page, "tajnik")
    page.goto(f"{base}/c/{council.slug}/reports/")
    page.click(f"a[href='/c/{council.slug}/reports/2023/']")
    page.click(f"a[href='/c/{council.slug}/reports/2023/edit/']")

    page.fill("#id_texts-conclusion_text", "Varnost je skupna skrb.")
    page.fill("#id_sessions-3-number", "6")
    page.select_option("#id_sessions-3-month", "12")
    page.fill("#id_topics-3-text", "Varnost na božičnem sejmu")
    page.select_option("#id_topics-3-month", "12")
    screenshot(page, "report-editor")
    with page.expect_navigation():
        page.click("button[name=then][value=edit]")
    report.refresh_from_db()
    assert report.conclusion_text == "Varnost je skupna skrb."
    assert list(report.planned_sessions.values_list("number", "month")) == [
        (3, 3),
        (4, 6),
        (5, 11),
        (6, 12),
    ]
    assert report.planned_topics.filter(text="Varnost na božičnem sejmu", month=12).exists()

    # An empty introduction and a duplicate session number: errors next to the fields,
    # the input kept, nothing saved.
    page.fill("#id_texts-intro_text", "")
    page.fill("#id_texts-conclusion_text", "Ne shrani se.")
    page.fill("#id_sessions-4-number", "6")
    page.select_option("#id_sessions-4-month", "10")
    with page.expect_navigation():
        page.click("button[name=then][value=edit]")
    assert page.locator("#id_texts-intro_text.is-invalid").count() == 1
    assert page.locator("#error_id_sessions-4-number").count() == 1
    assert page.locator("#id_texts-conclusion_text").input_value() == "Ne shrani se."
    assert page.locator("#id_sessions-4-number").input_value() == "6"
    screenshot(page, "report-editor-errors")
    report.refresh_from_db()
    assert report.conclusion_text == "Varnost je skupna skrb."
    assert report.planned_sessions.count() == 4

    # The preview is the document itself.
    page.goto(f"{base}/c/{council.slug}/reports/2023/preview/")
    assert page.locator("body.document.draft.annual-report").count() == 1
    assert page.locator("#report-sessions table.report-sessions tbody tr").count() == 2
    screenshot(page, "report-preview")
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"
