"""Checks for uploaded attachments: type by content (not by name), size, safe names."""

from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OFFICE_ZIP = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
OFFICE_OLE = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
SIGNATURES = [
    (b"%PDF-", {".pdf": "application/pdf"}),
    (b"\x89PNG\r\n\x1a\n", {".png": "image/png"}),
    (b"\xff\xd8\xff", {".jpg": "image/jpeg", ".jpeg": "image/jpeg"}),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OFFICE_OLE),
    (b"PK\x03\x04", OFFICE_ZIP),
]
ALLOWED_EXTENSIONS = sorted({ext for _sig, types in SIGNATURES for ext in types})


@dataclass(frozen=True)
class UploadInfo:
    name: str
    storage_name: str
    content_type: str
    size: int
    sha256: str


def clean_filename(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[-200:] or "file"


def validate_upload(upload) -> UploadInfo:
    """Raise ValidationError unless the file is an allowed type (by content) and size."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    name = clean_filename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = None
    for signature, types in SIGNATURES:
        if head.startswith(signature) and extension in types:
            content_type = types[extension]
            break
    if content_type and extension in OFFICE_ZIP:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if extension.startswith(".od"):
            # OpenDocument: the "mimetype" entry names the exact type.
            try:
                with zipfile.ZipFile(upload) as archive:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
            except (KeyError, zipfile.BadZipFile):
                declared = ""
            if declared != content_type:
                content_type = None
        elif "[Content_Types].xml" not in names:
            content_type = None
        upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("This file type is not allowed. Allowed: %(types)s (the content must match).")
            % {"types": ", ".join(ext.lstrip(".").upper() for ext in ALLOWED_EXTENSIONS)}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return UploadInfo(
        name=name,
        storage_name=f"{uuid.uuid4().hex}{extension}",
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
