"""The session invitation as a PDF, through the single document pipeline in reports/."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from reports.documents import render_pdf

from .emails import change_lines, snapshot_context
from .models import Invitation

INVITATION_TEMPLATE = "sessions/pdf/invitation.html"


def invitation_document_context(*, invitation: Invitation) -> dict:
    session = invitation.session
    return {
        "invitation": invitation,
        "council": session.council,
        "s": snapshot_context(invitation.snapshot),
        "changes": change_lines(invitation.changes),
        "is_cancellation": invitation.kind == Invitation.Kind.CANCELLATION,
        "is_update": invitation.kind == Invitation.Kind.UPDATE,
    }


def invitation_pdf(*, invitation: Invitation) -> bytes:
    council = invitation.session.council
    with translation.override(invitation.language):
        context = invitation_document_context(invitation=invitation)
        title = _("Invitation to session %(number)s of %(council)s") % {
            "number": invitation.snapshot["number"],
            "council": council.name,
        }
        return render_pdf(
            template_name=INVITATION_TEMPLATE,
            context=context,
            title=title,
            author=council.name,
            language=invitation.language,
        )


MINUTES_TEMPLATE = "sessions/pdf/minutes.html"


def minutes_document_context(*, minutes, snapshot: dict, version: int | None) -> dict:
    import datetime as _dt

    from .models import AttendanceRecord
    from .selectors import minutes_snapshot_times

    session = minutes.session
    attendance = snapshot["attendance"]
    start, end = minutes_snapshot_times(snapshot)
    by_presence = {
        key: [row for row in attendance if row["presence"] == key]
        for key in AttendanceRecord.Presence.values
    }
    return {
        "minutes": minutes,
        "council": session.council,
        "m": snapshot,
        "session_date": _dt.date.fromisoformat(snapshot["session"]["date"]),
        "sitting_start": start,
        "sitting_end": end,
        "present": by_presence["present"],
        "substitutes": by_presence["substitute"],
        "excused": by_presence["excused"],
        "absent": by_presence["absent"],
        "guests": by_presence["guest"],
        "tasks": [
            {**task, "label": conclusion["label"]}
            for item in snapshot["items"]
            for conclusion in item["conclusions"]
            for task in conclusion["tasks"]
        ],
        "version": version,
        "is_draft": version is None,
    }


def minutes_pdf(*, minutes, snapshot: dict, version: int | None) -> bytes:
    council = minutes.session.council
    with translation.override(council.language):
        title = _("Minutes of session %(number)s of %(council)s") % {
            "number": minutes.session.number,
            "council": council.name,
        }
        return render_pdf(
            template_name=MINUTES_TEMPLATE,
            context=minutes_document_context(minutes=minutes, snapshot=snapshot, version=version),
            title=title,
            author=council.name,
            language=council.language,
        )
