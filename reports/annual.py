"""The combined annual report and work plan: assembly from the council's data, rendering.

``report_snapshot(report=…)`` collects everything the document says as plain JSON data:
the texts the secretary wrote, the membership in year N, the sessions held in N, the
tasks adopted in N, the plan for N+1 and the signature block. A draft is assembled afresh
every time it is shown; on adoption the snapshot is stored with the PDF bytes
(``ReportRevision``), so an adopted revision never changes when the data does.

``report_document_context`` turns a snapshot into the context of the one template,
``reports/pdf/annual_report.html``, which renders both the HTML preview and the PDF
(through ``reports.documents``, the single document pipeline).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from councils.models import Council, Membership
from councils.selectors import (
    MEMBERSHIP_ROLE_RANK,
    ORGANISATION_KIND_RANK,
    Change,
    IndicatorReport,
    IndicatorSummary,
    Series,
    Trend,
    indicator_summary,
)
from sosvet.collation import collation_key

from . import selectors
from .documents import render_html, render_pdf
from .models import AnnualReport, PlannedTopic

TEMPLATE = "reports/pdf/annual_report.html"

#: snapshot format; bump when the structure changes (old snapshots keep rendering).
#: 2: the optional annex with the safety indicators (``indicators``).
SNAPSHOT_FORMAT = 2

#: years of the indicator annex: the report's year and the four before it
INDICATOR_YEARS = 5


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# Titles -------------------------------------------------------------------------------


def report_title(*, year: int) -> str:
    """The document's title in the active language."""
    return _(
        "Report on the work of the safety council in %(year)s and work plan of the safety "
        "council for %(plan_year)s"
    ) % {"year": year, "plan_year": year + 1}


def report_short_title(*, year: int) -> str:
    return _("Report %(year)s and work plan %(plan_year)s") % {
        "year": year,
        "plan_year": year + 1,
    }


def report_filename(*, council: Council, year: int, revision: int | None) -> str:
    with translation.override(council.language):
        stem = pgettext("file name", "report-%(year)s-work-plan-%(plan_year)s") % {
            "year": year,
            "plan_year": year + 1,
        }
        suffix = (
            pgettext("file name", "revision-%(number)s") % {"number": revision}
            if revision
            else pgettext("file name", "draft")
        )
    return f"{slugify(council.slug)}-{slugify(stem)}-{slugify(suffix)}.pdf"


# Defaults for a new report ----------------------------------------------------------------


def default_texts(*, council: Council, year: int) -> dict[str, str]:
    """Pre-filled texts of a new report (in the council's language).

    1.1 comes from the council's purpose and legal basis; the other texts are carried over
    from last year's report when there is one, else sensible defaults.
    """
    previous = AnnualReport.objects.for_council(council).filter(year=year - 1).first()
    chair = selectors.chair_membership(council=council, year=year)
    secretary = selectors.secretary_membership(council=council, year=year)
    with translation.override(council.language):
        intro = council.purpose.strip()
        if council.legal_basis.strip():
            basis = _("Legal basis: %(legal_basis)s") % {"legal_basis": council.legal_basis.strip()}
            intro = f"{intro}\n\n{basis}" if intro else basis
        texts = {
            "intro_text": intro,
            "membership_text": _(
                "Membership of the safety council is honorary. Its members represent the "
                "police, the municipal administration and the organisations, services and "
                "societies that can contribute to greater safety in the municipality; they "
                "take an active part in the work of the council, give initiatives and "
                "proposals for solving safety problems and carry out tasks within their "
                "competence."
            ),
            "sessions_text": "",
            "planned_sessions_explanation": "",
            "conclusion_text": "",
            "implementation_text": _(
                "Members will be invited to each session with an invitation that carries the "
                "proposed agenda. Members may propose additions to the agenda."
            ),
            "prepared_by": secretary.person.full_name if secretary else "",
            "chair_name": chair.person.full_name if chair else "",
            "chair_function": "\n".join(
                part
                for part in (
                    chair.person.function if chair else "",
                    _("chair of the safety council") if chair else "",
                )
                if part
            ),
        }
    if previous is not None:
        for field in (
            "membership_text",
            "conclusion_text",
            "implementation_text",
            "prepared_by",
            "chair_name",
            "chair_function",
        ):
            value = getattr(previous, field)
            if value.strip():
                texts[field] = value
    return texts


# Assembly -------------------------------------------------------------------------------


