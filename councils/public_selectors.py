"""What the public sees of the councils: only councils whose public page is published.

Nothing here ever reads a person's e-mail address or phone number: the members are
listed by name, organisation, role and kind of membership only.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Council, Membership, Municipality, Organisation
from .selectors import memberships_list

#: the longest search text taken from the query string
SEARCH_MAX_LENGTH = 100

# Organisations are listed in this order of kinds (police and municipality first, as in
# the councils' own documents), then by name.
KIND_ORDER = [
    Organisation.Kind.MUNICIPAL,
    Organisation.Kind.POLICE,
    Organisation.Kind.WARDENS,
    Organisation.Kind.DISTRICT,
    Organisation.Kind.SOCIAL,
    Organisation.Kind.SCHOOL,
    Organisation.Kind.HEALTH,
    Organisation.Kind.CIVIL_PROTECTION,
    Organisation.Kind.NGO,
    Organisation.Kind.BUSINESS,
    Organisation.Kind.OTHER,
]
ROLE_ORDER = [
    Membership.Role.CHAIR,
    Membership.Role.DEPUTY_CHAIR,
    Membership.Role.SECRETARY,
    Membership.Role.MEMBER,
]


def _municipalities() -> Prefetch:
    return Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))


def _folded(text: str) -> str:
    """Lower case without diacritics: "Ormož" and "ORMOZ" both become "ormoz"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def councils_published(*, search: str = "") -> QuerySet[Council]:
    """Every council with a published public page, by name; ``search`` matches part of the
    name, the short name or a founding municipality, regardless of case and diacritics
    (so "ormoz" finds Ormož on every database)."""
    qs = Council.objects.published().select_related("parent").prefetch_related(_municipalities())
    search = _folded(search.strip()[:SEARCH_MAX_LENGTH])
    if search:
        rows = Council.objects.published().values_list("pk", "name", "short_name")
        places = Council.objects.published().values_list("pk", "municipalities__name")
        texts: dict[int, list[str]] = {}
        for pk, name, short_name in rows:
            texts.setdefault(pk, []).extend([name, short_name])
        for pk, municipality in places:
            texts.setdefault(pk, []).append(municipality or "")
        matching = [pk for pk, values in texts.items() if search in _folded(" | ".join(values))]
        qs = qs.filter(pk__in=matching)
    return qs.order_by("name", "pk")


def council_published_get(*, slug: str) -> Council | None:
    """The council with this web address if its public page is published, else None."""
    return (
        Council.objects.published()
        .select_related("parent")
        .prefetch_related(_municipalities())
        .filter(slug=slug)
        .first()
    )


def working_groups_published(*, council: Council) -> QuerySet[Council]:
    return Council.objects.published().filter(parent=council).order_by("name", "pk")


def police_station_label(*, council: Council) -> str:
    """The founding police station: as written in the profile, else the council's
    organisations of the kind "police station"."""
    if council.police_station.strip():
        return council.police_station.strip()
    names = Organisation.objects.for_council(council).filter(kind=Organisation.Kind.POLICE)
    return ", ".join(names.order_by("name").values_list("name", flat=True))


@dataclass(frozen=True)
class PublicMember:
    name: str
    role: str
    role_label: str
    kind: str
    kind_label: str


@dataclass(frozen=True)
class MemberGroup:
    organisation: str  # empty: members who represent no organisation
    organisation_kind_label: str
    members: list[PublicMember]


def _collation_key(text: str) -> str:
    return (text or "").casefold()


def members_public(*, council: Council, day: datetime.date | None = None) -> list[MemberGroup]:
    """The members on ``day`` (today) grouped by the organisation they represent: names,
    roles and kinds of membership only (one query)."""
    day = day or timezone.localdate()
    groups: dict[int | None, list[Membership]] = {}
    organisations: dict[int | None, Organisation | None] = {}
    for membership in memberships_list(council=council, active_on=day):
        key = membership.organisation_id
        groups.setdefault(key, []).append(membership)
        organisations[key] = membership.organisation

    def group_order(key):
        organisation = organisations[key]
        if organisation is None:
            return (1, 0, "")
        kind = organisation.kind
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        return (0, rank, _collation_key(organisation.name))

    def member_order(membership: Membership):
        role = membership.role
        return (
            ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER),
            _collation_key(membership.person.last_name),
            _collation_key(membership.person.first_name),
        )

    result = []
    for key in sorted(groups, key=group_order):
        organisation = organisations[key]
        result.append(
            MemberGroup(
                organisation=organisation.name if organisation else "",
                organisation_kind_label=str(organisation.get_kind_display())
                if organisation
                else "",
                members=[
                    PublicMember(
                        name=m.person.full_name,
                        role=m.role,
                        role_label=str(m.get_role_display()),
                        kind=m.kind,
                        kind_label=str(m.get_kind_display()),
                    )
                    for m in sorted(groups[key], key=member_order)
                ],
            )
        )
    return result
