"""Writes of the councils app. Views call exactly one of these inside a transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .audit import audit_record
from .models import (
    AuditEvent,
    Council,
    CouncilRole,
    Indicator,
    IndicatorValue,
    Membership,
    Organisation,
    Person,
    Term,
    validate_indicator_year,
)


def _save(instance, by=None):
    """Validate and save; the change history records ``by`` as the author."""
    instance.full_clean()
    set_history_user(instance, by)
    instance.save()
    return instance


def set_history_user(instance, by) -> None:
    """Name the author of the next history record (also outside a web request)."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def _lock_council(council: Council) -> None:
    """Serialise writes that validate across rows (overlaps, one chair at a time)."""
    Council.objects.select_for_update().filter(pk=council.pk).first()


@transaction.atomic
def council_update(*, council: Council, by, data: dict, municipalities=None) -> Council:
    for field, value in data.items():
        setattr(council, field, value)
    _save(council, by)
    if municipalities is not None:
        council.municipalities.set(municipalities)
    return council


@transaction.atomic
def term_create(
    *, council: Council, by, start_date: datetime.date, end_date: datetime.date
) -> Term:
    _lock_council(council)
    return _save(Term(council=council, start_date=start_date, end_date=end_date), by)


@transaction.atomic
def term_update(*, term: Term, by, start_date: datetime.date, end_date: datetime.date) -> Term:
    _lock_council(term.council)
    term.start_date, term.end_date = start_date, end_date
    return _save(term, by)


@transaction.atomic
def organisation_create(*, council: Council, by, **data) -> Organisation:
    return _save(Organisation(council=council, **data), by)


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **data) -> Organisation:
    for field, value in data.items():
        setattr(organisation, field, value)
    return _save(organisation, by)


@transaction.atomic
def person_create(*, council: Council, by, **data) -> Person:
    return _save(Person(council=council, **data), by)


@transaction.atomic
def person_update(*, person: Person, by, **data) -> Person:
    for field, value in data.items():
        setattr(person, field, value)
    return _save(person, by)


def _role_details(role: str, previous: str | None, choices) -> dict:
    details = {"role": role, "role_label": str(choices(role).label)}
    if previous:
        details.update(previous=previous, previous_label=str(choices(previous).label))
    return details


@transaction.atomic
def membership_create(*, council: Council, by, **data) -> Membership:
    _lock_council(council)
    membership = _save(Membership(council=council, **data), by)
    audit_record(
        action=AuditEvent.Action.MEMBERSHIP_ROLE,
        by=by,
        council=council,
        obj=membership,
        details=_role_details(membership.role, None, Membership.Role),
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, by, **data) -> Membership:
    _lock_council(membership.council)
    previous = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    for field, value in data.items():
        setattr(membership, field, value)
    membership = _save(membership, by)
    if previous != membership.role:
        audit_record(
            action=AuditEvent.Action.MEMBERSHIP_ROLE,
            by=by,
            council=membership.council,
            obj=membership,
            details=_role_details(membership.role, previous, Membership.Role),
        )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by, end_date: datetime.date) -> Membership:
    _lock_council(membership.council)
    membership.end_date = end_date
    membership = _save(membership, by)
    audit_record(
        action=AuditEvent.Action.MEMBERSHIP_ENDED,
        by=by,
        council=membership.council,
        obj=membership,
        details={"end_date": end_date.isoformat()},
    )
    return membership


# --- Access roles (granted by site administrators in Django admin) ----------------------


@transaction.atomic
def council_role_create(*, council: Council, by, user, role: str) -> CouncilRole:
    council_role = _save(CouncilRole(council=council, user=user, role=role), by)
    audit_record(
        action=AuditEvent.Action.ROLE_GRANTED,
        by=by,
        council=council,
        obj=council_role,
        details=_role_details(role, None, CouncilRole.Role) | {"user": user.get_username()},
    )
    return council_role


@transaction.atomic
def council_role_update(*, council_role: CouncilRole, by, **data) -> CouncilRole:
    """Change a role (or give it to another login or council); recorded when it changed."""
    before = (
        CouncilRole.objects.filter(pk=council_role.pk).select_related("council", "user").first()
    )
    for field, value in data.items():
        setattr(council_role, field, value)
    council_role = _save(council_role, by)
    if before is None:
        return council_role
    username = council_role.user.get_username()
    if before.council_id != council_role.council_id or before.user_id != council_role.user_id:
        audit_record(
            action=AuditEvent.Action.ROLE_REVOKED,
            by=by,
            council=before.council,
            obj=council_role,
            details=_role_details(before.role, None, CouncilRole.Role)
            | {"user": before.user.get_username()},
        )
        audit_record(
            action=AuditEvent.Action.ROLE_GRANTED,
            by=by,
            council=council_role.council,
            obj=council_role,
            details=_role_details(council_role.role, None, CouncilRole.Role) | {"user": username},
        )
    elif before.role != council_role.role:
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            by=by,
            council=council_role.council,
            obj=council_role,
            details=_role_details(council_role.role, before.role, CouncilRole.Role)
            | {"user": username},
        )
    return council_role


