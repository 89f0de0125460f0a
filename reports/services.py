"""Writes of the reports app. Views call exactly one of these inside a transaction."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from councils.audit import audit_record
from councils.models import AuditEvent, Council
from councils.services import set_history_user
from sessions.models import Session

from . import annual, selectors
from .models import MAX_YEAR, MIN_YEAR, AnnualReport, PlannedSession, ReportRevision

#: where "create the planned sessions" puts a session in its month
PLANNED_WEEKDAY = calendar.TUESDAY
PLANNED_WEEK = 2  # the second Tuesday
PLANNED_START = datetime.time(13, 0)
PLANNED_END = datetime.time(15, 0)


def _user_or_none(by):
    return by if getattr(by, "is_authenticated", False) else None


def _save(instance, by=None, reason: str = ""):
    instance.full_clean()
    set_history_user(instance, by)
    if reason:
        instance._change_reason = reason[:100]
    instance.save()
    return instance


def _locked(report: AnnualReport) -> AnnualReport:
    """The report as stored now, locked for the rest of the transaction."""
    return AnnualReport.objects.select_for_update().select_related("council").get(pk=report.pk)


def _require_draft(report: AnnualReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("The report is adopted and cannot be changed. Start a correction to change it.")
        )


# Creating and editing ----------------------------------------------------------------------


@transaction.atomic
def report_create(*, council: Council, by, year: int) -> AnnualReport:
    """A new draft for ``year``, its texts pre-filled (council's purpose, last year's report)."""
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                "year": _("Enter a year between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    if year > timezone.localdate().year:
        raise ValidationError(
            {"year": _("A report can be prepared for the current year or an earlier one.")}
        )
    Council.objects.select_for_update().filter(pk=council.pk).first()
    if AnnualReport.objects.for_council(council).filter(year=year).exists():
        raise ValidationError(
            {"year": _("There is already a report for %(year)s.") % {"year": year}}
        )
    report = AnnualReport(
        council=council,
        year=year,
        include_indicators=selectors.indicator_values_exist(council=council, year=year),
        **annual.default_texts(council=council, year=year),
    )
    try:
        with transaction.atomic():
            return _save(report, by)
    except IntegrityError as error:  # a concurrent request created it first
        raise ValidationError(
            {"year": _("There is already a report for %(year)s.") % {"year": year}}
        ) from error


@transaction.atomic
def report_update(*, report: AnnualReport, by, data: dict, plan_formsets=()) -> AnnualReport:
    """Save the texts and the plan rows (formsets already validated) of a draft."""
    report = _locked(report)
    _require_draft(report)
    for name, value in data.items():
        setattr(report, name, value)
    _save(report, by)
    for formset in plan_formsets:
        for form in formset.deleted_forms:
            if form.instance.pk:
                set_history_user(form.instance, by)
                form.instance.delete()
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            row = form.save(commit=False)
            row.report = report
            _save(row, by)
    return report


# Adoption, publication, correction -----------------------------------------------------------


def _check_adoption(
    report: AnnualReport, adopted_on: datetime.date | None, session: Session | None
) -> None:
    errors: dict[str, list] = {}
    today = timezone.localdate()
    if report.status != AnnualReport.Status.DRAFT:
        raise ValidationError(_("This revision of the report is already adopted."))
    if adopted_on is None:
        errors.setdefault("adopted_on", []).append(_("Enter the date of adoption."))
    elif adopted_on > today:
        errors.setdefault("adopted_on", []).append(
            _("The date of adoption cannot be in the future.")
        )
    elif adopted_on < datetime.date(report.year, 1, 1):
        errors.setdefault("adopted_on", []).append(
            _("The report for %(year)s cannot be adopted before that year.") % {"year": report.year}
        )
    if session is None:
        errors.setdefault("adopted_at_session", []).append(
            _("Choose the session that adopted the report.")
        )
    elif session.council_id != report.council_id:
        errors.setdefault("adopted_at_session", []).append(_("Choose a session of this council."))
    elif session.status == Session.Status.CANCELLED:
        errors.setdefault("adopted_at_session", []).append(_("That session was cancelled."))
    elif adopted_on is not None and "adopted_on" not in errors and session.date > adopted_on:
        errors.setdefault("adopted_on", []).append(
            _("The report cannot be adopted before the session that adopted it (%(date)s).")
            % {"date": formats.date_format(session.date, "SHORT_DATE_FORMAT")}
        )
    missing = [
        (name, message)
        for name, message in (
            ("intro_text", _("Write the introduction (1.1) before adopting the report.")),
            ("conclusion_text", _("Write the conclusion (1.4) before adopting the report.")),
            ("chair_name", _("Name the chair for the signature before adopting the report.")),
        )
        if not getattr(report, name).strip()
    ]
    for _name, message in missing:
        errors.setdefault("__all__", []).append(message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_adopt(
    *,
    report: AnnualReport,
    by,
    adopted_on: datetime.date | None,
    adopted_at_session: Session | None,
    as_of: datetime.date | None = None,
) -> ReportRevision:
    """Adopt the draft: render the PDF once and store its bytes, SHA-256 and content.

    Every later download of this revision returns exactly these bytes. ``as_of`` is the
    day the task figures refer to (default: today).
    """
    report = _locked(report)
    _check_adoption(report, adopted_on, adopted_at_session)
    number = (report.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    adoption = {
        "revision": number,
        "adopted_on": adopted_on.isoformat(),
        "session_number": adopted_at_session.number,
        "session_date": adopted_at_session.date.isoformat(),
        "correction": report.correction_reason,
    }
    snapshot = annual.report_snapshot(report=report, adoption=adoption, today=as_of)
    pdf = annual.report_pdf(council=report.council, snapshot=snapshot, is_draft=False)
    now = timezone.now()
    report.revisions.filter(superseded_at__isnull=True).update(superseded_at=now)
    revision = ReportRevision.objects.create(
        report=report,
        number=number,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        snapshot=snapshot,
        language=snapshot["council"]["language"],
        adopted_on=adopted_on,
        adopted_at_session=adopted_at_session,
        note=report.correction_reason,
        created_by=_user_or_none(by),
    )
    report.status = AnnualReport.Status.ADOPTED
    report.adopted_on = adopted_on
    report.adopted_at_session = adopted_at_session
    report.correction_reason = ""
    _save(report, by, reason=_("Adopted, revision %(number)s") % {"number": number})
    audit_record(
        action=AuditEvent.Action.REPORT_ADOPTED,
        by=by,
        council=report.council,
        obj=report,
        details={"year": report.year, "revision": number, "sha256": revision.sha256},
    )
    return revision


@transaction.atomic
def report_publish(*, report: AnnualReport, by) -> AnnualReport:
    """Publish the adopted revision (the public page shows the latest published one)."""
    report = _locked(report)
    if report.status != AnnualReport.Status.ADOPTED:
        if report.status == AnnualReport.Status.PUBLISHED:
            raise ValidationError(_("The report is already published."))
        raise ValidationError(_("Only an adopted report can be published."))
    now = timezone.now()
    latest = report.revisions.order_by("-number").first()
    latest.published_at = now
    latest.save(update_fields=["published_at"])
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at = now
    report = _save(report, by)
    audit_record(
        action=AuditEvent.Action.REPORT_PUBLISHED,
        by=by,
        council=report.council,
        obj=report,
        details={"year": report.year, "revision": latest.number},
    )
    return report


@transaction.atomic
def report_reopen(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    """Start a correction: the report is a draft again; adopted revisions stay as they are."""
    report = _locked(report)
    if report.is_editable:
        raise ValidationError(_("The report is a draft: it can be edited as it is."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    report.status = AnnualReport.Status.DRAFT
    report.adopted_on = None
    report.adopted_at_session = None
    report.published_at = None
    report.correction_reason = reason
    return _save(report, by, reason=reason)


# Planned sessions → draft sessions ------------------------------------------------------------


def planned_session_date(year: int, month: int) -> datetime.date:
    """The second Tuesday of the month."""
    weeks = calendar.Calendar().monthdatescalendar(year, month)
    tuesdays = [
        day
        for week in weeks
        for day in week
        if day.month == month and day.weekday() == PLANNED_WEEKDAY
    ]
    return tuesdays[PLANNED_WEEK - 1]


@dataclass
class PlanSessionsResult:
    created: list[Session] = field(default_factory=list)
    #: (planned session, reason, existing session or None)
    skipped: list[tuple[PlannedSession, str, Session | None]] = field(default_factory=list)


@transaction.atomic
def plan_sessions_create(*, report: AnnualReport, by) -> PlanSessionsResult:
    """One draft session of year N+1 per planned session, on the second Tuesday of its month
    at 13:00, through ``sessions.services.session_create``.

    A month that already has a session (not cancelled) is skipped and the planned session is
    linked to it; so is a month whose date has passed, and one no term of office covers
    (when the council keeps terms). The place is that of the latest held
    session. Running it again creates nothing twice.
    """
    from sessions.services import session_create, session_term_for

    report = _locked(report)
    council = report.council
    year = report.plan_year
    today = timezone.localdate()
    existing = list(selectors.sessions_in_year(council=council, year=year).order_by("date"))
    latest = (
        Session.objects.for_council(council)
        .filter(status__in=selectors.HELD_STATUSES)
        .exclude(place="")
        .order_by("-date")
        .first()
    )
    place = latest.place if latest else ""
    result = PlanSessionsResult()
    for planned in selectors.report_plan_sessions(report=report):
        in_month = next((s for s in existing if s.date.month == planned.month), None)
        if planned.session_id and planned.session and planned.session.status != "cancelled":
            result.skipped.append((planned, "linked", planned.session))
            continue
        if in_month is not None:
            planned.session = in_month
            _save(planned, by)
            result.skipped.append((planned, "exists", in_month))
            continue
        day = planned_session_date(year, planned.month)
        if day < today:
            result.skipped.append((planned, "past", None))
            continue
        try:
            session_term_for(council=council, day=day)
        except ValidationError:
            result.skipped.append((planned, "no_term", None))
            continue
        session = session_create(
            council=council,
            by=by,
            data={
                "date": day,
                "start_time": PLANNED_START,
                "end_time": PLANNED_END,
                "place": place,
                "notes": planned.note,
            },
        )
        existing.append(session)
        planned.session = session
        _save(planned, by)
        result.created.append(session)
    return result
