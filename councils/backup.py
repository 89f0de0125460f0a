"""Export one council (data and files) to a ZIP archive and import it elsewhere.

``python manage.py export_council <slug> -o council.zip`` and
``python manage.py import_council council.zip`` call ``council_export`` and
``council_import``.

The archive
-----------
- ``manifest.json``: format name and version, the council, the migrations of the
  installation that wrote it, the number of records per model, and the SHA-256 of every
  other member of the archive.
- ``data/<app>.<model>.json``: the council's records of each model in Django's
  serialization format (``model``, ``pk``, ``fields``), ordered by primary key; every
  model of the ``councils``, ``council_sessions`` and ``reports`` apps that belongs to a
  council is included (found by following its foreign keys to ``Council``), and so are
  their django-simple-history rows. Stored PDFs (sent invitations, approved minutes,
  adopted reports) are binary fields, so they travel base64-encoded in these files.
- ``users.json``: the logins the records refer to (access roles, linked people, authors
  of changes), with their password hashes so that they can sign in after a move; never
  with administrator rights.
- ``files/<name>``: the uploaded files (logo, agenda attachments) under their storage name.

References to records outside the council are written as natural keys: logins by user
name, municipalities by name, built-in indicators by code, the parent council by its web
address. A record keeps its primary key on import when the key is free in the target
installation (so that addresses and attendance links in e-mails already sent keep
working); a record whose key is taken is numbered anew, and every reference to it
(including the outbox's delivery keys) follows.

The audit log is not part of the archive: it is the log of the installation (who did
what on that server); the import records itself in the target's log.

The import validates the whole archive first (format, version, migrations, checksums,
every reference) and then writes everything in one transaction: a bad archive changes
nothing.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import AuditEvent, Council, Indicator, Municipality

FORMAT = "sosvet-council-export"
VERSION = 1
APP_LABELS = ("councils", "council_sessions", "reports")
#: not council data: the installation's audit log and the shared list of municipalities
EXCLUDED = frozenset(
    {"councils.auditevent", "councils.municipality", "councils.historicalmunicipality"}
)
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "password",
    "date_joined",
    "last_login",
)
# The outbox's unique keys name records by primary key (sessions/services.py): which
# model each numeric part of a key refers to, so that renumbered records keep their keys.
DELIVERY_KEY_PARTS = {
    "inv": ("council_sessions.invitation", "council_sessions.invitee"),
    "rem": ("council_sessions.session", "council_sessions.invitee"),
    "prop": ("council_sessions.agendaproposal",),
    "task": ("council_sessions.task",),
}
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be imported; nothing was changed."""


class ExportError(Exception):
    """The council cannot be exported as it is."""


# --- Which models, and how each belongs to a council ------------------------------


def _label(model) -> str:
    return model._meta.label_lower


def history_base(model):
    """The model a django-simple-history model records, or None."""
    return (
        getattr(model, "instance_type", None) if model.__name__.startswith("Historical") else None
    )


def _candidate_models() -> list:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in APP_LABELS and _label(m) not in EXCLUDED
    ]


def council_path(model, _seen: frozenset = frozenset()) -> str | None:
    """The lookup from ``model`` to its council ("session__council"), or None."""
    if model is Council:
        return ""
    if history_base(model) is Council:
        return None  # historical councils are selected by their ``id``
    candidates = []
    for position, f in enumerate(model._meta.concrete_fields):
        rel = f.related_model if f.is_relation else None
        if rel is None or rel is model or rel in _seen:
            continue
        if rel is Council:
            sub = ""
        elif rel._meta.app_label in APP_LABELS and _label(rel) not in EXCLUDED:
            sub = council_path(rel, _seen | {model})
            if sub is None:
                continue
        else:
            continue
        rank = (f.name != "council", f.null, position)
        candidates.append((rank, f.name + (f"__{sub}" if sub else "")))
    return min(candidates)[1] if candidates else None