def _membership_part(*, council: Council, year: int) -> dict[str, Any]:
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = []
    chair = None
    for membership in selectors.year_memberships(council=council, year=year):
        person = membership.person
        organisation = membership.organisation
        row = {
            "name": person.full_name,
            "last_name": person.last_name,
            "function": person.function,
            "organisation": organisation.name if organisation else "",
            "organisation_kind": organisation.kind if organisation else "",
            "role": membership.role,
            "kind": membership.kind,
            # The period only when it does not cover the whole year.
            "start": _iso(membership.start_date) if membership.start_date > year_start else None,
            "end": _iso(membership.end_date)
            if membership.end_date and membership.end_date < year_end
            else None,
            "note": membership.note if membership.kind == Membership.Kind.NON_STANDING else "",
        }
        members.append(row)
        if membership.role == Membership.Role.CHAIR and (
            chair is None or membership.start_date >= _date(chair["since"])
        ):
            chair = {
                "name": person.full_name,
                "function": person.function,
                "organisation": row["organisation"],
                "since": _iso(membership.start_date),
            }

    def order(row):
        kind = row["organisation_kind"]
        kind_rank = ORGANISATION_KIND_RANK.get(kind, len(ORGANISATION_KIND_RANK))
        return (
            row["organisation"] == "",  # members without an organisation last
            kind_rank,
            collation_key(row["organisation"], council.alphabet),
            MEMBERSHIP_ROLE_RANK.get(row["role"], len(MEMBERSHIP_ROLE_RANK)),
            collation_key(row["last_name"], council.alphabet),
            collation_key(row["name"], council.alphabet),
        )

    members.sort(key=order)
    terms = [
        {"start": _iso(term.start_date), "end": _iso(term.end_date)}
        for term in selectors.year_terms(council=council, year=year)
    ]
    return {"members": members, "chair": chair, "terms": terms}


def _sessions_part(*, council: Council, year: int, report: AnnualReport) -> dict[str, Any]:
    sessions = list(selectors.year_sessions_held(council=council, year=year))
    rows = [
        {
            "number": session.number,
            "date": _iso(session.date),
            "topics": [item.title for item in session.topics],
            "hidden_topics": session.hidden_topic_count,
            "conclusions": session.conclusion_count,
        }
        for session in sessions
    ]
    plan = selectors.previous_plan(council=council, year=year)
    comparison = []
    if plan is not None and plan:
        planned_count, source = len(plan), "plan"
        unmatched = list(sessions)
        for planned in plan:
            held = None
            linked = planned.session
            if linked is not None and linked in unmatched:
                held = linked
            else:
                held = next((s for s in unmatched if s.date.month == planned.month), None)
            if held is not None:
                unmatched.remove(held)
            comparison.append(
                {
                    "number": planned.number,
                    "month": planned.month,
                    "held_number": held.number if held else None,
                    "held_on": _iso(held.date) if held else None,
                }
            )
    elif report.planned_sessions_count is not None:
        planned_count, source = report.planned_sessions_count, "manual"
    else:
        planned_count, source = None, ""
    return {
        "sessions": rows,
        "planned": {"count": planned_count, "source": source, "comparison": comparison},
    }


