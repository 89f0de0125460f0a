"""export_council / import_council: the round trip loses nothing; bad archives change nothing."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from councils import backup
from councils.demo import load_demo
from councils.models import AuditEvent, Council, Indicator, Person
from reports.demo import load_reports_demo
from sessions import services
from sessions.demo import load_sessions_demo
from sessions.models import Attachment, Delivery, Invitation, Invitee

from ..factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% agenda material\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _english():
    """The archive checks are tested by their English messages (operators may run the
    commands in either language; one test below checks the Slovenian one)."""
    with translation.override("en"):
        yield


@pytest.fixture
def ptuj(db, django_capture_on_commit_callbacks):
    """The demo council Ptuj, with what the demo lacks: a logo, an attachment, a sent
    invitation with its PDF, invitees (one a substitute), e-mails and a proposal."""
    load_demo()
    load_sessions_demo()
    load_reports_demo()
    council = Council.objects.get(slug="ptuj")
    council.logo.save("ptuj.png", ContentFile(PNG))
    secretary = get_user_model().objects.get(username="ptuj-tajnik")
    session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=30),
            "start_time": datetime.time(17, 0),
            "place": "Mestna hiša",
        },
    )
    item = services.agenda_item_create(session=session, by=secretary, data={"title": "Gradivo"})
    services.attachment_add(
        council=council,
        by=secretary,
        upload=SimpleUploadedFile("gradivo.pdf", PDF, "application/pdf"),
        agenda_item=item,
    )
    members = list(council.memberships.filter(person__email__gt="").select_related("person")[:3])
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends at once
        invitation = services.invitation_send(session=session, by=secretary, memberships=members)
    member = Invitee.objects.filter(session=session).order_by("pk").first()
    Invitee.objects.create(
        session=session,
        kind=Invitee.Kind.SUBSTITUTE,
        name="Namestnik",
        email="namestnik@example.test",
        substitute_for=member,
    )
    services.proposal_submit(
        session=session,
        by=secretary,
        proposer=members[0].person,
        data={"title": "Predlog", "rationale": "Utemeljitev"},
        upload=SimpleUploadedFile("predlog.pdf", PDF + b"2", "application/pdf"),
    )
    invitation.refresh_from_db()
    assert invitation.pdf  # rendered by the (immediate) worker
    assert Delivery.objects.filter(council=council, status=Delivery.Status.SENT).exists()
    return council


@pytest.fixture
def small(council, secretary):
    """A small council (for the archive checks, which need no demo data)."""
    person = MembershipFactory(council=council, person__email="clan@example.test").person
    PersonFactory(council=council, user=secretary)
    council.logo.save("logo.png", ContentFile(PNG))
    assert person.council == council
    return council


def export(council, path: Path) -> Path:
    backup.council_export(council=council, out=path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_without_time(data: dict[str, bytes]) -> dict:
    manifest = json.loads(data["manifest.json"])
    manifest.pop("created")
    return manifest


def state(media_root) -> dict:
    """Row counts of every table that an import writes to, and the stored files."""
    counts = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ("councils", "council_sessions", "reports", "auth")
    }
    root = Path(media_root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return {"counts": counts, "files": files}


@pytest.mark.django_db(transaction=True)  # flush truncates tables: not inside a transaction
def test_round_trip_loses_nothing(ptuj, tmp_path, settings):
    first = export(ptuj, tmp_path / "first.zip")
    exported = members(first)
    assert "files/" + ptuj.logo.name in exported
    assert sum(name.startswith("files/attachments/") for name in exported) == 2
    assert json.loads(exported["data/council_sessions.invitation.json"])[0]["fields"]["pdf"]

    call_command("flush", interactive=False, verbosity=0)  # an empty installation
    # flush recreates the built-in indicators through the live models, which records their
    # history; a freshly migrated installation (the migration creates them) has none.
    Indicator.history.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert not Council.objects.exists() and not get_user_model().objects.exists()

    result = backup.council_import(archive=first)
    second = export(Council.objects.get(slug="ptuj"), tmp_path / "second.zip")

    again = members(second)
    assert result.renumbered == {} and result.dropped_history == 0
    assert sorted(again) == sorted(exported)
    for name in exported:
        if name != "manifest.json":
            assert again[name] == exported[name], name  # data and file bytes, identical
    assert manifest_without_time(again) == manifest_without_time(exported)
    council = Council.objects.get(slug="ptuj")
    with council.logo.open("rb") as logo:
        assert logo.read() == PNG
    pdfs = {a.original_name: a.file.read() for a in Attachment.objects.filter(council=council)}
    assert pdfs == {"gradivo.pdf": PDF, "predlog.pdf": PDF + b"2"}
    # New records get new numbers (the sequences moved past the restored ones).
    PersonFactory(council=council, first_name="Nova", last_name="Oseba")
    # The logins can sign in again; nobody became an administrator.
    assert get_user_model().objects.get(username="ptuj-tajnik").check_password("sosvet-demo-2026")
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_import_under_another_address_renumbers_everything_consistently(ptuj, tmp_path):
    original = export(ptuj, tmp_path / "original.zip")

    result = backup.council_import(archive=original, slug="ptuj-kopija")

    copy = result.council
    assert copy.pk != ptuj.pk and "councils.person" in result.renumbered
    original_counts = json.loads(members(original)["manifest.json"])["counts"]
    copied = members(export(copy, tmp_path / "copy.zip"))
    copied_counts = json.loads(copied["manifest.json"])["counts"]
    history_of_deleted = original_counts.items() - copied_counts.items()
    assert all(label.split(".")[1].startswith("historical") for label, _n in history_of_deleted)
    live = {k: v for k, v in original_counts.items() if ".historical" not in k}
    assert live == {k: v for k, v in copied_counts.items() if ".historical" not in k}
    # The copy's records refer to the copy's records only.
    assert set(Person.objects.filter(council=copy).values_list("last_name", flat=True)) == set(
        Person.objects.filter(council=ptuj).values_list("last_name", flat=True)
    )
    for delivery in Delivery.objects.filter(council=copy, purpose="invitation"):
        assert delivery.key == f"inv:{delivery.invitation_id}:{delivery.invitee_id}"
    substitute = Invitee.objects.get(session__council=copy, kind=Invitee.Kind.SUBSTITUTE)
    assert substitute.substitute_for.session.council == copy
    copied_pdf = Invitation.objects.get(session__council=copy).pdf
    assert bytes(copied_pdf) == bytes(Invitation.objects.get(session__council=ptuj).pdf)
    # The original is untouched: its export is the same as before.
    again = members(export(ptuj, tmp_path / "again.zip"))
    before = members(original)
    assert {k: v for k, v in again.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }
    # Separate files: deleting the original's attachment leaves the copy's.
    names = set(Attachment.objects.filter(council=copy).values_list("file", flat=True))
    assert names.isdisjoint(Attachment.objects.filter(council=ptuj).values_list("file", flat=True))


def test_export_and_import_are_recorded_in_the_audit_log(ptuj, tmp_path):
    path = export(ptuj, tmp_path / "a.zip")
    assert not any("auditevent" in name for name in members(path))  # the log stays here
    backup.council_import(archive=path, slug="kopija")
    exported = AuditEvent.objects.get(action=AuditEvent.Action.COUNCIL_EXPORTED)
    imported = AuditEvent.objects.get(action=AuditEvent.Action.COUNCIL_IMPORTED)
    assert exported.council == ptuj and exported.details["files"] == 3
    assert imported.council.slug == "kopija" and imported.details["from"] == "ptuj"


def test_every_model_of_the_apps_is_exported_or_deliberately_left_out(db):
    ours = {
        m._meta.label_lower for m in apps.get_models() if m._meta.app_label in backup.APP_LABELS
    }
    exported = {m._meta.label_lower for m in backup.exported_models()}
    assert ours == exported | backup.EXCLUDED
    for model in backup.exported_models():  # every one finds its council
        backup.council_queryset(model, Council(pk=1))


# --- Commands -----------------------------------------------------------------------------


def test_the_commands(small, tmp_path):
    out = io.StringIO()
    path = tmp_path / "ptuj.zip"
    call_command("export_council", "ptuj", "-o", str(path), stdout=out)
    assert "ptuj:" in out.getvalue() and "1 files" in out.getvalue()

    with pytest.raises(CommandError, match="already exists"):
        call_command("import_council", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No council"):
        call_command("export_council", "nowhere", "-o", str(tmp_path / "x.zip"))

    out = io.StringIO()
    call_command("import_council", str(path), "--slug", "druga", stdout=out, stderr=io.StringIO())
    assert "druga:" in out.getvalue()


# --- Bad archives change nothing ---------------------------------------------------------


def rewrite(path: Path, target: Path, change) -> Path:
    """Copy an archive, letting ``change(members)`` alter it, with fresh checksums."""
    data = members(path)
    manifest = json.loads(data.pop("manifest.json"))
    change(data, manifest)
    manifest["sha256"] = {name: hashlib.sha256(body).hexdigest() for name, body in data.items()}
    with zipfile.ZipFile(target, "w") as archive:
        for name, body in data.items():
            archive.writestr(name, body)
        archive.writestr("manifest.json", json.dumps(manifest))
    return target


def _drop_a_person(data, manifest):
    rows = json.loads(data["data/councils.person.json"])
    data["data/councils.person.json"] = json.dumps(rows[1:]).encode()


def _newer_migration(data, manifest):
    manifest["migrations"]["councils"].append("9999_from_the_future")


def _unknown_field(data, manifest):
    rows = json.loads(data["data/councils.term.json"])
    rows[0]["fields"]["colour"] = "blue"
    data["data/councils.term.json"] = json.dumps(rows).encode()


def _unknown_model(data, manifest):
    manifest["models"].append("councils.spaceship")
    data["data/councils.spaceship.json"] = b"[]"


def _wrong_version(data, manifest):
    manifest["version"] = 99


def _missing_file(data, manifest):
    for name in [n for n in data if n.startswith("files/")]:
        del data[name]


def _bad_json(data, manifest):
    data["data/councils.person.json"] = b"[{"


@pytest.mark.parametrize(
    "change, message",
    [
        (_drop_a_person, "missing from the archive"),
        (_newer_migration, "9999_from_the_future"),
        (_unknown_field, "colour"),
        (_unknown_model, "councils.spaceship"),
        (_wrong_version, "99"),
        (_missing_file, "missing from the archive"),
        (_bad_json, "councils.person.json"),
    ],
    ids=lambda v: getattr(v, "__name__", "")[1:] if callable(v) else "",
)
def test_a_bad_archive_is_refused_and_changes_nothing(small, tmp_path, settings, change, message):
    good = export(small, tmp_path / "good.zip")
    Council.objects.filter(pk=small.pk).update(slug="ptuj-staro")  # the slug is free
    bad = rewrite(good, tmp_path / "bad.zip", change)
    before = state(settings.MEDIA_ROOT)

    with pytest.raises(backup.ArchiveError, match=message):
        backup.council_import(archive=bad)

    assert state(settings.MEDIA_ROOT) == before


def test_a_damaged_member_fails_its_checksum(small, tmp_path, settings):
    good = export(small, tmp_path / "good.zip")
    Council.objects.filter(pk=small.pk).update(slug="ptuj-staro")
    data = members(good)
    data["data/councils.person.json"] += b" "  # changed after the checksum was taken
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, body in data.items():
            archive.writestr(name, body)
    before = state(settings.MEDIA_ROOT)

    with pytest.raises(backup.ArchiveError, match="SHA-256"):
        backup.council_import(archive=bad)

    assert state(settings.MEDIA_ROOT) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip at all", "not a ZIP archive"),
        (None, "manifest.json"),
    ],
)
def test_files_that_are_no_council_export_are_refused(db, tmp_path, content, message):
    path = tmp_path / "x.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", b"hi")
    else:
        path.write_bytes(content)
    with pytest.raises(backup.ArchiveError, match=message):
        backup.council_import(archive=path)


def test_unsafe_member_names_are_refused(db, tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/evil", b"x")
        archive.writestr("manifest.json", b"{}")
    with pytest.raises(backup.ArchiveError, match="unsafe"):
        backup.council_import(archive=path)


def test_a_failure_while_writing_removes_the_files_already_stored(
    small, tmp_path, settings, monkeypatch
):
    good = export(small, tmp_path / "good.zip")
    Council.objects.filter(pk=small.pk).update(slug="ptuj-staro")
    shutil.rmtree(settings.MEDIA_ROOT)
    before = state(settings.MEDIA_ROOT)

    def explode(**kwargs):  # the last step: every record and file is written by then
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup, "audit_record", explode)

    with pytest.raises(RuntimeError, match="disk full"):
        backup.council_import(archive=good)

    assert state(settings.MEDIA_ROOT) == before


def test_a_refusal_is_in_slovenian_by_default(db, tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip at all")
    with translation.override("sl"), pytest.raises(CommandError, match="Nič ni bilo uvoženo"):
        call_command("import_council", str(path))