def council_queryset(model, council: Council):
    if model is Council:
        return Council.objects.filter(pk=council.pk)
    if history_base(model) is Council:
        return model._base_manager.filter(id=council.pk)
    path = council_path(model)
    if path is None:
        raise ExportError(f"{_label(model)} has no foreign key leading to its council")
    return model._base_manager.filter(**{path: council})


def _in_set_targets(model, in_set: set) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and f.related_model in in_set
    ]


def exported_models() -> list:
    """Every council model, ordered so that records come after those they refer to."""
    candidates = _candidate_models()
    in_set = set(candidates)
    depends = {
        m: {f.related_model for f in _in_set_targets(m, in_set) if f.related_model is not m}
        | ({history_base(m)} if history_base(m) in in_set else set())
        for m in candidates
    }
    ordered: list = []
    remaining = sorted(candidates, key=_label)
    while remaining:
        ready = [m for m in remaining if depends[m] <= set(ordered)]
        if not ready:  # a cycle: the first model's forward references are deferred
            ready = remaining[:1]
        ordered.extend(ready)
        remaining = [m for m in remaining if m not in ready]
    return ordered


def _natural_key_fields(model) -> tuple[str, ...] | None:
    User = get_user_model()
    return {
        User: (User.USERNAME_FIELD,),
        Municipality: ("name",),
        Council: ("slug",),
        Indicator: ("code",),
    }.get(model)


def _json_default(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):  # pragma: no cover - serializer encodes these
        raise TypeError("binary value outside a BinaryField")
    raise TypeError(f"cannot serialize {type(value).__name__}")


def _dumps(value) -> bytes:
    return json.dumps(value, default=_json_default, ensure_ascii=False, indent=1).encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    result: dict[str, list[str]] = defaultdict(list)
    for app_label, name in sorted(applied):
        if app_label in APP_LABELS:
            result[app_label].append(name)
    return dict(result)


# --- Export ---------------------------------------------------------------------------


@dataclass
class ExportResult:
    council: Council
    records: int = 0
    files: int = 0
    counts: dict = field(default_factory=dict)
    missing_files: list = field(default_factory=list)


