"""Reads of the reports app. Every selector takes ``council=`` (or a council's report)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from councils.models import Council, IndicatorValue, Membership, Organisation, Term
from councils.selectors import memberships_list
from sessions.models import AgendaItem, Session, Task
from sosvet.collation import by_name

from .models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision

HELD_STATUSES = (Session.Status.HELD, Session.Status.CLOSED)


# Reports ----------------------------------------------------------------------------


def reports_list(*, council: Council, include_drafts: bool = True) -> QuerySet[AnnualReport]:
    """The council's reports, newest year first, with their revisions (without the bytes).

    ``include_drafts=False`` (members) lists only reports with at least one adopted
    revision.
    """
    revisions = ReportRevision.objects.without_pdf().order_by("-number")
    qs = (
        AnnualReport.objects.for_council(council)
        .select_related("council", "adopted_at_session")
        .annotate(
            revision_count=Count("revisions", distinct=True),
            planned_session_count=Count("planned_sessions", distinct=True),
        )
        .prefetch_related(Prefetch("revisions", queryset=revisions, to_attr="revision_list"))
        .order_by("-year")
    )
    if not include_drafts:
        qs = qs.filter(revision_count__gt=0)
    return qs


def report_get(*, council: Council, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.for_council(council)
        .select_related("council", "adopted_at_session")
        .filter(year=year)
        .first()
    )


def report_revisions(*, report: AnnualReport) -> QuerySet[ReportRevision]:
    """The adopted revisions of a report, newest first, without their bytes."""
    return (
        report.revisions.without_pdf()
        .select_related("adopted_at_session", "created_by")
        .order_by("-number")
    )


def report_revision(*, report: AnnualReport, number: int | None = None) -> ReportRevision | None:
    """One revision with its bytes (the latest when ``number`` is None)."""
    qs = report.revisions.select_related("adopted_at_session")
    if number is not None:
        return qs.filter(number=number).first()
    return qs.order_by("-number").first()


def report_published(*, council: Council, year: int) -> ReportRevision | None:
    """The revision of ``year``'s report the public sees: the latest published one.

    While a correction is being prepared (or adopted but not yet published), the earlier
    published revision stays the public one.
    """
    return (
        ReportRevision.objects.for_council(council)
        .filter(report__year=year, published_at__isnull=False)
        .select_related("report", "report__council", "adopted_at_session")
        .order_by("-number")
        .first()
    )


def reports_published(*, council: Council) -> list[ReportRevision]:
    """For every year with a published report, its public revision; newest year first.

    Only what the public page and the feed show is loaded: the revision's number, size,
    adoption and publication dates and the report's year (any other field, such as
    ``revision.pdf``, is fetched when needed).
    """
    revisions = (
        ReportRevision.objects.for_council(council)
        .filter(published_at__isnull=False)
        .select_related("report")
        .only("report__year", "number", "size", "adopted_on", "published_at")
        .order_by("-report__year", "-number")
    )
    result: list[ReportRevision] = []
    seen: set[int] = set()
    for revision in revisions:
        if revision.report_id not in seen:
            seen.add(revision.report_id)
            result.append(revision)
    return result


def indicator_values_exist(*, council: Council, year: int) -> bool:
    """Whether the council has entered any safety-indicator value for ``year``."""
    return IndicatorValue.objects.for_council(council).filter(year=year).exists()


def report_plan_sessions(*, report: AnnualReport) -> QuerySet[PlannedSession]:
    return report.planned_sessions.select_related("session").order_by("month", "number", "pk")


def report_plan_topics(*, report: AnnualReport) -> QuerySet[PlannedTopic]:
    return report.planned_topics.select_related("organisation").order_by("pk")


def report_history(*, report: AnnualReport, limit: int = 60) -> list[dict]:
    """Who changed the report and its plan, when; newest first."""
    rows = []
    for record in report.history.select_related("history_user")[:limit]:
        rows.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "action": record.get_history_type_display(),
                "subject": AnnualReport._meta.verbose_name,
                "detail": record.get_status_display(),
                "reason": record.history_change_reason or "",
            }
        )
    for model, label in (
        (PlannedSession, lambda r: f"{r.number}. – {r.get_month_display()}"),
        (PlannedTopic, lambda r: r.text or str(r.organisation or "")),
    ):
        records = model.history.filter(report_id=report.pk).select_related("history_user")
        if model is PlannedTopic:
            records = records.select_related("organisation")
        for record in records[:limit]:
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "action": record.get_history_type_display(),
                    "subject": model._meta.verbose_name,
                    "detail": label(record),
                    "reason": "",
                }
            )
    return sorted(rows, key=lambda row: row["date"], reverse=True)[:limit]


# The council's data for year N --------------------------------------------------------


def year_memberships(*, council: Council, year: int) -> QuerySet[Membership]:
    """Every membership active at some time in ``year`` (councils.selectors.memberships_list)."""
    return memberships_list(council=council, year=year)


def year_terms(*, council: Council, year: int) -> QuerySet[Term]:
    """The terms of office in force at some time in ``year``, oldest first."""
    return (
        Term.objects.for_council(council)
        .filter(
            start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1)
        )
        .order_by("start_date")
    )


def year_sessions_held(*, council: Council, year: int) -> QuerySet[Session]:
    """Sessions held (or held and closed) in ``year``, with their public ordinary items as
    ``topics`` and the number of conclusions as ``conclusion_count``."""
    topics = AgendaItem.objects.filter(standing="", is_public=True).order_by("position", "pk")
    return (
        Session.objects.for_council(council)
        .filter(status__in=HELD_STATUSES, date__year=year)
        .select_related("term")
        .annotate(
            conclusion_count=Count("conclusions", distinct=True),
            hidden_topic_count=Count(
                "agenda_items",
                filter=Q(agenda_items__standing="", agenda_items__is_public=False),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("agenda_items", queryset=topics, to_attr="topics"))
        .order_by("date", "start_time")
    )


def year_task_counts(*, council: Council, year: int, today: datetime.date) -> dict[str, int]:
    """Tasks adopted in ``year`` (their conclusion's session is in ``year``), by status."""
    open_statuses = [Task.Status.OPEN, Task.Status.IN_PROGRESS]
    counts = (
        Task.objects.for_council(council)
        .filter(conclusion__session__date__year=year)
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            open=Count("pk", filter=Q(status__in=open_statuses)),
            overdue=Count("pk", filter=Q(status__in=open_statuses, due_date__lt=today)),
            dropped=Count("pk", filter=Q(status=Task.Status.DROPPED)),
        )
    )
    return {key: value or 0 for key, value in counts.items()}


