"""Every form of the project, fed random and hostile input through its real view.

Each case POSTs (or, for filters and searches, GETs) to a real URL as the user who may
use it — the secretary, a member, or an anonymous visitor for the public forms — with
the fields of the form as the page renders it, plus the fields of the form class, each
one missing or filled with very long text, control characters and NUL, HTML and script,
impossible dates, huge and negative numbers, unicode edge cases, wrong choices, lists
instead of values and hostile uploads. Every answer must be below 500, and input the
application refused (an error status, a form shown again with errors, a button that
redirects with an error message) must have changed nothing in any table (history
included). Accepted input must leave pages that still open.

Two guards keep the list complete: a form class or a view taking input that no case
covers fails ``test_every_form_class_is_fuzzed`` / ``test_every_view_taking_input_is_fuzzed``.

Examples per case: ``FUZZ_EXAMPLES`` (default 6); the hypothesis profile (tests/conftest.py)
makes CI derandomized, and a failure prints the example and a ``@reproduce_failure`` blob.
Run it against PostgreSQL too (NUL bytes reach it only there), with a database of your own:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/sosvet_x TEST_DATABASE_NAME=test_x``.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck, given, settings

from councils import forms as council_forms
from councils import privacy_forms
from councils.models import CouncilRole
from reports import forms as report_forms
from sessions import forms as session_forms
from sessions.models import Invitee
from sosvet import forms as site_forms
from sosvet.security import forms as security_forms
from sosvet.security import services as security_services

from ..factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    TermFactory,
    UserFactory,
)
from ..test_permissions import build_kwargs
from . import fuzz
from .helpers import enrol

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

ANON, SECRETARY, MEMBER, SITE_ADMIN = "anonymous", "secretary", "member", "site_admin"
TWO_FACTOR_VERIFIED, TWO_FACTOR_UNVERIFIED, TWO_FACTOR_PENDING = (
    "two_factor_verified",
    "two_factor_unverified",
    "two_factor_pending",
)
OTP_TABLES = ("otp_totp_totpdevice", "otp_static_staticdevice")


@dataclass(frozen=True)
class Case:
    url: str  # URL name
    target: str = "council"  # what the URL points at (tests/test_permissions.build_kwargs)
    user: str = SECRETARY
    forms: tuple = ()  # the form classes the view validates
    method: str = "post"
    page: tuple[str, str] | None = None  # (URL name, target) of the page with the form
    fields: tuple[str, ...] = ()  # field names posted besides the page's and the forms'
    volatile: tuple[str, ...] = ()  # tables that may change even when input is refused
    follow_page: bool = False  # GET the page first in the same session (a set-up step)


C, P, S, R = council_forms, privacy_forms, session_forms, report_forms

CASES: dict[str, Case] = {
    case.url + ("" if case.method == "post" else "?"): case
    for case in [
        # --- councils ---
        Case("councils:council_edit", forms=(C.CouncilProfileForm,)),
        Case("councils:term_create", forms=(C.TermForm,)),
        Case("councils:term_edit", "term", forms=(C.TermForm,)),
        Case("councils:organisation_create", forms=(C.OrganisationForm,)),
        Case("councils:organisation_edit", "organisation", forms=(C.OrganisationForm,)),
        Case("councils:person_create", forms=(C.PersonForm,), fields=("then", "kind")),
        Case("councils:person_create", method="get", fields=("then", "kind")),
        Case("councils:person_edit", "person", forms=(C.PersonForm,)),
        Case("councils:person_edit", "person", method="get", fields=("then", "kind")),
        Case("councils:person_list", method="get", fields=("q",)),
        Case(
            "councils:membership_list",
            method="get",
            forms=(C.MembershipFilterForm,),
            fields=("page",),
        ),
        Case("councils:membership_create", forms=(C.MembershipForm,)),
        Case("councils:membership_create", method="get", fields=("person", "kind")),
        Case("councils:membership_edit", "membership", forms=(C.MembershipForm,)),
        Case("councils:membership_edit", "membership", method="get", fields=("person", "kind")),
        Case("councils:membership_end", "membership", forms=(C.MembershipEndForm,)),
        Case("councils:indicator_list", method="get", fields=("year",)),
        Case("councils:indicator_values_edit", forms=(C.IndicatorValuesForm,)),
        Case("councils:indicator_values_edit", method="get", fields=("year",)),
        Case("councils:indicator_import", forms=(C.IndicatorImportForm,)),
        Case("councils:indicator_import_template", method="get", fields=("year",)),
        Case("councils:indicator_create", forms=(C.IndicatorForm,)),
        Case("councils:indicator_edit", "indicator", forms=(C.IndicatorForm,)),
        Case("councils:indicator_delete", "indicator", forms=(C.IndicatorDeleteForm,)),
        # --- privacy and audit ---
        Case("councils:audit_list", method="get", forms=(P.AuditFilterForm,), fields=("page",)),
        Case(
            "audit_site",
            "none",
            user=SITE_ADMIN,
            method="get",
            forms=(P.AuditFilterForm,),
            fields=("council", "page"),
        ),
        Case("councils:person_export", "person"),
        Case("councils:person_erase", "person", forms=(P.PersonEraseForm,)),
        # --- public pages ---
        Case("public:index", "none", user=ANON, method="get", fields=("q", "page")),
        Case("public:council", user=ANON, method="get", fields=("page",)),
        # --- sessions ---
        Case("sessions:session_list", method="get", fields=("year",)),
        Case("sessions:session_create", forms=(S.SessionForm,)),
        Case("sessions:session_edit", "session", forms=(S.SessionForm,)),
        Case("sessions:session_cancel", "session", forms=(S.CancelForm,)),
        Case("sessions:session_held", "session"),
        Case("sessions:agenda_item_create", "session", forms=(S.AgendaItemForm,)),
        Case("sessions:agenda_item_edit", "item", forms=(S.AgendaItemForm,)),
        Case("sessions:agenda_item_delete", "item"),
        Case("sessions:agenda_item_move", "item", fields=("direction",)),
        Case("sessions:agenda_reorder", "session", fields=("order",)),
        Case("sessions:attachment_upload", "item", forms=(S.AttachmentForm,)),
        Case("sessions:attachment_delete", "attachment_of_session"),
        Case("sessions:invitation_send", "session", forms=(S.InvitationForm,)),
        Case("sessions:delivery_resend", "delivery"),
        Case("sessions:attendance_remind", "session"),
        Case(
            "sessions:session_rsvp",
            "session",
            user=MEMBER,
            forms=(S.RSVPForm,),
            page=("sessions:session_detail", "session"),
        ),
        Case("sessions:proposal_create", "session", forms=(S.ProposalForm,)),
        Case("sessions:proposal_decide", "proposal", forms=(S.ProposalDecisionForm,)),
        Case("sessions:minutes_start", "held"),
        Case("sessions:minutes_edit", "held", forms=(S.MinutesForm,)),
        Case("sessions:minutes_attendance", "held", forms=(S.AttendanceRecordForm,)),
        Case("sessions:item_record", "held_item", forms=(S.ItemRecordForm,)),
        Case(
            "sessions:conclusion_create",
            "held_item",
            forms=(S.ConclusionForm,),
            page=("sessions:item_record", "held_item"),
        ),
        Case("sessions:conclusion_edit", "conclusion", forms=(S.ConclusionEditForm,)),
        Case("sessions:conclusion_delete", "conclusion"),
        Case("sessions:task_create", "conclusion", forms=(S.TaskForm,)),
        Case("sessions:minutes_approve", "held", forms=(S.MinutesApproveForm,)),
        Case("sessions:minutes_publish", "held"),
        Case("sessions:minutes_reopen", "held", forms=(S.ReopenForm,)),
        Case("sessions:task_list", method="get", forms=(S.TaskFilterForm,)),
        # The CSV download of the same filters (no page to render the form on).
        Case("sessions:task_export", method="get", fields=tuple(S.TaskFilterForm.base_fields)),
        Case("sessions:task_detail", "task", forms=(S.TaskProgressForm,)),
        Case("sessions:task_edit", "task", forms=(S.TaskForm,)),
        Case("rsvp", "rsvp", user=ANON, forms=(S.RSVPForm,)),
        Case("rsvp", "rsvp", user=ANON, method="get", fields=("answer",)),
        # --- reports ---
        Case("reports:report_create", forms=(R.ReportCreateForm,)),
        Case(
            "reports:report_edit",
            "draft",
            forms=(
                R.ReportTextsForm,
                R.PlannedSessionForm,
                R.PlannedTopicForm,
                R.BasePlanFormSet,
                R.BasePlannedSessionFormSet,
                R.BasePlannedTopicFormSet,
            ),
        ),
        Case("reports:report_adopt", "draft", forms=(R.ReportAdoptForm,)),
        Case("reports:report_publish", "adopted"),
        Case("reports:report_reopen", "adopted", forms=(R.ReportReopenForm,)),
        Case("reports:plan_sessions_create", "draft"),
        # --- signing in and the account ---
        Case("login", "none", user=ANON, fields=("username", "password", "next")),
        Case("login", "none", user=ANON, method="get", fields=("next",)),
        Case("password_reset", "none", user=ANON, forms=(site_forms.QueuedPasswordResetForm,)),
        Case(
            "password_reset_confirm",
            "reset_valid",
            user=ANON,
            forms=(SetPasswordForm,),
            follow_page=True,
        ),
        Case("password_change", "none", forms=(PasswordChangeForm,)),
        Case("two_factor_setup", "none", page=("two_factor", "none")),
        Case(
            "two_factor_confirm",
            "none",
            user=TWO_FACTOR_PENDING,
            forms=(security_forms.EnableForm, security_forms.CodeForm),
            page=("two_factor", "none"),
            volatile=OTP_TABLES,
        ),
        Case(
            "two_factor_disable",
            "none",
            user=TWO_FACTOR_VERIFIED,
            forms=(security_forms.DisableForm,),
            page=("two_factor", "none"),
            volatile=OTP_TABLES,
        ),
        Case(
            "two_factor_backup_codes",
            "none",
            user=TWO_FACTOR_VERIFIED,
            page=("two_factor", "none"),
        ),
        Case(
            "two_factor_verify",
            "none",
            user=TWO_FACTOR_UNVERIFIED,
            forms=(security_forms.CodeForm,),
            fields=("next",),
            volatile=OTP_TABLES,
        ),
        Case(
            "two_factor_verify", "none", user=TWO_FACTOR_UNVERIFIED, method="get", fields=("next",)
        ),
    ]
}

# Views that take input but need no fuzzing here, and why.
EXEMPT_VIEWS = {
    "logout": "takes no input (POST only signs out)",
    "set_language": "Django's own view; an unknown language code is ignored",
}
# Form classes that no view of this project renders.
EXEMPT_FORMS: dict[type, str] = {}


# --- the world ----------------------------------------------------------------------


def build_world() -> dict:
    """The permission matrix's world (tests/test_permissions.py), plus reports, an
    invitation for the member, a site administrator and the logins of the two-factor
    pages. Built once per module: every fuzz example runs in a savepoint rolled back."""
    from reports.models import AnnualReport, ReportRevision

    from ..reports.conftest import held_session
    from ..test_permissions import _minutes_world, _session_world

    council = CouncilFactory(name="Varnostni sosvet Mestne občine Ptuj", slug="ptuj")
    council.is_published = True
    council.save()
    TermFactory(council=council)
    council.municipalities.add(
        MunicipalityFactory(name="Ptuj"), MunicipalityFactory(name="Hajdina")
    )
    other = CouncilFactory(name="Varnostni sosvet Drugje", slug="drugje")
    secretary = UserFactory(username="tajnik")
    CouncilRoleFactory(council=council, user=secretary, role=CouncilRole.Role.SECRETARY)
    member = UserFactory(username="clan")
    member_person = PersonFactory(council=council, user=member, first_name="Simona")
    MembershipFactory(council=council, person=member_person)
    CouncilRoleFactory(
        council=other, user=UserFactory(username="tajnik-drugje"), role=CouncilRole.Role.SECRETARY
    )
    organisation = OrganisationFactory(council=council)
    person = PersonFactory(council=council)
    membership = MembershipFactory(council=council, person=person, organisation=organisation)
    session, item, attachment, invitation, delivery, proposal, invitee = _session_world(
        council, person, organisation, secretary
    )
    held, held_item, conclusion, task, version = _minutes_world(council, person, secretary)
    Invitee.objects.create(
        session=session, person=member_person, name=member_person.full_name, email="c@x.test"
    )
    adopting = held_session(council, datetime.date(2024, 3, 19), 7, ["Poročilo"])
    adopted = AnnualReport.objects.create(
        council=council,
        year=2023,
        status=AnnualReport.Status.ADOPTED,
        intro_text="Uvod",
        adopted_on=adopting.date,
        adopted_at_session=adopting,
    )
    ReportRevision.objects.create(
        report=adopted,
        number=1,
        pdf=b"%PDF-1.7 stored",
        sha256="0" * 64,
        size=15,
        snapshot={},
        language="sl",
        adopted_on=adopting.date,
        adopted_at_session=adopting,
    )
    verified = UserFactory(username="z-kodo")
    unverified = UserFactory(username="brez-kode")
    pending = UserFactory(username="na-pol")
    world = {
        "council": council,
        "session": session,
        "item": item,
        "attachment": attachment,
        "invitation": invitation,
        "delivery": delivery,
        "proposal": proposal,
        "invitee": invitee,
        "held": held,
        "held_item": held_item,
        "conclusion": conclusion,
        "task": task,
        "version": version,
        "term": council.terms.first(),
        "indicator": council.indicators.create(code="vandalism", name="Vandalism"),
        "organisation": organisation,
        "person": person,
        "membership": membership,
        "adopted": adopted,
        "draft": AnnualReport.objects.create(council=council, year=2024, intro_text="Uvod"),
        "reset_user": UserFactory(username="pozabljivec", email="pozabljivec@example.test"),
        "devices": {TWO_FACTOR_VERIFIED: enrol(verified)[0]},
        "users": {
            SECRETARY: secretary,
            MEMBER: member,
            SITE_ADMIN: UserFactory(username="skrbnica", is_staff=True, is_superuser=True),
            TWO_FACTOR_VERIFIED: verified,
            TWO_FACTOR_UNVERIFIED: unverified,
            TWO_FACTOR_PENDING: pending,
        },
    }
    enrol(unverified)
    security_services.totp_device_start(user=pending)
    return world


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def case_url(case: Case, world: dict, *, name=None, target=None) -> str:
    name = name or case.url
    target = target or case.target
    if target == "reset_valid":
        user = world["reset_user"]
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
    elif target in ("draft", "adopted"):
        kwargs = {"council_slug": world["council"].slug, "year": world[target].year}
    else:
        kwargs = build_kwargs(target, world)
    return reverse(name, kwargs=kwargs)


def signed_in_client(case: Case, world: dict) -> Client:
    client = Client()
    if case.user != ANON:
        client.force_login(world["users"][case.user])
    if case.user == TWO_FACTOR_VERIFIED:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = world["devices"][TWO_FACTOR_VERIFIED].persistent_id
        session.save()
    return client


def target_url(case: Case, world: dict, client: Client) -> str:
    url = case_url(case, world)
    if case.follow_page:
        # e.g. the password-reset link, which moves the token into the session first
        response = client.get(url, follow=True)
        url = response.redirect_chain[-1][0] if response.redirect_chain else url
    return url


def discover_fields(case: Case, world: dict) -> dict:
    client = signed_in_client(case, world)
    url = target_url(case, world, client)
    page_url = case_url(case, world, name=case.page[0], target=case.page[1]) if case.page else url
    response = client.get(page_url)
    fields = {}
    if response.status_code == 200:
        fields = fuzz.page_fields(
            response.content.decode(),
            page_path=page_url.split("?")[0],
            target_path=url.split("?")[0],
            method=case.method,
        )
    for form_class in case.forms:
        for name in getattr(form_class, "base_fields", {}):
            fields.setdefault(name, fuzz.PageField(name=name))
    for name in case.fields:
        fields.setdefault(name, fuzz.PageField(name=name))
    return fields


# --- the guards -----------------------------------------------------------------------


def test_every_form_class_is_fuzzed():
    covered = {form for case in CASES.values() for form in case.forms} | set(EXEMPT_FORMS)
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in fuzz.discover_form_classes()
        if cls not in covered
    )
    assert missing == [], f"Form classes no fuzz case covers (add a Case): {missing}"


def test_every_view_taking_input_is_fuzzed():
    """A view that reads the query string needs a GET case; one that takes a POST (or
    has a form class) a POST case."""
    fuzzed = {(case.url, case.method) for case in CASES.values()}
    missing = []
    for url, takes in sorted(fuzz.views_taking_input().items()):
        if url in EXEMPT_VIEWS:
            continue
        if "query" in takes and (url, "get") not in fuzzed:
            missing.append(f"GET {url}")
        if takes & {"post", "form"} and (url, "post") not in fuzzed:
            missing.append(f"POST {url}")
    assert missing == [], f"Views taking input that no fuzz case covers: {missing}"


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.forms))
def test_cases_reach_their_forms(fuzz_world, key):
    """The page of each case renders the forms the case claims to fuzz (so the list of
    covered forms is true) and the fields the fuzzer will fill."""
    case = CASES[key]
    client = signed_in_client(case, fuzz_world)
    url = target_url(case, fuzz_world, client)
    page_url = (
        case_url(case, fuzz_world, name=case.page[0], target=case.page[1]) if case.page else url
    )
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    rendered = fuzz.context_forms(response)
    for form_class in case.forms:
        assert any(isinstance(f, form_class) for f in rendered), (key, form_class)
    fields = discover_fields(case, fuzz_world)
    for form in rendered:
        if isinstance(form, case.forms) and getattr(form, "fields", None):
            assert {form.add_prefix(name) for name in form.fields} <= set(fields), key


# --- the fuzzer -----------------------------------------------------------------------


def fuzz_once(case: Case, world: dict, data: dict) -> None:
    volatile = set(case.volatile) | audit_tables()
    with transaction.atomic():
        client = signed_in_client(case, world)
        url = target_url(case, world, client)
        before = fuzz.snapshot(volatile)
        send = client.get if case.method == "get" else client.post
        response = send(url, data)
        assert response.status_code < 500, (case.url, response.status_code)
        if fuzz.refused(response):
            changed = fuzz.changed_tables(before, fuzz.snapshot(volatile))
            assert changed == [], f"{case.url}: refused input changed {changed}"
        elif 300 <= response.status_code < 400:
            location = response["Location"]
            if location.startswith("/"):
                follow = client.get(location)
                assert follow.status_code < 500, (case.url, location, follow.status_code)
        transaction.set_rollback(True)


def audit_tables() -> set[str]:
    """The audit log records failed sign-ins and the like even when input is refused."""
    from django.apps import apps

    return {m._meta.db_table for m in apps.get_models() if "audit" in m._meta.model_name}


@pytest.mark.parametrize("key", sorted(CASES))
def test_fuzz(fuzz_world, key):
    case = CASES[key]
    fields = discover_fields(case, fuzz_world)

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=fuzz.submission(fields))
    def run(data):
        fuzz_once(case, fuzz_world, data)

    run()