def _plan_part(*, report: AnnualReport) -> dict[str, Any]:
    sessions = [
        {"number": p.number, "month": p.month, "note": p.note}
        for p in selectors.report_plan_sessions(report=report)
    ]
    topics, presentations = [], []
    rows = sorted(
        selectors.report_plan_topics(report=report),
        key=lambda t: (t.month is not None, t.month or 0, t.pk or 0),
    )
    for topic in rows:
        if topic.kind == PlannedTopic.Kind.PRESENTATION:
            presentations.append(
                {
                    "organisation": topic.organisation.name if topic.organisation else "",
                    "text": topic.text,
                    "month": topic.month,
                }
            )
        else:
            topics.append({"text": topic.text, "month": topic.month})
    return {"sessions": sessions, "topics": topics, "presentations": presentations}


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _to_decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _indicators_part(*, council: Council, year: int) -> dict[str, Any] | None:
    """The annex: every indicator with a value in the five years ending with ``year``.

    The figures, the change against the previous year and the trend are stored as they
    were computed (``councils.selectors.indicator_summary``), with the names in the
    council's language, so an adopted revision keeps saying what it said. None when there
    is nothing to show.
    """
    with translation.override(council.language):
        summary = indicator_summary(council=council, year=year, years=INDICATOR_YEARS)
        indicators = []
        for item in summary.with_data:
            series = []
            for line in item.series:
                change, trend = line.change, line.trend
                series.append(
                    {
                        "key": line.key,
                        "label": line.label,
                        "is_total": line.is_total,
                        "values": [_decimal(v) for v in line.values],
                        "change": {
                            "absolute": str(change.absolute),
                            "percent": _decimal(change.percent),
                        }
                        if change
                        else None,
                        "trend": {
                            "direction": trend.direction,
                            "slope": str(trend.slope),
                            "intercept": str(trend.intercept),
                            "points": trend.points,
                        }
                        if trend
                        else None,
                    }
                )
            indicators.append(
                {
                    "code": item.code,
                    "name": item.name,
                    "description": item.description,
                    "unit": item.unit,
                    "decimals": item.decimals,
                    "category": item.category,
                    "category_label": item.category_label,
                    "is_standard": item.is_standard,
                    "series": series,
                    "headline": item.series.index(item.headline)
                    if item.headline in item.series
                    else len(series) - 1,
                    "share": _decimal(item.share),
                    "share_of_name": item.share_of_name,
                }
            )
    if not indicators:
        return None
    return {
        "year": summary.year,
        "years": summary.years,
        "municipalities": [name for _id, name in summary.municipalities],
        "indicators": indicators,
    }


def indicator_report_from_snapshot(part: dict[str, Any] | None) -> IndicatorReport | None:
    """The annex of a snapshot as the ``IndicatorReport`` the shared charts template reads
    (``councils/includes/indicator_charts.html``): the same charts and tables as the
    council's indicators page, drawn from the stored figures."""
    if not part:
        return None
    years = part["years"]
    indicators = []
    for position, item in enumerate(part["indicators"]):
        series = []
        for line in item["series"]:
            change, trend = line["change"], line["trend"]
            series.append(
                Series(
                    key=line["key"],
                    label=line["label"],
                    values=[_to_decimal(v) for v in line["values"]],
                    is_total=line["is_total"],
                    change=Change(
                        year=years[-1],
                        previous_year=years[-2],
                        absolute=Decimal(change["absolute"]),
                        percent=_to_decimal(change["percent"]),
                    )
                    if change and len(years) > 1
                    else None,
                    trend=Trend(
                        direction=trend["direction"],
                        slope=Decimal(trend["slope"]),
                        intercept=Decimal(trend["intercept"]),
                        first_year=years[0],
                        points=trend["points"],
                    )
                    if trend
                    else None,
                )
            )
        indicators.append(
            IndicatorSummary(
                indicator_id=position,
                code=item["code"],
                name=item["name"],
                description=item["description"],
                unit=item["unit"],
                decimals=item["decimals"],
                category=item["category"],
                category_label=item["category_label"],
                is_standard=item["is_standard"],
                years=years,
                series=series,
                headline=series[item["headline"]],
                share=_to_decimal(item["share"]),
                share_of_name=item["share_of_name"],
            )
        )
    municipalities = list(enumerate(part["municipalities"]))
    return IndicatorReport(
        year=part["year"],
        years=years,
        available_years=[],
        municipalities=municipalities,
        indicators=indicators,
    )


def report_snapshot(
    *, report: AnnualReport, today: datetime.date | None = None, adoption: dict | None = None
) -> dict[str, Any]:
    """Everything the document says, as plain data (assembled from the data now)."""
    council = report.council
    year = report.year
    today = today or timezone.localdate()
    sessions = _sessions_part(council=council, year=year, report=report)
    return {
        "format": SNAPSHOT_FORMAT,
        "council": {
            "name": council.name,
            "language": council.language,
            "municipalities": [m.name for m in council.municipalities.all()],
        },
        "year": year,
        "plan_year": year + 1,
        "assembled_on": today.isoformat(),
        "texts": {
            field: getattr(report, field)
            for field in (
                "intro_text",
                "membership_text",
                "sessions_text",
                "planned_sessions_explanation",
                "conclusion_text",
                "implementation_text",
            )
        },
        "membership": _membership_part(council=council, year=year),
        "sessions": sessions["sessions"],
        "planned": sessions["planned"],
        "tasks": selectors.year_task_counts(council=council, year=year, today=today),
        "plan": _plan_part(report=report),
        "indicators": _indicators_part(council=council, year=year)
        if report.include_indicators
        else None,
        "signatures": {
            "prepared_by": report.prepared_by,
            "chair_name": report.chair_name,
            "chair_function": report.chair_function,
        },
        "adoption": adoption,
    }