def council_export(*, council: Council, out, by=None) -> ExportResult:
    """Write the council's archive to ``out`` (a path or a binary file object)."""
    models_order = exported_models()
    in_set = set(models_order)
    querysets = {m: council_queryset(m, council) for m in models_order}
    live_pks = {m: set(querysets[m].values_list("pk", flat=True)) for m in models_order}
    serialized = {
        m: serializers.serialize("python", querysets[m].order_by("pk")) for m in models_order
    }

    # External references → natural keys (one query per referenced model).
    wanted: dict = defaultdict(set)
    for model in models_order:
        for f in model._meta.concrete_fields:
            if not f.is_relation or f.related_model is None:
                continue
            for row in serialized[model]:
                value = row["fields"].get(f.name)
                if value is None or (
                    f.related_model in in_set and value in live_pks[f.related_model]
                ):
                    continue
                wanted[f.related_model].add(value)
        for f in model._meta.many_to_many:
            for row in serialized[model]:
                wanted[f.related_model].update(row["fields"].get(f.name, []))
    natural: dict = {}
    for rel, pks in wanted.items():
        key_fields = _natural_key_fields(rel)
        if key_fields is None:
            continue
        qs = rel._base_manager.filter(pk__in=pks)
        if rel is Indicator:
            qs = qs.filter(council__isnull=True)
        natural[rel] = {row[0]: list(row[1:]) for row in qs.values_list("pk", *key_fields)}

    users: set[str] = set()
    counts: dict[str, int] = {}
    members: dict[str, bytes] = {}
    for model in models_order:
        is_history = history_base(model) is not None
        rows = serialized[model]
        for row in rows:
            fields = row["fields"]
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.related_model is None or f.name not in fields:
                    continue
                value = fields[f.name]
                rel = f.related_model
                if value is None:
                    continue
                if rel in in_set and value in live_pks[rel]:
                    continue
                if rel in natural and value in natural[rel]:
                    fields[f.name] = natural[rel][value]
                    if rel is get_user_model():
                        users.add(natural[rel][value][0])
                elif is_history:
                    fields[f.name] = None  # the history of a record since deleted
                else:
                    raise ExportError(
                        f"{_label(model)} {row['pk']}: {f.name} refers to a record outside "
                        "the council"
                    )
            for f in model._meta.many_to_many:
                rel = f.related_model
                values = fields.get(f.name, [])
                if rel in in_set:
                    fields[f.name] = sorted(v for v in values if v in live_pks[rel])
                else:
                    fields[f.name] = sorted(natural.get(rel, {}).get(v, [None])[0] for v in values)
        counts[_label(model)] = len(rows)
        members[f"data/{_label(model)}.json"] = _dumps(rows)

    User = get_user_model()
    members["users.json"] = _dumps(
        list(
            User._base_manager.filter(**{f"{User.USERNAME_FIELD}__in": users})
            .order_by(User.USERNAME_FIELD)
            .values(*USER_FIELDS)
        )
    )

    # Uploaded files of the live records.
    files: dict[str, str] = {}
    missing: list[str] = []
    for model in models_order:
        if history_base(model) is not None:
            continue
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for f in file_fields:
            for row in serialized[model]:
                name = row["fields"].get(f.name) or ""
                if name and name not in files and name not in missing:
                    if default_storage.exists(name):
                        files[name] = f"files/{name}"
                    else:
                        missing.append(name)

    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "council": {"slug": council.slug, "name": council.name},
        "created": timezone.now().isoformat(),
        "migrations": _migrations(),
        "models": [_label(m) for m in models_order],
        "counts": counts,
        "missing_files": missing,
        "sha256": {},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
            manifest["sha256"][name] = _sha256(data)
        for name, member in sorted(files.items()):
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as source, archive.open(member, "w") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            manifest["sha256"][member] = digest.hexdigest()
        archive.writestr("manifest.json", _dumps(manifest))

    result = ExportResult(
        council=council,
        records=sum(counts.values()),
        files=len(files),
        counts=counts,
        missing_files=missing,
    )
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.COUNCIL_EXPORTED,
            by=by,
            council=council,
            obj=council,
            details={"records": result.records, "files": result.files},
        )
    return result


# --- Import ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    council: Council
    records: int = 0
    files: int = 0
    #: per model, how many records were numbered anew (their keys were taken here)
    renumbered: dict = field(default_factory=dict)
    dropped_history: int = 0
    warnings: list = field(default_factory=list)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and name


@dataclass
class _Archive:
    manifest: dict
    rows: dict  # model -> list of rows
    users: list
    files: dict  # storage name -> archive member


