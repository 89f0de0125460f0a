"""The permission matrix: every URL pattern × every kind of visitor.

A URL pattern without a row here fails ``test_every_url_pattern_has_a_matrix_row``, so a
new page cannot be added without deciding who may see it.
"""

from __future__ import annotations

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from councils.models import CouncilRole

from .factories import (
    CouncilRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    with_next_term,
)

ANON, MEMBER, SECRETARY, MAYOR, OTHER = (
    "anonymous",
    "member",
    "secretary",
    "mayors_office",
    "other_secretary",
)
VISITORS = [ANON, MEMBER, SECRETARY, MAYOR, OTHER]

LOGIN = 302  # redirected to the sign-in page

# Shorthands for the common rows.
PUBLIC = {ANON: 200, MEMBER: 200, SECRETARY: 200, MAYOR: 200, OTHER: 200}
SIGNED_IN = {ANON: LOGIN, MEMBER: 200, SECRETARY: 200, MAYOR: 200, OTHER: 200}
COUNCIL_VIEW = {ANON: LOGIN, MEMBER: 200, SECRETARY: 200, MAYOR: 200, OTHER: 404}
COUNCIL_INTERNAL = {ANON: LOGIN, MEMBER: 200, SECRETARY: 200, MAYOR: 403, OTHER: 404}
COUNCIL_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 200, MAYOR: 403, OTHER: 404}
# POST-only endpoints answer GET with 405 to those allowed past the tenancy check.
POST_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 405, MAYOR: 403, OTHER: 404}
POST_VIEW = {ANON: LOGIN, MEMBER: 405, SECRETARY: 405, MAYOR: 405, OTHER: 404}

