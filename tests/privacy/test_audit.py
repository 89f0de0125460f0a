"""The audit log: what is recorded (by the services, in their transaction), and who reads it."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from councils import services as council_services
from councils.models import AuditEvent, CouncilRole, Membership
from reports import services as report_services
from reports.models import AnnualReport
from sessions import services as session_services
from sessions.models import AgendaItem, Session

from ..factories import MembershipFactory, PersonFactory, UserFactory
from .conftest import _upcoming

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def events(action=None):
    qs = AuditEvent.objects.order_by("pk")
    return list(qs.filter(action=action) if action else qs)


# --- Sign-ins -----------------------------------------------------------------------


def test_sign_in_is_recorded_with_the_address(client):
    user = UserFactory(username="tajnica")

    response = client.post(
        reverse("login"),
        {"username": "tajnica", "password": "pass-word-123"},
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 302
    (event,) = events(Action.SIGN_IN)
    assert (event.user, event.actor, event.ip_address, event.council) == (
        user,
        "tajnica",
        "192.0.2.7",
        None,
    )


def test_failed_sign_ins_are_recorded_for_known_and_unknown_names(client):
    user = UserFactory(username="tajnica")

    client.post(
        reverse("login"), {"username": "tajnica", "password": "wrong"}, REMOTE_ADDR="192.0.2.8"
    )
    client.post(
        reverse("login"), {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="192.0.2.9"
    )

    failed = events(Action.SIGN_IN_FAILED)
    assert [(e.user, e.actor, e.ip_address) for e in failed] == [
        (user, "tajnica", "192.0.2.8"),
        (None, "nobody", "192.0.2.9"),
    ]
    assert events(Action.SIGN_IN) == []


def test_failed_sign_ins_are_recorded_while_django_axes_throttles(client, settings):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="tajnica")

    statuses = [
        client.post(reverse("login"), {"username": "tajnica", "password": "wrong"}).status_code
        for _ in range(3)
    ]

    assert statuses[-1] == 429  # locked
    assert len(events(Action.SIGN_IN_FAILED)) >= 2


# --- Role changes ---------------------------------------------------------------------


def test_access_roles_granted_changed_and_revoked_are_recorded(council, secretary):
    user = UserFactory(username="nova")

    role = council_services.council_role_create(
        council=council, by=secretary, user=user, role=CouncilRole.Role.MEMBER
    )
    council_services.council_role_update(council_role=role, by=secretary, role="chair")
    council_services.council_role_update(council_role=role, by=secretary, role="chair")
    council_services.council_role_delete(council_role=role, by=secretary)

    recorded = [(e.action, e.details.get("role"), e.details.get("previous")) for e in events()]
    assert recorded == [
        (Action.ROLE_GRANTED, "member", None),
        (Action.ROLE_CHANGED, "chair", "member"),
        (Action.ROLE_REVOKED, "chair", None),
    ]
    assert {e.council for e in events()} == {council}
    assert {e.user for e in events()} == {secretary}
    assert {e.details["user"] for e in events()} == {"nova"}
    assert not CouncilRole.objects.filter(user=user).exists()


def test_roles_granted_in_django_admin_are_recorded(client, council):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="nova")
    client.force_login(admin)
    AuditEvent.objects.all().delete()  # the sign-in

    add = client.post(
        reverse("admin:councils_councilrole_add"),
        {"council": council.pk, "user": user.pk, "role": "secretary"},
    )
    role = CouncilRole.objects.get(user=user)
    change = client.post(
        reverse("admin:councils_councilrole_change", args=[role.pk]),
        {"council": council.pk, "user": user.pk, "role": "mayors_office"},
    )
    delete = client.post(
        reverse("admin:councils_councilrole_delete", args=[role.pk]), {"post": "yes"}
    )

    assert [add.status_code, change.status_code, delete.status_code] == [302, 302, 302]
    assert [(e.action, e.actor) for e in events()] == [
        (Action.ROLE_GRANTED, "root"),
        (Action.ROLE_CHANGED, "root"),
        (Action.ROLE_REVOKED, "root"),
    ]


def test_roles_in_the_council_inline_of_django_admin_are_recorded(client, council):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="nova")
    client.force_login(admin)
    AuditEvent.objects.all().delete()
    url = reverse("admin:councils_council_change", args=[council.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("logo", "municipalities")
    }
    term = council.terms.order_by("start_date").first()
    data.update(
        {
            "terms-TOTAL_FORMS": 1,
            "terms-INITIAL_FORMS": 1,
            "terms-0-id": term.pk,
            "terms-0-council": council.pk,
            "terms-0-start_date": term.start_date.isoformat(),
            "terms-0-end_date": term.end_date.isoformat(),
            "roles-TOTAL_FORMS": 1,
            "roles-INITIAL_FORMS": 0,
            "roles-0-user": user.pk,
            "roles-0-role": "chair",
            "roles-0-council": council.pk,
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    (event,) = events()
    assert (event.action, event.council, event.details["role"]) == (
        Action.ROLE_GRANTED,
        council,
        "chair",
    )


def test_membership_roles_are_recorded_when_set_or_changed(council, secretary):
    person = PersonFactory(council=council)

    membership = council_services.membership_create(
        council=council,
        by=secretary,
        person=person,
        role=Membership.Role.MEMBER,
        kind=Membership.Kind.STANDING,
        start_date=datetime.date(2023, 1, 1),
    )
    council_services.membership_update(membership=membership, by=secretary, note="brez spremembe")
    council_services.membership_update(membership=membership, by=secretary, role="deputy_chair")
    council_services.membership_end(
        membership=membership, by=secretary, end_date=datetime.date(2024, 1, 1)
    )

    assert [(e.action, e.details.get("role"), e.details.get("previous")) for e in events()] == [
        (Action.MEMBERSHIP_ROLE, "member", None),
        (Action.MEMBERSHIP_ROLE, "deputy_chair", "member"),
        (Action.MEMBERSHIP_ENDED, None, None),
    ]
    assert events()[0].object_id == str(membership.pk)


# --- Invitations, minutes, reports ---------------------------------------------------------


def test_invitation_sent_is_recorded_with_the_revision_and_recipients(council, secretary):
    session = _upcoming(council, secretary)
    members = [
        MembershipFactory(council=council, person=PersonFactory(council=council)) for _ in range(2)
    ]

    session_services.invitation_send(session=session, by=secretary, memberships=members)

    (event,) = events(Action.INVITATION_SENT)
    assert event.details == {"revision": 1, "kind": "invitation", "recipients": 2}
    assert (event.council, event.user, event.object_id) == (council, secretary, str(session.pk))


def test_a_refused_invitation_records_nothing(council, secretary):
    session = _upcoming(council, secretary)
    with pytest.raises(ValidationError):
        session_services.invitation_send(session=session, by=secretary, memberships=[])
    assert events(Action.INVITATION_SENT) == []


def _held(council, number, days_ago):
    session = Session.objects.create(
        council=council,
        number=number,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        start_time=datetime.time(13, 0),
        status=Session.Status.HELD,
    )
    AgendaItem.objects.create(session=session, position=1, title="Točka")
    return session


def test_minutes_approved_is_recorded(council, secretary):
    held, following = _held(council, 1, 60), _held(council, 2, 20)
    chair = PersonFactory(council=council)
    minutes = session_services.minutes_start(session=held, by=secretary)
    session_services.minutes_update(
        minutes=minutes, by=secretary, data={"chair": chair, "recorder": chair}
    )

    session_services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=following, approved_on=following.date
    )

    (event,) = events(Action.MINUTES_APPROVED)
    version = minutes.versions.get()
    assert event.details["version"] == 1
    assert event.details["sha256"] == version.pdf_sha256 == hashlib.sha256(version.pdf).hexdigest()
    assert event.council == council


def test_reports_adopted_and_published_are_recorded(council, secretary):
    session = _held(council, 2, 20)
    report = AnnualReport.objects.create(
        council=council,
        year=2024,
        intro_text="Uvod",
        conclusion_text="Zaključek",
        chair_name="Nuša Pečnik",
    )

    revision = report_services.report_adopt(
        report=report, by=secretary, adopted_on=session.date, adopted_at_session=session
    )
    report_services.report_publish(report=report, by=secretary)

    adopted, published = events(Action.REPORT_ADOPTED), events(Action.REPORT_PUBLISHED)
    assert [e.details for e in adopted] == [
        {"year": 2024, "revision": 1, "sha256": revision.sha256}
    ]
    assert [e.details for e in published] == [{"year": 2024, "revision": 1}]


# --- The log itself -------------------------------------------------------------------------


def test_events_are_never_changed_or_deleted(council):
    event = AuditEvent.objects.create(action=Action.REPORT_PUBLISHED, council=council)
    event.object_repr = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == ""


def test_django_admin_shows_the_log_read_only(client, council):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = AuditEvent.objects.create(action=Action.REPORT_PUBLISHED, council=council)

    changelist = client.get(reverse("admin:councils_auditevent_changelist"))
    detail = client.get(reverse("admin:councils_auditevent_change", args=[event.pk]))
    add = client.get(reverse("admin:councils_auditevent_add"))
    delete = client.get(reverse("admin:councils_auditevent_delete", args=[event.pk]))
    post = client.post(
        reverse("admin:councils_auditevent_change", args=[event.pk]), {"object_repr": "x"}
    )

    assert changelist.status_code == detail.status_code == 200
    assert add.status_code == delete.status_code == post.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).object_repr == ""


# --- The council's audit page ---------------------------------------------------------------


def test_the_secretary_reads_the_councils_events_and_its_logins_sign_ins(
    client, council, other_council, secretary, member, other_secretary
):
    AuditEvent.objects.create(action=Action.INVITATION_SENT, council=council, object_repr="Naša")
    AuditEvent.objects.create(
        action=Action.INVITATION_SENT, council=other_council, object_repr="Tuja"
    )
    AuditEvent.objects.create(action=Action.SIGN_IN, user=member, actor="clan")
    AuditEvent.objects.create(action=Action.SIGN_IN, user=other_secretary, actor="tajnik-drugje")
    AuditEvent.objects.create(action=Action.SIGN_IN_FAILED, actor="neznanec")
    client.force_login(secretary)

    response = client.get(reverse("councils:audit_list", kwargs={"council_slug": council.slug}))

    shown = list(response.context["events"])
    assert [
        e.object_repr or e.actor for e in shown if e.action != Action.SIGN_IN or e.user != secretary
    ] == [
        "clan",
        "Naša",
    ]
    text = response.content.decode()
    assert "Tuja" not in text and "tajnik-drugje" not in text and "neznanec" not in text


def test_the_audit_page_filters_by_action_and_period(client, council, secretary):
    old = AuditEvent.objects.create(
        action=Action.MINUTES_APPROVED,
        council=council,
        created=timezone.now() - datetime.timedelta(days=40),
    )
    recent = AuditEvent.objects.create(action=Action.MINUTES_APPROVED, council=council)
    AuditEvent.objects.create(action=Action.REPORT_ADOPTED, council=council)
    client.force_login(secretary)
    url = reverse("councils:audit_list", kwargs={"council_slug": council.slug})
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    by_action = client.get(url, {"action": "minutes_approved"}).context["events"]
    by_both = client.get(url, {"action": "minutes_approved", "date_from": since}).context["events"]
    until = client.get(
        url, {"date_to": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()}
    ).context["events"]

    assert list(by_action) == [recent, old]
    assert list(by_both) == [recent]
    assert list(until) == [old]


def test_a_reversed_period_is_explained_next_to_the_field(client, council, secretary):
    client.force_login(secretary)
    response = client.get(
        reverse("councils:audit_list", kwargs={"council_slug": council.slug}),
        {"date_from": "2025-05-01", "date_to": "2025-04-01"},
    )
    with translation.override("sl"):
        expected = translation.gettext("The end of the period cannot be before its start.")
    assert response.status_code == 200
    assert response.context["filter_form"].errors["date_to"] == [expected]


def test_the_audit_page_is_paginated(client, council, secretary):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=Action.INVITATION_SENT, council=council) for _ in range(55)]
    )
    client.force_login(secretary)
    url = reverse("councils:audit_list", kwargs={"council_slug": council.slug})
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert len(first.context["events"]) == 50
    assert len(second.context["events"]) >= 5


@pytest.mark.parametrize("item_count", [1, 3])
def test_audit_page_query_count_is_constant(
    client, django_assert_num_queries, council, secretary, member, item_count
):
    for number in range(item_count):
        AuditEvent.objects.create(action=Action.SIGN_IN, user=member, actor="clan")
        AuditEvent.objects.create(
            action=Action.REPORT_PUBLISHED, council=council, object_repr=f"Poročilo {number}"
        )
    client.force_login(secretary)
    url = reverse("councils:audit_list", kwargs={"council_slug": council.slug})
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


def test_the_installations_log_shows_every_council_and_filters_by_council(
    client, council, other_council
):
    AuditEvent.objects.create(action=Action.INVITATION_SENT, council=council, object_repr="A")
    AuditEvent.objects.create(action=Action.INVITATION_SENT, council=other_council, object_repr="B")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    everything = client.get(reverse("audit_site")).context["events"]
    only = client.get(reverse("audit_site"), {"council": other_council.pk}).context["events"]

    assert {e.object_repr for e in everything if e.council} == {"A", "B"}
    assert [e.object_repr for e in only] == ["B"]


def test_role_changes_are_described_in_words(council):
    event = AuditEvent.objects.create(
        action=Action.ROLE_CHANGED,
        council=council,
        details={"role_label": "Chair", "previous_label": "Member", "user": "nova"},
    )
    with translation.override("en"):
        assert event.description == "nova: Member → Chair"


@pytest.mark.parametrize("item_count", [1, 3])
def test_site_audit_page_query_count_is_constant(
    client, django_assert_num_queries, council, other_council, item_count
):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    for number in range(item_count):
        AuditEvent.objects.create(action=Action.SIGN_IN, user=root, actor="root")
        for c in (council, other_council):
            AuditEvent.objects.create(
                action=Action.REPORT_PUBLISHED, council=c, object_repr=f"Poročilo {number}"
            )
    client.force_login(root)
    with django_assert_num_queries(5):
        response = client.get(reverse("audit_site"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2025-13-45", "date_to": "x" * 5000},
        {"action": "<script>alert(1)</script>", "page": "-1"},
        {"page": "99999999999999999999", "council": "abc"},
        {"date_from": "\x00\x01", "action": "sign_in\n"},
    ],
)
def test_hostile_filters_never_break_the_audit_pages(client, council, secretary, query):
    AuditEvent.objects.create(action=Action.REPORT_PUBLISHED, council=council)
    client.force_login(secretary)
    council_page = client.get(
        reverse("councils:audit_list", kwargs={"council_slug": council.slug}), query
    )
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    site_page = client.get(reverse("audit_site"), query)
    assert council_page.status_code == site_page.status_code == 200
    assert "<script>alert(1)</script>" not in council_page.content.decode()