def _read_archive(archive: zipfile.ZipFile) -> _Archive:
    names = archive.namelist()
    unsafe = [n for n in names if not _safe_member(n)]
    if unsafe:
        raise ArchiveError(
            _("The archive contains unsafe file names: %(names)s") % {"names": unsafe}
        )
    if "manifest.json" not in names:
        raise ArchiveError(_("The archive has no manifest.json: it is not a council export."))
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except ValueError as exc:
        raise ArchiveError(
            _("manifest.json is not valid JSON: %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(_("The archive is not a sosvet council export."))
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            _(
                "The archive has format version %(found)s; "
                "this installation reads version %(wanted)s."
            )
            % {"found": manifest.get("version"), "wanted": VERSION}
        )
    checksums = manifest.get("sha256")
    if not isinstance(checksums, dict):
        raise ArchiveError(_("The manifest lists no checksums."))
    listed = set(checksums)
    present = set(names) - {"manifest.json"}
    if listed != present:
        raise ArchiveError(
            _(
                "The archive's files do not match its manifest "
                "(missing: %(missing)s, extra: %(extra)s)."
            )
            % {"missing": sorted(listed - present), "extra": sorted(present - listed)}
        )
    for name in sorted(listed):
        digest = hashlib.sha256()
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != checksums[name]:
            raise ArchiveError(
                _("%(name)s is damaged: its SHA-256 does not match.") % {"name": name}
            )

    # The installation must know every migration the archive's data went through.
    installed = _migrations()
    for app_label, names_ in (manifest.get("migrations") or {}).items():
        unknown = sorted(set(names_) - set(installed.get(app_label, [])))
        if unknown:
            raise ArchiveError(
                _(
                    "The archive comes from a newer version of sosvet "
                    "(migrations %(names)s of %(app)s are not installed here)."
                )
                % {"names": ", ".join(unknown), "app": app_label}
            )

    known = {_label(m): m for m in exported_models()}
    rows: dict = {}
    for label in manifest.get("models") or []:
        model = known.get(label)
        if model is None:
            raise ArchiveError(
                _("The archive holds records of an unknown model %(model)s.") % {"model": label}
            )
        member = f"data/{label}.json"
        if member not in listed:
            raise ArchiveError(_("The archive has no data for %(model)s.") % {"model": label})
        try:
            data = json.loads(archive.read(member))
        except ValueError as exc:
            raise ArchiveError(_("%(name)s is not valid JSON.") % {"name": member}) from exc
        field_names = {f.name for f in model._meta.concrete_fields} | {
            f.name for f in model._meta.many_to_many
        }
        for row in data:
            if (
                not isinstance(row, dict)
                or row.get("model") != label
                or not isinstance(row.get("fields"), dict)
            ):
                raise ArchiveError(_("%(name)s has a malformed record.") % {"name": member})
            extra = set(row["fields"]) - field_names
            if extra:
                raise ArchiveError(
                    _("%(model)s records have fields this installation does not know: %(fields)s")
                    % {"model": label, "fields": ", ".join(sorted(extra))}
                )
        rows[model] = data
    if Council not in rows or len(rows[Council]) != 1:
        raise ArchiveError(_("The archive must hold exactly one council."))
    try:
        users = json.loads(archive.read("users.json")) if "users.json" in listed else []
    except ValueError as exc:
        raise ArchiveError(_("users.json is not valid JSON.")) from exc
    files = {name[len("files/") :]: name for name in listed if name.startswith("files/")}
    return _Archive(manifest=manifest, rows=rows, users=users, files=files)


def _rewrite_delivery_key(key: str, mapping: dict) -> str:
    parts = key.split(":")
    targets = DELIVERY_KEY_PARTS.get(parts[0], ())
    for position, label in enumerate(targets, start=1):
        if position < len(parts) and parts[position].isdigit():
            new = mapping.get(label, {}).get(int(parts[position]))
            if new is not None:
                parts[position] = str(new)
    return ":".join(parts)


def _bump_sequence(model, value: int) -> None:
    """Never hand out a key again that the archive used (also for deleted records)."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, (SELECT COALESCE(MAX("{column}"), 1) FROM "{table}")))',  # noqa: E501
                [table, column, value],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [value, table]
            )


def council_import(*, archive, by=None, slug: str | None = None) -> ImportResult:
    """Restore a council from an archive (a path or a binary file object).

    Refuses, changing nothing, when the archive is damaged, from a newer version, or
    when a council with the same web address exists (``slug`` imports it under another).
    """
    try:
        zip_file = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("The file is not a ZIP archive: %(error)s") % {"error": exc}) from exc
    with zip_file:
        data = _read_archive(zip_file)
        council_fields = data.rows[Council][0]["fields"]
        target_slug = slug or council_fields.get("slug")
        if not target_slug:
            raise ArchiveError(_("The archive's council has no web address."))
        if Council.objects.filter(slug=target_slug).exists():
            raise ArchiveError(
                _("A council with the web address “%(slug)s” already exists here.")
                % {"slug": target_slug}
            )
        saved_files: list[str] = []
        try:
            with transaction.atomic():
                result = _write(data, zip_file, by=by, slug=target_slug, saved_files=saved_files)
        except IntegrityError as exc:
            _delete_files(saved_files)
            raise ArchiveError(
                _("The archive conflicts with records of this installation: %(error)s")
                % {"error": exc}
            ) from exc
        except Exception:
            _delete_files(saved_files)
            raise
    return result


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _write(
    data: _Archive, zip_file: zipfile.ZipFile, *, by, slug: str, saved_files: list
) -> ImportResult:
    User = get_user_model()
    order = [m for m in exported_models() if m in data.rows]
    in_set = set(order)
    warnings: list[str] = []

    # Logins: reuse those with the same name, create the others (never as administrators).
    user_ids: dict[str, int] = dict(
        User._base_manager.filter(
            **{f"{User.USERNAME_FIELD}__in": [u.get("username") for u in data.users]}
        ).values_list(User.USERNAME_FIELD, "pk")
    )
    for spec in data.users:
        if not isinstance(spec, dict) or not spec.get("username"):
            raise ArchiveError(_("users.json has a malformed login."))
        if spec["username"] in user_ids:
            continue
        user = User(**{k: spec.get(k) for k in USER_FIELDS if k in spec})
        user.is_staff = user.is_superuser = False
        if not user.password:
            user.set_unusable_password()
        user.save()
        user_ids[spec["username"]] = user.pk

    def natural(rel, key, where: str):
        if not isinstance(key, list) or not key:
            raise ArchiveError(_("%(where)s: malformed reference.") % {"where": where})
        if rel is User:
            if key[0] not in user_ids:
                raise ArchiveError(
                    _("%(where)s: the login “%(name)s” is not in users.json.")
                    % {"where": where, "name": key[0]}
                )
            return user_ids[key[0]]
        if rel is Municipality:
            return Municipality.objects.get_or_create(name=str(key[0]))[0].pk
        if rel is Indicator:
            found = (
                Indicator.objects.filter(council__isnull=True, code=key[0])
                .values_list("pk", flat=True)
                .first()
            )
            if found is None:
                raise ArchiveError(
                    _("%(where)s: no built-in indicator “%(code)s”.")
                    % {"where": where, "code": key[0]}
                )
            return found
        if rel is Council:
            found = Council.objects.filter(slug=key[0]).values_list("pk", flat=True).first()
            if found is None:
                warnings.append(
                    _("The parent council “%(slug)s” does not exist here; the link was left out.")
                    % {"slug": key[0]}
                )
            return found
        raise ArchiveError(_("%(where)s: unexpected reference.") % {"where": where})

    # Keep primary keys where none of a model's keys is taken here.
    archived_pks = {m: [row["pk"] for row in data.rows[m]] for m in order}
    for m in order:
        if any(not isinstance(pk, int) for pk in archived_pks[m]):
            raise ArchiveError(
                _("%(model)s has a record without a valid key.") % {"model": _label(m)}
            )
    # A record keeps its primary key when nothing here has it; the others are numbered anew.
    taken = {m: _existing(m, archived_pks[m]) for m in order}
    mapping: dict = {m: {pk: pk for pk in archived_pks[m] if pk not in taken[m]} for m in order}
    live_sets = {m: set(archived_pks[m]) for m in order}
    reuse_files = slug == data.rows[Council][0]["fields"].get("slug")
    deferred: list = []
    records = 0
    dropped = 0

    for model in order:
        base = history_base(model)
        label = _label(model)
        relations = [
            f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None
        ]
        for row in data.rows[model]:
            where = f"{label} {row['pk']}"
            fields = dict(row["fields"])
            if base is not None and base in in_set:
                original = fields.get("id")
                if original in mapping[base]:
                    fields["id"] = mapping[base][original]
                elif _free_for_history(base, original, live_sets[base], mapping[base]):
                    fields["id"] = original  # the history of a record since deleted
                else:
                    dropped += 1
                    continue
            if model is Council:
                fields["slug"] = slug
            later = []
            for f in relations:
                value = fields.get(f.name)
                if value is None:
                    continue
                rel = f.related_model
                if isinstance(value, list):
                    fields[f.name] = natural(rel, value, where)
                elif rel in in_set and isinstance(value, int):
                    if value not in live_sets[rel]:
                        raise ArchiveError(
                            _("%(where)s: %(field)s refers to a record missing from the archive.")
                            % {"where": where, "field": f.name}
                        )
                    if value in mapping[rel]:
                        fields[f.name] = mapping[rel][value]
                    else:
                        if not f.null:
                            raise ArchiveError(
                                _("%(where)s: cannot order the records for %(field)s.")
                                % {"where": where, "field": f.name}
                            )
                        fields[f.name] = None
                        later.append((f, rel, value))
                else:
                    raise ArchiveError(
                        _("%(where)s: %(field)s has an invalid reference.")
                        % {"where": where, "field": f.name}
                    )
            for f in model._meta.many_to_many:
                values = fields.get(f.name) or []
                if f.related_model is Municipality:
                    fields[f.name] = [
                        natural(Municipality, [v], where) for v in values if v is not None
                    ]
                else:
                    fields[f.name] = [
                        mapping[f.related_model][v]
                        for v in values
                        if v in mapping.get(f.related_model, {})
                    ]
            for f in model._meta.concrete_fields:
                if isinstance(f, models.FileField) and base is None and fields.get(f.name):
                    fields[f.name] = _restore_file(
                        fields[f.name], data, zip_file, reuse_files, saved_files, where
                    )
            if label == "council_sessions.delivery" and fields.get("key"):
                # The outbox's keys name records by primary key: follow the new numbers.
                fields["key"] = _rewrite_delivery_key(
                    fields["key"], {_label(m): mapping[m] for m in order}
                )
            pk = None if row["pk"] in taken[model] else row["pk"]
            try:
                (obj,) = serializers.deserialize(
                    "python",
                    [{"model": label, "pk": pk, "fields": fields}],
                    ignorenonexistent=False,
                )
            except serializers.base.DeserializationError as exc:
                raise ArchiveError(f"{where}: {exc}") from exc
            obj.save()
            mapping[model][row["pk"]] = obj.object.pk
            records += 1
            for f, rel, value in later:
                deferred.append((model, obj.object.pk, f.attname, rel, value))

    for model, pk, attname, rel, value in deferred:
        model._base_manager.filter(pk=pk).update(**{attname: mapping[rel][value]})

    for model in order:
        kept = [pk for pk in archived_pks[model] if pk not in taken[model]]
        if kept:
            highest = max(kept)
            if history_base(model) is None:
                history = [m for m in order if history_base(m) is model]
                for h in history:
                    ids = [row["fields"].get("id") for row in data.rows[h]]
                    highest = max([highest, *[i for i in ids if isinstance(i, int)]])
            _bump_sequence(model, highest)

    council = Council.objects.get(slug=slug)
    result = ImportResult(
        council=council,
        records=records,
        files=len(set(data.files)),
        renumbered={_label(m): len(taken[m]) for m in order if taken[m]},
        dropped_history=dropped,
        warnings=warnings,
    )
    audit_record(
        action=AuditEvent.Action.COUNCIL_IMPORTED,
        by=by,
        council=council,
        obj=council,
        details={
            "records": records,
            "files": result.files,
            "renumbered": result.renumbered,
            "from": data.manifest.get("council", {}).get("slug", ""),
        },
    )
    return result


def _existing(model, pks: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        found.update(model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _free_for_history(base, original, live: set, mapped: dict) -> bool:
    """May the history of a record deleted before the export keep its original id?

    Only if no record has that id here, so that it is never shown as another's history.
    """
    if not isinstance(original, int) or original in live:
        return False
    if original in set(mapped.values()):
        return False
    return not base._base_manager.filter(pk=original).exists()


def _restore_file(
    name: str, data: _Archive, zip_file, keep_names: bool, saved: list, where: str
) -> str:
    if name not in data.files:
        if name in (data.manifest.get("missing_files") or []):
            return name  # was already missing in the exporting installation
        raise ArchiveError(
            _("%(where)s: the file %(name)s is missing from the archive.")
            % {"where": where, "name": name}
        )
    content = zip_file.read(data.files[name])
    if keep_names and default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if _sha256(existing.read()) == _sha256(content):
                return name  # the same file is already there (an earlier copy of it)
    stored = default_storage.save(name, ContentFile(content))
    saved.append(stored)
    return stored
