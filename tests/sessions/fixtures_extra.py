"""Extra fixtures and helpers of the sessions tests (imported by the test modules).

The test modules pull the fixtures in with ``from .fixtures_extra import *`` (so that
the existing conftest files stay untouched) and import the helpers by name.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from sessions import selectors, services
from sessions.models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    Delivery,
    Invitation,
    Invitee,
    Session,
)

# Only the fixtures: ``from .fixtures_extra import *`` makes pytest see them.
__all__ = ["en_client", "english", "restore_language"]

ROW_MODELS = (Session, AgendaItem, Attachment, Invitation, Invitee, Delivery, AgendaProposal)


# Language --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def restore_language():
    """Requests activate languages thread-wide (the RSVP page too): undo that afterwards."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def english():
    """Messages are asserted in English (the site defaults to Slovenian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client, secretary):
    """The secretary, signed in, with English chosen through the language cookie."""
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Rows ------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows of every sessions model (and of the history tables that have one)."""
    counts = {}
    for model in ROW_MODELS:
        counts[model.__name__] = model.objects.count()
        if hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


def raises_unchanged(call) -> dict[str, list[str]]:
    """Call a service that must fail; return its messages and check nothing was written."""
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert row_counts() == before
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


# Sessions --------------------------------------------------------------------------


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in the site's time zone (Europe/Ljubljana)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_session(council, *, days: int = 14, start=(17, 0), end=(19, 0), **fields) -> Session:
    """A session stored directly (no service, no checks): any status, any date."""
    day = fields.pop("date", None) or timezone.localdate() + datetime.timedelta(days=days)
    defaults = {
        "number": Session.objects.filter(council=council).count() + 1,
        "start_time": datetime.time(*start),
        "end_time": datetime.time(*end) if end else None,
        "place": "Mestna hiša",
    }
    defaults.update(fields)
    return Session.objects.create(council=council, date=day, **defaults)


def send_invitation(session, by, capture, *, memberships=None, **kwargs) -> Invitation:
    """Send the invitation and run the background delivery (on commit)."""
    if memberships is None:
        memberships = list(selectors.invitation_default_people(session=session))
    with capture(execute=True):
        return services.invitation_send(session=session, by=by, memberships=memberships, **kwargs)


# Files -----------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 200)).save(buffer, format=image_format)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return _image("PNG")


def jpeg_bytes() -> bytes:
    return _image("JPEG")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def docx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# Pages -----------------------------------------------------------------------------


def field_errors_html(response, field: str) -> list[str]:
    """The error messages crispy renders right below one field of a page's form."""
    content = response.content.decode()
    block = re.search(rf'<div id="div_id_{field}".*?(?=<div id="div_id_|</form>)', content, re.S)
    assert block is not None, f"no field {field} on the page"
    found = re.findall(
        rf'<span id="error_\d+_id_{field}"><strong>(.*?)</strong></span>', block.group(0), re.S
    )
    return [html.unescape(message) for message in found]