# url name -> (kwargs builder name, expected status per visitor)
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("none", {ANON: 200, MEMBER: 302, SECRETARY: 302, MAYOR: 302, OTHER: 302}),
    "dashboard": ("none", SIGNED_IN),
    "login": ("none", PUBLIC),
    "logout": ("none", dict.fromkeys(VISITORS, 405)),  # sign-out is POST only
    "password_reset": ("none", PUBLIC),
    "password_reset_done": ("none", PUBLIC),
    "password_reset_confirm": ("reset", PUBLIC),  # an invalid link shows a clear page
    "password_reset_complete": ("none", PUBLIC),
    "password_change": ("none", SIGNED_IN),
    "password_change_done": ("none", SIGNED_IN),
    "set_language": ("none", dict.fromkeys(VISITORS, 302)),
    "admin:index": ("none", dict.fromkeys(VISITORS, 302)),  # nobody here is staff
    "councils:council_detail": ("council", COUNCIL_VIEW),
    "councils:council_edit": ("council", COUNCIL_MANAGE),
    "councils:council_logo": ("council", COUNCIL_VIEW),
    "councils:term_create": ("council", COUNCIL_MANAGE),
    "councils:term_edit": ("term", COUNCIL_MANAGE),
    "councils:organisation_list": ("council", COUNCIL_VIEW),
    "councils:organisation_create": ("council", COUNCIL_MANAGE),
    "councils:organisation_edit": ("organisation", COUNCIL_MANAGE),
    "councils:person_list": ("council", COUNCIL_INTERNAL),
    "councils:person_create": ("council", COUNCIL_MANAGE),
    "councils:person_detail": ("person", COUNCIL_INTERNAL),
    "councils:person_edit": ("person", COUNCIL_MANAGE),
    "councils:membership_list": ("council", COUNCIL_VIEW),
    "councils:membership_create": ("council", COUNCIL_MANAGE),
    "councils:membership_edit": ("membership", COUNCIL_MANAGE),
    "councils:membership_end": ("membership", COUNCIL_MANAGE),
    "councils:indicator_list": ("council", COUNCIL_VIEW),
    "councils:indicator_values_edit": ("council", COUNCIL_MANAGE),
    "councils:indicator_import": ("council", COUNCIL_MANAGE),
    "councils:indicator_import_template": ("council", COUNCIL_MANAGE),
    "councils:indicator_create": ("council", COUNCIL_MANAGE),
    "councils:indicator_edit": ("indicator", COUNCIL_MANAGE),
    "councils:indicator_delete": ("indicator", COUNCIL_MANAGE),
    "sessions:session_list": ("council", COUNCIL_VIEW),
    "sessions:session_create": ("council", COUNCIL_MANAGE),
    "sessions:session_detail": ("session", COUNCIL_VIEW),
    "sessions:session_edit": ("session", COUNCIL_MANAGE),
    "sessions:session_cancel": ("session", COUNCIL_MANAGE),
    "sessions:session_held": ("session", POST_MANAGE),
    "sessions:agenda_item_create": ("session", COUNCIL_MANAGE),
    "sessions:agenda_item_edit": ("item", COUNCIL_MANAGE),
    "sessions:agenda_item_delete": ("item", COUNCIL_MANAGE),
    "sessions:agenda_item_move": ("item", POST_MANAGE),
    "sessions:agenda_reorder": ("session", POST_MANAGE),
    "sessions:attachment_upload": ("item", COUNCIL_MANAGE),
    "sessions:attachment_delete": ("attachment_of_session", POST_MANAGE),
    "sessions:attachment_download": ("attachment", COUNCIL_INTERNAL),
    "sessions:invitation_send": ("session", COUNCIL_MANAGE),
    "sessions:invitation_detail": ("revision", COUNCIL_MANAGE),
    "sessions:invitation_pdf": ("revision", COUNCIL_INTERNAL),
    "sessions:delivery_detail": ("delivery", COUNCIL_MANAGE),
    "sessions:delivery_resend": ("delivery", POST_MANAGE),
    "sessions:attendance": ("session", COUNCIL_MANAGE),
    "sessions:attendance_remind": ("session", POST_MANAGE),
    "sessions:session_rsvp": ("session", POST_VIEW),
    "sessions:proposal_create": ("session", COUNCIL_INTERNAL),
    "sessions:proposal_list": ("council", COUNCIL_INTERNAL),
    "sessions:proposal_decide": ("proposal", COUNCIL_MANAGE),
    "rsvp": ("rsvp", PUBLIC),  # the personal link works without signing in
    "my_tasks": ("none", SIGNED_IN),
    "sessions:minutes": ("held", COUNCIL_INTERNAL),
    "sessions:minutes_start": ("held", POST_MANAGE),
    "sessions:minutes_edit": ("held", COUNCIL_MANAGE),
    "sessions:minutes_attendance": ("held", COUNCIL_MANAGE),
    "sessions:item_record": ("held_item", COUNCIL_MANAGE),
    "sessions:conclusion_create": ("held_item", COUNCIL_MANAGE),
    "sessions:conclusion_edit": ("conclusion", COUNCIL_MANAGE),
    "sessions:conclusion_delete": ("conclusion", COUNCIL_MANAGE),
    "sessions:task_create": ("conclusion", COUNCIL_MANAGE),
    "sessions:minutes_approve": ("held", COUNCIL_MANAGE),
    "sessions:minutes_publish": ("held", COUNCIL_MANAGE),
    "sessions:minutes_reopen": ("held", COUNCIL_MANAGE),
    "sessions:minutes_pdf": ("held", COUNCIL_INTERNAL),
    "sessions:minutes_version_pdf": ("version", COUNCIL_INTERNAL),
    "sessions:task_list": ("council", COUNCIL_INTERNAL),
    "sessions:task_export": ("council", COUNCIL_INTERNAL),
    "sessions:task_detail": ("task", COUNCIL_INTERNAL),
    "sessions:task_edit": ("task", COUNCIL_MANAGE),
}