@transaction.atomic
def council_role_delete(*, council_role: CouncilRole, by) -> None:
    audit_record(
        action=AuditEvent.Action.ROLE_REVOKED,
        by=by,
        council=council_role.council,
        obj=council_role,
        details=_role_details(council_role.role, None, CouncilRole.Role)
        | {"user": council_role.user.get_username()},
    )
    set_history_user(council_role, by)
    council_role.delete()


# --- Safety indicators -----------------------------------------------------------------


@dataclass(frozen=True)
class ValueChange:
    """One cell to write: ``value=None`` removes the stored value, ``note=None`` keeps it."""

    indicator: Indicator
    municipality_id: int
    year: int
    value: Decimal | None
    note: str | None = None


@dataclass(frozen=True)
class ValuesResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


def _history_user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


@transaction.atomic
def indicator_values_save(*, council: Council, by, changes: list[ValueChange]) -> ValuesResult:
    """Write many values of a council at once: all of them, or — on any error — none.

    Every change is checked first (the indicator is built in or the council's own, the
    municipality founds the council, the year and the value are in range); errors are
    raised keyed by the entry grid's cell (``IndicatorValue.cell_key``). Unchanged values
    are not written, so the change history records only real changes.
    """
    _lock_council(council)
    allowed = set(council.municipalities.values_list("pk", flat=True))
    errors: dict[str, list] = {}
    for change in changes:
        key = IndicatorValue.cell_key(change.indicator.pk, change.municipality_id)
        if change.indicator.council_id not in (None, council.pk):
            errors.setdefault(key, []).append(_("Choose one of this council's records."))
        if change.municipality_id not in allowed:
            errors.setdefault(key, []).append(
                _("Choose one of the council's founding municipalities.")
            )
        try:
            validate_indicator_year(change.year)
        except ValidationError as error:
            errors.setdefault(key, []).extend(error.messages)
        if change.value is not None:
            problem = change.indicator.check_value(change.value)
            if problem:
                errors.setdefault(key, []).append(problem)
        if change.note is not None and len(change.note) > 250:
            errors.setdefault(key, []).append(_("The note may be at most 250 characters."))
    if errors:
        raise ValidationError(errors)

    existing = {
        (v.indicator_id, v.municipality_id, v.year): v
        for v in IndicatorValue.objects.for_council(council).filter(
            indicator_id__in={c.indicator.pk for c in changes},
            year__in={c.year for c in changes},
        )
    }
    to_create, to_update, to_delete = [], [], []
    unchanged = 0
    for change in changes:
        current = existing.get((change.indicator.pk, change.municipality_id, change.year))
        if change.value is None:
            if current is not None:
                to_delete.append(current)
            continue
        if current is None:
            to_create.append(
                IndicatorValue(
                    council=council,
                    indicator=change.indicator,
                    municipality_id=change.municipality_id,
                    year=change.year,
                    value=change.value,
                    note=change.note or "",
                )
            )
            continue
        note = current.note if change.note is None else change.note
        if current.value == change.value and current.note == note:
            unchanged += 1
            continue
        current.value, current.note = change.value, note
        to_update.append(current)
    user = _history_user(by)
    if to_create:
        bulk_create_with_history(to_create, IndicatorValue, default_user=user)
    if to_update:
        bulk_update_with_history(to_update, IndicatorValue, ["value", "note"], default_user=user)
    for value in to_delete:
        set_history_user(value, by)
        value.delete()
    return ValuesResult(
        created=len(to_create), updated=len(to_update), deleted=len(to_delete), unchanged=unchanged
    )


@transaction.atomic
def indicator_values_import(*, council: Council, by, rows) -> ValuesResult:
    """Import the checked lines of a CSV file (``indicators_csv.parse_indicator_csv``)."""
    return indicator_values_save(
        council=council,
        by=by,
        changes=[
            ValueChange(
                indicator=row.indicator,
                municipality_id=row.municipality.pk,
                year=row.year,
                value=row.value,
                note=row.note,
            )
            for row in rows
        ],
    )


def _indicator_code(council: Council, name: str) -> str:
    """A code for a council's own indicator, from its name: "Vandalizem" → "vandalizem"."""
    base = slugify(name).replace("-", "_")[:34].strip("_") or "indicator"
    if not base[0].isalpha():
        base = f"i_{base}"
    taken = set(Indicator.objects.available_to(council).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


@transaction.atomic
def indicator_create(*, council: Council, by, **data) -> Indicator:
    _lock_council(council)
    code = data.pop("code", "") or _indicator_code(council, data.get("name", ""))
    return _save(Indicator(council=council, code=code, **data), by)


@transaction.atomic
def indicator_update(*, indicator: Indicator, by, **data) -> Indicator:
    _lock_council(indicator.council)
    code = data.pop("code", "") or indicator.code
    indicator.code = code
    for field, value in data.items():
        setattr(indicator, field, value)
    return _save(indicator, by)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    """Delete a council's own indicator with its values (built-in ones are never deleted)."""
    if indicator.council_id is None:
        raise ValidationError(_("The built-in indicators cannot be deleted."))
    for value in indicator.values.all():
        set_history_user(value, by)
        value.delete()
    set_history_user(indicator, by)
    indicator.delete()