def previous_plan(*, council: Council, year: int) -> list[PlannedSession] | None:
    """The sessions that last year's work plan planned for ``year``; None without that plan."""
    previous = AnnualReport.objects.for_council(council).filter(year=year - 1).first()
    if previous is None:
        return None
    return list(
        previous.planned_sessions.select_related("session").order_by("month", "number", "pk")
    )


def sessions_for_adoption(*, council: Council, year: int, today: datetime.date):
    """Sessions that can have adopted the report of ``year``: not cancelled, held from the
    start of ``year`` up to today; newest first."""
    return (
        Session.objects.for_council(council)
        .not_cancelled()
        .filter(date__gte=datetime.date(year, 1, 1), date__lte=today)
        .order_by("-date", "-start_time")
    )


def sessions_in_year(*, council: Council, year: int) -> QuerySet[Session]:
    """Every session of ``year`` that is not cancelled (to skip months already covered)."""
    return Session.objects.for_council(council).not_cancelled().filter(date__year=year)


def council_organisations(*, council: Council) -> QuerySet[Organisation]:
    return Organisation.objects.for_council(council).order_by(
        *by_name("name", alphabet=council.alphabet)
    )


def chair_membership(*, council: Council, year: int) -> Membership | None:
    """The chair in ``year`` (the latest if the chair changed during the year)."""
    return (
        year_memberships(council=council, year=year)
        .filter(role=Membership.Role.CHAIR)
        .order_by("-start_date")
        .first()
    )


def secretary_membership(*, council: Council, year: int) -> Membership | None:
    return (
        year_memberships(council=council, year=year)
        .filter(role=Membership.Role.SECRETARY)
        .order_by("-start_date")
        .first()
    )
