"""Uploaded files on S3-compatible storage (django-storages), served only through the
permission-checking views, never by a link to the bucket (moto stands in for S3)."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws
from PIL import Image

from reports.documents import DocumentURLFetcher, ResourceRefused
from sessions import services

pytestmark = pytest.mark.django_db

BUCKET = "sosvet-test-media"
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def s3(settings, monkeypatch):
    """The default storage is a private S3 bucket (in moto's memory)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "location": "media",
                    "default_acl": None,
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        yield client


def _keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _item(council, secretary):
    session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=10),
            "start_time": datetime.time(17, 0),
            "place": "Sejna soba",
        },
    )
    return services.agenda_item_create(session=session, by=secretary, data={"title": "Točka"})


PDF = b"%PDF-1.4\n%stored on S3\n"


def test_attachment_is_stored_in_the_bucket_and_streamed_by_the_view(
    s3, client, council, secretary, member
):
    attachment = services.attachment_add(
        council=council,
        by=secretary,
        upload=SimpleUploadedFile("gradivo.pdf", PDF, "application/pdf"),
        agenda_item=_item(council, secretary),
    )
    [key] = _keys(s3)
    assert key.startswith("media/") and key.endswith(".pdf")
    # Private object: no public-read grant.
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("AllUsers" not in json.dumps(grant) for grant in grants)
    client.force_login(member)
    url = reverse(
        "sessions:attachment_download", kwargs={"council_slug": council.slug, "pk": attachment.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Location" not in response


def test_attachment_on_s3_is_refused_to_other_councils(
    s3, client, council, secretary, other_secretary
):
    attachment = services.attachment_add(
        council=council,
        by=secretary,
        upload=SimpleUploadedFile("gradivo.pdf", PDF, "application/pdf"),
        agenda_item=_item(council, secretary),
    )
    client.force_login(other_secretary)
    url = reverse(
        "sessions:attachment_download", kwargs={"council_slug": council.slug, "pk": attachment.pk}
    )
    assert client.get(url).status_code == 404


def test_attachment_missing_from_the_bucket_is_404(s3, client, council, secretary):
    attachment = services.attachment_add(
        council=council,
        by=secretary,
        upload=SimpleUploadedFile("gradivo.pdf", PDF, "application/pdf"),
        agenda_item=_item(council, secretary),
    )
    s3.delete_object(Bucket=BUCKET, Key=_keys(s3)[0])
    client.force_login(secretary)
    url = reverse(
        "sessions:attachment_download", kwargs={"council_slug": council.slug, "pk": attachment.pk}
    )
    assert client.get(url).status_code == 404


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_on_s3_is_served_by_the_view_and_read_by_the_pdf_renderer(
    s3, client, council, secretary
):
    png = _png()
    council.logo.save("grb.png", ContentFile(png))
    assert _keys(s3) == [f"media/{council.logo.name}"]
    client.force_login(secretary)
    response = client.get(reverse("councils:council_logo", kwargs={"council_slug": council.slug}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png
    fetched = DocumentURLFetcher().fetch(f"/media/{council.logo.name}")
    assert fetched.read() == png
    assert fetched.content_type == "image/png"
    with pytest.raises(ResourceRefused):
        DocumentURLFetcher().fetch("/media/logos/not-there.png")
    with pytest.raises(ResourceRefused):
        DocumentURLFetcher().fetch("/media/../media/logos/x.png")


def test_report_pdf_with_a_logo_on_s3_embeds_it(s3, council):
    from reports.documents import render_pdf

    council.logo.save("grb.png", ContentFile(_png()))
    pdf = render_pdf(
        template_name="reports/pdf/base.html",
        context={"council": council},
        title="Test",
        author=council.name,
        language="sl",
    )
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_settings_select_s3_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sosvet.settings",
        "DEBUG": "0",
        "SECRET_KEY": "storage-test-" + "k" * 50,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": "sosvet-files",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
        "AWS_S3_REGION_NAME": "eu-central-1",
    }
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.core.files.storage import default_storage as s\n"
        "print(json.dumps([s.__class__.__name__,"
        " s.bucket_name, s.endpoint_url, s.location, s.default_acl, s.file_overwrite]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == [
        "S3Storage",
        "sosvet-files",
        "https://s3.example.org",
        "media",
        None,
        False,
    ]
