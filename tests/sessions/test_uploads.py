"""Attachments: type by content, size, safe names; the upload page and the download."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sessions import services
from sessions.models import Attachment
from sessions.uploads import clean_filename, validate_upload

from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import (
    docx_bytes,
    field_errors_html,
    jpeg_bytes,
    make_session,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

NOT_ALLOWED = (
    "This file type is not allowed. Allowed: DOC, DOCX, JPEG, JPG, ODP, ODS, ODT, PDF, PNG, "
    "PPT, PPTX, XLS, XLSX (the content must match)."
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rejection(file) -> list[str]:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_upload(file)
    return excinfo.value.messages


# validate_upload -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("zapisnik.pdf", pdf_bytes(), "application/pdf"),
        ("karta.png", png_bytes(), "image/png"),
        ("foto.jpg", jpeg_bytes(), "image/jpeg"),
        ("foto.JPEG", jpeg_bytes(), "image/jpeg"),
        ("porocilo.docx", docx_bytes(), DOCX_TYPE),
        ("tabela.xlsx", xlsx_bytes(), XLSX_TYPE),
        ("dopis.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_validate_upload_accepts_real_files(name, content, content_type):
    info = validate_upload(upload(name, content))
    assert info.name == name
    assert info.content_type == content_type
    assert info.size == len(content)
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    stem, extension = info.storage_name.rsplit(".", 1)
    assert len(stem) == 32 and f".{extension}" == Path(name).suffix.lower()


def test_validate_upload_storage_names_are_unique():
    first = validate_upload(upload("a.pdf", pdf_bytes()))
    second = validate_upload(upload("a.pdf", pdf_bytes()))
    assert first.storage_name != second.storage_name


def test_validate_upload_leaves_the_file_readable_from_the_start():
    file = upload("porocilo.docx", docx_bytes())
    validate_upload(file)
    assert file.read() == docx_bytes()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.pdf", EXE),  # an executable renamed to .pdf
        ("zapisnik.docx", pdf_bytes()),  # a PDF renamed to .docx
        ("karta.pdf", png_bytes()),  # a real PNG with the wrong extension
        ("arhiv.docx", b"PK\x03\x04" + b"\x00" * 60),  # broken zip
        ("stran.pdf", HTML),  # HTML named .pdf
        ("stran.html", HTML),
        ("zapisnik", pdf_bytes()),  # no extension
        ("program.exe", EXE),
    ],
)
def test_validate_upload_rejects_content_that_does_not_match(name, content):
    assert rejection(upload(name, content)) == [NOT_ALLOWED]


def test_validate_upload_rejects_a_zip_without_content_types_named_docx():
    content = odt_bytes().replace(b"mimetype", b"readme.t")  # a plain zip archive
    assert rejection(upload("porocilo.docx", content)) == [NOT_ALLOWED]


def test_validate_upload_rejects_an_empty_file():
    assert rejection(upload("prazno.pdf", b"")) == ["The file is empty."]


def test_validate_upload_rejects_a_file_over_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = pdf_bytes() + b"%" * (2048 - len(pdf_bytes()))
    assert rejection(upload("velik.pdf", content)) == [
        "The file is 2.0\xa0KB; attachments may be at most 1.0\xa0KB."
    ]
    validate_upload(upload("ravno.pdf", content[:1024]))  # exactly at the limit


def test_validate_upload_messages_are_translated():
    with translation.override("sl"), pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("prazno.pdf", b""))
    assert excinfo.value.messages == ["Datoteka je prazna."]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/var/www/zapisnik.pdf", "zapisnik.pdf"),
        ("C:\\Users\\tajnik\\Namizje\\Poročilo 2025.pdf", "Poročilo 2025.pdf"),
        ("zapis\x00nik\n.pdf", "zapisnik.pdf"),
        ("ra\tčun\r\x1b[31m.pdf", "račun[31m.pdf"),
        ("racun\u202efdp.exe", "racunfdp.exe"),  # right-to-left override
        ("  .skrito.pdf. ", "skrito.pdf"),
        ("..", "file"),
        ("", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_clean_filename_strips_paths_and_control_characters(raw, clean):
    assert clean_filename(raw) == clean


def test_validate_upload_name_is_cleaned():
    info = validate_upload(upload("..\\..\\zapis\x07nik.pdf", pdf_bytes()))
    assert info.name == "zapisnik.pdf"


# The upload page -------------------------------------------------------------------


@pytest.fixture
def item(upcoming):
    return upcoming.agenda_items.get(position=1)


def upload_url(session, item) -> str:
    return reverse(
        "sessions:attachment_upload",
        kwargs={"council_slug": session.council.slug, "pk": session.pk, "item_pk": item.pk},
    )


def download_url(attachment, council=None) -> str:
    council = council or attachment.council
    return reverse(
        "sessions:attachment_download", kwargs={"council_slug": council.slug, "pk": attachment.pk}
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.pdf", EXE, NOT_ALLOWED),
        ("stran.pdf", HTML, NOT_ALLOWED),
        ("prazno.pdf", b"", None),  # Django's own form check for an empty file
    ],
)
def test_attachment_upload_view_bad_file_shows_the_error_and_saves_nothing(
    en_client, upcoming, item, settings, name, content, message
):
    response = en_client.post(upload_url(upcoming, item), {"file": upload(name, content)})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    if message is None:
        assert errors["file"] == ["The submitted file is empty."]
    else:
        assert errors["file"] == [message]
    assert field_errors_html(response, "file") == errors["file"]
    assert not Attachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_attachment_upload_view_too_large_file(en_client, upcoming, item, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    response = en_client.post(upload_url(upcoming, item), {"file": upload("a.pdf", pdf_bytes())})
    assert response.context["form"].errors == {
        "file": [
            f"The file is {len(pdf_bytes())}\xa0bytes; attachments may be at most 100\xa0bytes."
        ]
    }
    assert not Attachment.objects.exists()


def test_attachment_upload_view_good_file_is_stored_under_media_root(
    en_client, upcoming, item, settings, secretary
):
    response = en_client.post(
        upload_url(upcoming, item), {"file": upload("Poročilo 2025.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{upcoming.get_absolute_url()}#item-{item.pk}"
    attachment = Attachment.objects.get()
    assert (attachment.council, attachment.agenda_item, attachment.uploaded_by) == (
        upcoming.council,
        item,
        secretary,
    )
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Poročilo 2025.pdf",
        "application/pdf",
        len(pdf_bytes()),
    )
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert path.read_bytes() == pdf_bytes()
    assert "Poročilo" not in path.name  # stored under a random name
    assert attachment.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()


def test_attachment_upload_view_refused_on_a_held_session(en_client, council, upcoming, item):
    upcoming.status = "held"
    upcoming.save()
    response = en_client.post(upload_url(upcoming, item), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The agenda of a held, closed or cancelled session is frozen."
    ]
    assert not Attachment.objects.exists()


def test_attachment_upload_view_item_of_another_session_is_404(en_client, council, upcoming):
    other = make_session(council, days=30)
    foreign_item = other.agenda_items.create(title="Tuje", position=1)
    response = en_client.post(
        upload_url(upcoming, foreign_item), {"file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


# Download --------------------------------------------------------------------------


@pytest.fixture
def attachment(council, secretary, item):
    return services.attachment_add(
        council=council,
        by=secretary,
        upload=upload("Poročilo 2025.pdf", pdf_bytes()),
        agenda_item=item,
    )


def test_attachment_download_by_a_member(client, member, attachment):
    client.force_login(member)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''Poro%C4%8Dilo%202025.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_attachment_download_office_file_is_an_attachment(client, member, council, item):
    docx = services.attachment_add(
        council=council, by=None, upload=upload("dopis.docx", docx_bytes()), agenda_item=item
    )
    client.force_login(member)
    response = client.get(download_url(docx))
    assert response["Content-Disposition"] == 'attachment; filename="dopis.docx"'
    assert response["Content-Type"] == DOCX_TYPE
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_download_other_secretary_gets_404(
    client, other_secretary, other_council, attachment
):
    client.force_login(other_secretary)
    assert client.get(download_url(attachment)).status_code == 404
    assert client.get(download_url(attachment, council=other_council)).status_code == 404


def test_attachment_download_mayors_office_gets_403(client, mayors_office, attachment):
    client.force_login(mayors_office)
    assert client.get(download_url(attachment)).status_code == 403


def test_attachment_download_anonymous_is_asked_to_sign_in(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_attachment_download_missing_file_is_404(client, member, attachment):
    Path(attachment.file.path).unlink()
    client.force_login(member)
    assert client.get(download_url(attachment)).status_code == 404


def test_attachment_download_pending_proposal_file_only_for_proposer_and_managers(
    client, council, member, secretary, upcoming
):
    from councils.models import Person

    from ..factories import MembershipFactory, PersonFactory, UserFactory

    proposer = Person.objects.get(council=council, user=member)
    proposal = services.proposal_submit(
        session=upcoming,
        by=member,
        proposer=proposer,
        data={"title": "Predlog", "rationale": "Utemeljitev"},
        upload=upload("skica.pdf", pdf_bytes()),
    )
    attachment = proposal.attachments.get()
    colleague = UserFactory(username="kolega")
    MembershipFactory(council=council, person=PersonFactory(council=council, user=colleague))
    url = download_url(attachment)
    for user, status in ((member, 200), (secretary, 200), (colleague, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    services.proposal_accept(proposal=proposal, by=secretary)
    client.force_login(colleague)
    assert client.get(url).status_code == 200  # now an agenda item's attachment