# State-changing POSTs: who may make them (the change itself is tested in the apps).
POST_MATRIX = {
    "sessions:session_held": ("session", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:agenda_item_move": ("item", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:agenda_reorder": ("session", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:attachment_delete": (
        "attachment_of_session",
        {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404},
    ),
    "sessions:delivery_resend": ("delivery", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:attendance_remind": ("session", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:session_edit": ("session", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:invitation_send": ("session", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:proposal_decide": ("proposal", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "councils:membership_create": (
        "council",
        {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404},
    ),
    "councils:person_edit": ("person", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:minutes_start": ("held", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:conclusion_delete": (
        "conclusion",
        {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404},
    ),
    "sessions:minutes_approve": ("held", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:minutes_reopen": ("held", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:task_edit": ("task", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
    "sessions:task_detail": ("task", {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}),
}

# Django admin's own pages are for site administrators only and are covered by the
# "admin:index" row; its other patterns are not listed one by one.
SKIPPED_NAMESPACES = {"admin"}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def all_url_names() -> set[str]:
    names = set(_walk(get_resolver().url_patterns))
    return {n for n in names if n.split(":")[0] not in SKIPPED_NAMESPACES} | {"admin:index"}


def extra_rows() -> set[str]:
    """Rows kept beside an area's own tests: every ``tests/**/permission_rows.py``'s
    ``MATRIX_ROWS`` (each area's ``test_permissions.py`` runs them)."""
    import importlib
    from pathlib import Path

    here = Path(__file__).parent
    names: set[str] = set()
    for path in sorted(here.glob("*/permission_rows.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.permission_rows")
        names |= set(module.MATRIX_ROWS)
    return names


def test_every_url_pattern_has_a_matrix_row():
    rows = set(MATRIX) | extra_rows()
    missing = sorted(all_url_names() - rows)
    assert missing == [], f"URL patterns without a permission-matrix row: {missing}"
    stale = sorted(rows - all_url_names())
    assert stale == [], f"Matrix rows for URL patterns that no longer exist: {stale}"


@pytest.fixture
def world(council, other_council, secretary, member, mayors_office, other_secretary):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    from django.core.files.base import ContentFile

    council.logo.save("logo.png", ContentFile(buffer.getvalue()))
    organisation = OrganisationFactory(council=council)
    person = PersonFactory(council=council)
    membership = MembershipFactory(council=council, person=person, organisation=organisation)
    session, item, attachment, invitation, delivery, proposal, invitee = _session_world(
        council, person, organisation, secretary
    )
    held, held_item, conclusion, task, version = _minutes_world(council, person, secretary)
    return {
        "council": council,
        "held": held,
        "held_item": held_item,
        "conclusion": conclusion,
        "task": task,
        "version": version,
        "session": session,
        "item": item,
        "attachment": attachment,
        "invitation": invitation,
        "delivery": delivery,
        "proposal": proposal,
        "invitee": invitee,
        "term": council.terms.first(),
        "indicator": council.indicators.create(code="vandalism", name="Vandalism"),
        "organisation": organisation,
        "person": person,
        "membership": membership,
        "users": {
            MEMBER: member,
            SECRETARY: secretary,
            MAYOR: mayors_office,
            OTHER: other_secretary,
        },
    }


def _session_world(council, person, organisation, secretary):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from sessions import services
    from sessions.models import Delivery, Invitation, Invitee, Session

    with_next_term(council)
    session = services.session_create(
        council=council,
        by=secretary,
        data={
            "date": timezone.localdate() + datetime.timedelta(days=20),
            "start_time": datetime.time(17, 0),
            "place": "Sejna soba",
        },
    )
    item = services.agenda_item_create(session=session, by=secretary, data={"title": "Točka"})
    attachment = services.attachment_add(
        council=council,
        by=secretary,
        upload=SimpleUploadedFile("gradivo.pdf", b"%PDF-1.4\n%test\n", "application/pdf"),
        agenda_item=item,
    )
    invitee = Invitee.objects.create(
        session=session, person=person, name=person.full_name, email="clan@example.test"
    )
    invitation = Invitation.objects.create(
        session=session,
        revision=1,
        kind=Invitation.Kind.INVITATION,
        sequence=0,
        snapshot=services.invitation_snapshot(session=session),
        language="sl",
        pdf=b"%PDF-1.7 stored bytes",
        pdf_sha256="0" * 64,
    )
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CONVENED)
    session.refresh_from_db()
    delivery = Delivery.objects.create(
        council=council,
        session=session,
        invitation=invitation,
        invitee=invitee,
        purpose=Delivery.Purpose.INVITATION,
        key=f"inv:{invitation.pk}:{invitee.pk}",
        to_email=invitee.email,
        status=Delivery.Status.SENT,
    )
    proposal = services.proposal_submit(
        session=session,
        by=secretary,
        proposer=person,
        data={"title": "Predlog", "rationale": "Ker."},
    )
    return session, item, attachment, invitation, delivery, proposal, invitee


def _minutes_world(council, person, secretary):
    import datetime
    import hashlib

    from django.utils import timezone

    from sessions import services
    from sessions.models import AgendaItem, MinutesVersion, Session

    held = Session.objects.create(
        council=council,
        number=1,
        date=timezone.localdate() - datetime.timedelta(days=30),
        start_time=datetime.time(13, 0),
        place="Sejna soba",
        status=Session.Status.HELD,
    )
    held_item = AgendaItem.objects.create(session=held, position=1, title="Točka")
    minutes = services.minutes_start(session=held, by=secretary)
    conclusion = services.conclusion_add(
        minutes=minutes, by=secretary, agenda_item=held_item, text="Sklep"
    )
    task = services.task_create(
        conclusion=conclusion, by=secretary, data={"title": "Naloga", "responsible_person": person}
    )
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        snapshot={},
        pdf=b"%PDF-1.7 approved",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 approved").hexdigest(),
        approved_on=timezone.localdate(),
    )
    return held, held_item, conclusion, task, version


def build_kwargs(kind: str, world: dict) -> dict:
    council = world["council"]
    if kind == "none":
        return {}
    if kind == "reset":
        return {"uidb64": "MQ", "token": "invalid-token"}
    if kind == "rsvp":
        from sessions.tokens import rsvp_token

        return {"token": rsvp_token(world["invitee"])}
    if kind == "council":
        return {"council_slug": council.slug}
    session_pk = world["session"].pk
    held_pk = world["held"].pk
    if kind == "held_item":
        return {"council_slug": council.slug, "pk": held_pk, "item_pk": world["held_item"].pk}
    if kind == "conclusion":
        return {
            "council_slug": council.slug,
            "pk": held_pk,
            "conclusion_pk": world["conclusion"].pk,
        }
    if kind == "version":
        return {"council_slug": council.slug, "pk": held_pk, "version": 1}
    if kind == "item":
        return {"council_slug": council.slug, "pk": session_pk, "item_pk": world["item"].pk}
    if kind == "attachment_of_session":
        return {
            "council_slug": council.slug,
            "pk": session_pk,
            "attachment_pk": world["attachment"].pk,
        }
    if kind == "revision":
        return {"council_slug": council.slug, "pk": session_pk, "revision": 1}
    if kind == "delivery":
        return {
            "council_slug": council.slug,
            "pk": session_pk,
            "delivery_pk": world["delivery"].pk,
        }
    return {"council_slug": council.slug, "pk": world[kind].pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(client, world, url_name, visitor):
    kind, expected = MATRIX[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])
    url = reverse(url_name, kwargs=build_kwargs(kind, world))
    response = client.get(url)
    assert response.status_code == expected[visitor], (url, visitor)
    if visitor == ANON and expected[ANON] == LOGIN and url_name.startswith("councils:"):
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("visitor", [ANON, MEMBER, MAYOR, OTHER])
@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_post_permission_matrix(client, world, url_name, visitor):
    """Those who may not change a council's data cannot, whatever they post."""
    kind, expected = POST_MATRIX[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])
    url = reverse(url_name, kwargs=build_kwargs(kind, world))
    response = client.post(url, {"direction": "up", "order": "", "reason": "x"})
    assert response.status_code == expected[visitor], (url, visitor)


def test_anonymous_gets_the_same_answer_for_existing_and_missing_councils(client, council):
    existing = client.get(reverse("councils:council_detail", kwargs={"council_slug": "ptuj"}))
    missing = client.get(reverse("councils:council_detail", kwargs={"council_slug": "nowhere"}))
    assert existing.status_code == missing.status_code == 302


@pytest.mark.parametrize(
    "url_name",
    [
        "councils:person_detail",
        "councils:person_edit",
        "councils:organisation_edit",
        "councils:membership_edit",
        "councils:membership_end",
        "councils:term_edit",
    ],
)
def test_tenant_records_of_another_council_are_404(
    client, council, other_council, secretary, url_name
):
    """The secretary of one council asks for another council's record under its own slug."""
    organisation = OrganisationFactory(council=other_council)
    person = PersonFactory(council=other_council, email="leak@example.test")
    membership = MembershipFactory(council=other_council, person=person, organisation=organisation)
    from .factories import TermFactory

    term = TermFactory(council=other_council)
    pk = {
        "councils:person_detail": person.pk,
        "councils:person_edit": person.pk,
        "councils:organisation_edit": organisation.pk,
        "councils:membership_edit": membership.pk,
        "councils:membership_end": membership.pk,
        "councils:term_edit": term.pk,
    }[url_name]
    client.force_login(secretary)
    response = client.get(reverse(url_name, kwargs={"council_slug": council.slug, "pk": pk}))
    assert response.status_code == 404


def test_lists_show_only_the_councils_own_records(client, council, other_council, secretary):
    PersonFactory(council=other_council, first_name="Tuji", last_name="Človek")
    OrganisationFactory(council=other_council, name="Tuja organizacija")
    client.force_login(secretary)
    slug = {"council_slug": council.slug}
    for name in ("councils:person_list", "councils:organisation_list", "councils:membership_list"):
        content = client.get(reverse(name, kwargs=slug)).content.decode()
        assert "Tuji" not in content
        assert "Tuja organizacija" not in content


def test_secretary_of_two_councils_sees_both(client, council, other_council):
    user = UserFactory(username="dual")
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.SECRETARY)
    CouncilRoleFactory(council=other_council, user=user, role=CouncilRole.Role.MAYORS_OFFICE)
    client.force_login(user)
    for c in (council, other_council):
        assert client.get(c.get_absolute_url()).status_code == 200
