"""Builds the demo councils. Every write is keyed on a natural key, so it is idempotent."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from councils.models import (
    Council,
    CouncilRole,
    Membership,
    Municipality,
    Organisation,
    Person,
    Term,
)

from .data import COUNCILS, DEMO_PASSWORD, USERS

D = datetime.date

# The day on which the demo members are taken to have been appointed.
DEMO_APPOINTMENT_DAY = D(2023, 1, 1)


def _upsert(model, defaults: dict, **lookup):
    """update_or_create that writes (and records history) only when something changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
    return obj, False


def _user(username: str, first_name: str, last_name: str, email: str, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "is_superuser": superuser,
        "is_staff": superuser,
    }
    if created or any(getattr(user, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(user, k, v)
        user.save()
    return user


def _council(spec: dict, parent: Council | None) -> Council:
    council, _ = _upsert(
        Council,
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "short_name": spec["short_name"],
            "parent": parent,
            "police_station": spec.get("police_station", ""),
            "purpose": spec.get("purpose", ""),
            "functions": spec.get("functions", ""),
            "goals": spec.get("goals", ""),
            "legal_basis": spec.get("legal_basis", ""),
            "contact_email": spec.get("contact_email", ""),
            "language": spec.get("language", "sl"),
            "alphabet": spec.get("alphabet", "sl"),
            "is_published": spec.get("is_published", True),
        },
    )
    council.municipalities.set(
        [
            Municipality.objects.get_or_create(name=name)[0]
            for name in spec.get("municipalities", [])
        ]
    )
    for start, end in spec.get("terms", []):
        Term.objects.get_or_create(council=council, start_date=start, end_date=end)
    organisations = {}
    for key, name, kind in spec.get("organisations", []):
        organisations[key], _ = _upsert(
            Organisation, council=council, name=name, defaults={"kind": kind, "short_name": key}
        )
    terms = list(council.terms.order_by("start_date"))
    # Members are appointed in the term in force on a fixed day, never "today": the demo
    # must load the same records whichever day it runs (a term ending must neither
    # duplicate the memberships nor empty the 2023 annual report).
    term = next((t for t in terms if t.contains(DEMO_APPOINTMENT_DAY)), None) or (
        terms[0] if terms else None
    )
    for member in spec.get("members", []):
        person, _ = _upsert(
            Person,
            council=council,
            first_name=member["first_name"],
            last_name=member["last_name"],
            defaults={
                "title": member.get("title", ""),
                "function": member.get("function", ""),
                "email": member.get("email", ""),
                "phone": member.get("phone", ""),
            },
        )
        start = member.get("start", term.start_date if term else D(2022, 12, 1))
        _upsert(
            Membership,
            council=council,
            person=person,
            start_date=start,
            defaults={
                "organisation": organisations.get(member.get("org")),
                "role": member.get("role", Membership.Role.MEMBER),
                "kind": member.get("kind", Membership.Kind.STANDING),
                "term": next((t for t in terms if t.contains(start)), None),
                "end_date": member.get("end"),
                "note": member.get("note", ""),
            },
        )
    return council


def load_demo() -> list[tuple[str, str]]:
    """Create or update every demo record; return (username, description) per login."""
    councils: dict[str, Council] = {}
    for spec in COUNCILS:
        parent = councils.get(spec.get("parent", ""))
        councils[spec["slug"]] = _council(spec, parent)

    logins = []
    for spec in USERS:
        user = _user(
            spec["username"],
            spec["first_name"],
            spec["last_name"],
            spec["email"],
            superuser=spec.get("superuser", False),
        )
        for slug, role in spec.get("roles", []):
            _upsert(CouncilRole, council=councils[slug], user=user, defaults={"role": role})
        if "person_of" in spec:
            slug = spec["person_of"]
            Person.objects.filter(
                council=councils[slug], first_name=spec["first_name"], last_name=spec["last_name"]
            ).update(user=user)
        logins.append((spec["username"], spec["description"]))
    from .indicators import load_indicators_demo

    load_indicators_demo()
    return logins