# Rendering ----------------------------------------------------------------------------------


def _month(number: int | None):
    return MONTHS.get(number) if number else None


def report_document_context(
    *, council: Council, snapshot: dict[str, Any], is_draft: bool
) -> dict[str, Any]:
    """The template context for a snapshot: dates as dates, members grouped, labels lazy."""
    membership = snapshot["membership"]
    groups: list[dict[str, Any]] = []
    for row in membership["members"]:
        member = {
            **row,
            "start": _date(row["start"]),
            "end": _date(row["end"]),
            "role_label": Membership.Role(row["role"]).label,
            "is_standing": row["kind"] == Membership.Kind.STANDING,
        }
        if not groups or groups[-1]["organisation"] != row["organisation"]:
            groups.append({"organisation": row["organisation"], "members": []})
        groups[-1]["members"].append(member)
    members = membership["members"]
    standing = sum(1 for m in members if m["kind"] == Membership.Kind.STANDING)
    terms = [
        SimpleNamespace(start=_date(t["start"]), end=_date(t["end"])) for t in membership["terms"]
    ]
    sessions = [{**row, "date": _date(row["date"])} for row in snapshot["sessions"]]
    planned = snapshot["planned"]
    comparison = [
        {**row, "month_name": _month(row["month"]), "held_on": _date(row["held_on"])}
        for row in planned["comparison"]
    ]
    plan = snapshot["plan"]
    adoption = snapshot.get("adoption")
    if adoption:
        adoption = {
            **adoption,
            "adopted_on": _date(adoption["adopted_on"]),
            "session_date": _date(adoption["session_date"]),
        }
    chair = membership["chair"]
    return {
        # The letterhead and running header read ``council``; an adopted revision keeps
        # the name it was adopted under.
        "council": SimpleNamespace(
            name=snapshot["council"]["name"], logo=council.logo, slug=council.slug
        ),
        "r": snapshot,
        "year": snapshot["year"],
        "plan_year": snapshot["plan_year"],
        "texts": snapshot["texts"],
        "chair": chair,
        "terms": terms,
        "member_groups": groups,
        "member_count": len(members),
        "standing_count": standing,
        "non_standing_count": len(members) - standing,
        "organisation_count": len({m["organisation"] for m in members if m["organisation"]}),
        "sessions": sessions,
        "held_count": len(sessions),
        "conclusion_count": sum(row["conclusions"] for row in sessions),
        "planned": planned,
        "comparison": comparison,
        "tasks": snapshot["tasks"],
        "plan_sessions": [{**row, "month_name": _month(row["month"])} for row in plan["sessions"]],
        "plan_topics": [{**row, "month_name": _month(row["month"])} for row in plan["topics"]],
        "plan_presentations": [
            {**row, "month_name": _month(row["month"])} for row in plan["presentations"]
        ],
        # Snapshots before format 2 have no annex.
        "indicators": indicator_report_from_snapshot(snapshot.get("indicators")),
        "signatures": snapshot["signatures"],
        "adoption": adoption,
        "assembled_on": _date(snapshot.get("assembled_on")),
        "is_draft": is_draft,
    }


def _render_arguments(*, council: Council, snapshot: dict[str, Any], is_draft: bool) -> dict:
    language = snapshot["council"].get("language") or council.language
    with translation.override(language):
        return {
            "template_name": TEMPLATE,
            "context": report_document_context(
                council=council, snapshot=snapshot, is_draft=is_draft
            ),
            "title": report_title(year=snapshot["year"]),
            "author": snapshot["council"]["name"],
            "language": language,
        }


def report_pdf(*, council: Council, snapshot: dict[str, Any], is_draft: bool) -> bytes:
    """The PDF of a snapshot, through the single document pipeline (PDF/A-2u, tagged)."""
    return render_pdf(**_render_arguments(council=council, snapshot=snapshot, is_draft=is_draft))


def report_html(*, council: Council, snapshot: dict[str, Any], is_draft: bool, request=None) -> str:
    """The HTML preview: the same template as the PDF."""
    return render_html(
        **_render_arguments(council=council, snapshot=snapshot, is_draft=is_draft),
        request=request,
    )
