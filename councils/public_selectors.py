"""What the public sees of the councils: only councils whose public page is published.

Nothing here ever reads a person's e-mail address or phone number: the members are
listed by name, organisation, role and kind of membership only.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from sosvet.collation import by_name, collation_key

from .models import Council, Membership, Municipality, Organisation
from .selectors import (
    MEMBERSHIP_ROLE_RANK,
    ORGANISATION_KIND_RANK,
    memberships_list,
)

#: the longest search text taken from the query string
SEARCH_MAX_LENGTH = 100

# Organisations by kind, then name; members by role, then name (as in the annual report).


def _municipalities() -> Prefetch:
    return Prefetch("municipalities", queryset=Municipality.objects.order_by(*by_name("name")))


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
    return qs.order_by(*by_name("name"), "pk")


def council_published_get(*, slug: str) -> Council | None:
    """The council with this web address if its public page is published, else None."""
    return (
        Council.objects.published()
        .select_related("parent")
        .prefetch_related(_municipalities())
        .filter(slug=slug)
        .first()
    )


def council_page_get(*, slug: str) -> Council | None:
    """``council_published_get`` for the council's own page: the council with its
    published working groups (rows of the same table, read by the same query) as
    ``published_working_groups`` and, for a working group, its parent council if that is
    published as ``published_parent`` (a second query, for working groups only). The
    municipalities are read by ``municipalities_of``."""
    # The groups' parent by its primary key (a subquery): the database then finds both
    # through their indexes.
    parent_pk = Council.objects.filter(slug=slug).order_by().values("pk")[:1]
    rows = list(
        Council.objects.published()
        .filter(Q(slug=slug) | Q(parent_id=Subquery(parent_pk)))
        .order_by(*by_name("name"), "pk")
    )
    council = next((row for row in rows if row.slug == slug), None)
    if council is None:
        return None
    council.published_working_groups = [row for row in rows if row is not council]
    council.published_parent = (
        Council.objects.published().filter(pk=council.parent_id).first()
        if council.parent_id
        else None
    )
    return council


def municipalities_of(*, council: Council) -> list[Municipality]:
    """The council's founding municipalities by name."""
    return list(
        Municipality.objects.filter(councils=council).order_by(
            *by_name("name", alphabet=council.alphabet)
        )
    )


def working_groups_published(*, council: Council) -> QuerySet[Council]:
    return (
        Council.objects.published()
        .filter(parent=council)
        .order_by(*by_name("name", alphabet=council.alphabet), "pk")
    )


def police_station_label(*, council: Council) -> str:
    """The founding police station: as written in the profile, else the council's
    organisations of the kind "police station"."""
    if council.police_station.strip():
        return council.police_station.strip()
    names = Organisation.objects.for_council(council).filter(kind=Organisation.Kind.POLICE)
    names = names.order_by(*by_name("name", alphabet=council.alphabet))
    return ", ".join(names.values_list("name", flat=True))


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


def members_public(*, council: Council, day: datetime.date | None = None) -> list[MemberGroup]:
    """The members on ``day`` (today) grouped by the organisation they represent: names,
    roles and kinds of membership only (one query, only the columns shown)."""
    day = day or timezone.localdate()
    # The organisation is joined among the council's own only (it always is one of them):
    # that also lets the database read those few instead of every council's.
    own_organisation = FilteredRelation("organisation", condition=Q(organisation__council=council))
    rows = (
        memberships_list(council=council, active_on=day)
        .annotate(own_organisation=own_organisation)
        .values_list(
            "own_organisation__id",
            "own_organisation__name",
            "own_organisation__kind",
            "role",
            "kind",
            "person__title",
            "person__first_name",
            "person__last_name",
        )
    )
    role_labels = {value: str(label) for value, label in Membership.Role.choices}
    kind_labels = {value: str(label) for value, label in Membership.Kind.choices}
    organisation_kinds = dict(Organisation.Kind.choices)
    groups: dict[int | None, list[tuple]] = {}
    organisations: dict[int | None, tuple[str, str]] = {}
    for organisation_id, organisation_name, organisation_kind, *member in rows:
        groups.setdefault(organisation_id, []).append(member)
        organisations[organisation_id] = (organisation_name, organisation_kind)

    def group_order(key):
        if key is None:
            return (1, 0, "")
        name, kind = organisations[key]
        kind_rank = ORGANISATION_KIND_RANK.get(kind, len(ORGANISATION_KIND_RANK))
        return (0, kind_rank, collation_key(name, council.alphabet))

    def member_order(member: list):
        role, _kind, _title, first_name, last_name = member
        return (
            MEMBERSHIP_ROLE_RANK.get(role, len(MEMBERSHIP_ROLE_RANK)),
            collation_key(last_name, council.alphabet),
            collation_key(first_name, council.alphabet),
        )

    def full_name(title: str, first_name: str, last_name: str) -> str:
        # Person.full_name
        name = f"{first_name} {last_name}"
        return f"{title} {name}" if title else name

    result = []
    for key in sorted(groups, key=group_order):
        name, kind = organisations[key] if key is not None else ("", "")
        result.append(
            MemberGroup(
                organisation=name,
                organisation_kind_label=str(organisation_kinds.get(kind, kind))
                if key is not None
                else "",
                members=[
                    PublicMember(
                        name=full_name(title, first_name, last_name),
                        role=role,
                        role_label=role_labels.get(role, role),
                        kind=member_kind,
                        kind_label=kind_labels.get(member_kind, member_kind),
                    )
                    for role, member_kind, title, first_name, last_name in sorted(
                        groups[key], key=member_order
                    )
                ],
            )
        )
    return result
