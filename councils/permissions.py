"""Named permission predicates, used by views, templates and tests alike.

Access to a council comes from two sources, resolved here and nowhere else:
an explicit ``CouncilRole`` granted to a login account (secretary, chair, member,
mayor's office) and, for members, a currently active ``Membership`` of the person the
account is linked to (a chair's membership gives chair rights). Site administrators
(superusers) have a secretary's rights everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .models import Council, CouncilRole, Membership

SECRETARY = CouncilRole.Role.SECRETARY
CHAIR = CouncilRole.Role.CHAIR
MEMBER = CouncilRole.Role.MEMBER
MAYORS_OFFICE = CouncilRole.Role.MAYORS_OFFICE

MANAGING_ROLES = frozenset({SECRETARY, CHAIR})
READING_ROLES = frozenset({SECRETARY, CHAIR, MEMBER})
REPORT_ROLES = frozenset({SECRETARY, CHAIR, MAYORS_OFFICE})

# Display order: the strongest role first.
ROLE_ORDER = [SECRETARY, CHAIR, MEMBER, MAYORS_OFFICE]


@dataclass(frozen=True)
class CouncilAccess:
    """What one user may do in one council."""

    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def has_access(self) -> bool:
        return bool(self.roles)

    @property
    def primary_role(self) -> str | None:
        for role in ROLE_ORDER:
            if role in self.roles:
                return role
        return None

    @property
    def primary_role_label(self) -> str:
        role = self.primary_role
        return CouncilRole.Role(role).label if role else ""

    @property
    def can_manage(self) -> bool:
        return bool(self.roles & MANAGING_ROLES)

    @property
    def can_read_internal(self) -> bool:
        return bool(self.roles & READING_ROLES)

    @property
    def can_download_reports(self) -> bool:
        return bool(self.roles & REPORT_ROLES)


NO_ACCESS = CouncilAccess()


def _roles_from_membership(membership_role: str) -> str:
    return CHAIR if membership_role == Membership.Role.CHAIR else MEMBER


def council_access(user, council: Council) -> CouncilAccess:
    """The user's access to the council; cached on the user object per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cache = user.__dict__.setdefault("_council_access_cache", {})
    if council.pk in cache:
        return cache[council.pk]
    roles: set[str] = set()
    if user.is_superuser:
        roles.add(SECRETARY)
    roles.update(
        CouncilRole.objects.filter(council=council, user=user).values_list("role", flat=True)
    )
    today = timezone.localdate()
    for membership_role in (
        Membership.objects.filter(council=council, person__user=user, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values_list("role", flat=True)
    ):
        roles.add(_roles_from_membership(membership_role))
    access = CouncilAccess(frozenset(roles))
    cache[council.pk] = access
    return access


def access_for_roles(roles: set[str]) -> CouncilAccess:
    return CouncilAccess(frozenset(roles))


def can_view_council(user, council: Council) -> bool:
    return council_access(user, council).has_access


def can_read_internal(user, council: Council) -> bool:
    """Members' internal pages: people, contact data, memberships."""
    return council_access(user, council).can_read_internal


def can_manage_council(user, council: Council) -> bool:
    """Secretary and chair manage everything of their council."""
    return council_access(user, council).can_manage


def can_download_reports(user, council: Council) -> bool:
    return council_access(user, council).can_download_reports
