"""The report pages: list, create, editor, preview, downloads, adoption, correction."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse

from councils.models import Person
from reports import services
from reports.models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision

from .conftest import YEAR, adopt, held_session, pdf_text

D = datetime.date

pytestmark = pytest.mark.django_db


def url(name: str, report: AnnualReport, **kwargs) -> str:
    return reverse(
        f"reports:{name}",
        kwargs={"council_slug": report.council.slug, "year": report.year, **kwargs},
    )


def editor_data(report: AnnualReport, **changes) -> dict:
    """What the editor posts when nothing is changed (texts, plan rows, extra rows empty)."""
    data = {
        f"texts-{name}": getattr(report, name) or ""
        for name in (
            "intro_text",
            "membership_text",
            "sessions_text",
            "planned_sessions_explanation",
            "conclusion_text",
            "implementation_text",
            "prepared_by",
            "chair_name",
            "chair_function",
        )
    }
    data["texts-planned_sessions_count"] = report.planned_sessions_count or ""
    sessions = list(report.planned_sessions.order_by("month", "number", "pk"))
    topics = list(report.planned_topics.order_by("pk"))
    data.update(
        {
            "sessions-TOTAL_FORMS": len(sessions) + 2,
            "sessions-INITIAL_FORMS": len(sessions),
            "topics-TOTAL_FORMS": len(topics) + 3,
            "topics-INITIAL_FORMS": len(topics),
        }
    )
    for i, row in enumerate(sessions):
        data.update(
            {
                f"sessions-{i}-id": row.pk,
                f"sessions-{i}-number": row.number,
                f"sessions-{i}-month": row.month,
                f"sessions-{i}-note": row.note,
            }
        )
    for i in range(len(sessions), len(sessions) + 2):
        data.update(
            {f"sessions-{i}-number": "", f"sessions-{i}-month": "", f"sessions-{i}-note": ""}
        )
    for i, row in enumerate(topics):
        data.update(
            {
                f"topics-{i}-id": row.pk,
                f"topics-{i}-kind": row.kind,
                f"topics-{i}-text": row.text,
                f"topics-{i}-month": row.month or "",
                f"topics-{i}-organisation": row.organisation_id or "",
            }
        )
    for i in range(len(topics), len(topics) + 3):
        data.update(
            {
                f"topics-{i}-kind": "topic",
                f"topics-{i}-text": "",
                f"topics-{i}-month": "",
                f"topics-{i}-organisation": "",
            }
        )
    data.update(changes)
    return data


def saved_state(report) -> tuple:
    report.refresh_from_db()
    return (
        {f.name: getattr(report, f.name) for f in AnnualReport._meta.concrete_fields},
        list(PlannedSession.objects.filter(report=report).values_list("number", "month", "note")),
        list(PlannedTopic.objects.filter(report=report).values_list("kind", "text", "month")),
        AnnualReport.history.count(),
    )


# List and create --------------------------------------------------------------------------


def test_report_list_shows_reports_and_the_create_form(en_client, council, report):
    response = en_client.get(reverse("reports:report_list", args=[council.slug]))

    content = response.content.decode()
    assert [r.year for r in response.context["reports"]] == [YEAR]
    assert "Report 2023 and work plan 2024" in content
    assert "Draft PDF" in content
    assert response.context["create_form"].initial["year"]


def test_report_create_opens_the_editor_with_prefilled_texts(en_client, council, year_data):
    council.purpose = "Sosvet skrbi za varnost."
    council.save()

    response = en_client.post(reverse("reports:report_create", args=[council.slug]), {"year": 2023})

    report = AnnualReport.objects.get(council=council, year=2023)
    assert response.status_code == 302
    assert response["Location"] == url("report_edit", report)
    editor = en_client.get(response["Location"])
    assert editor.context["form"]["intro_text"].value().startswith("Sosvet skrbi za varnost.")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("", "This field is required."),
        ("13", "Ensure this value is greater than or equal to 1990."),
        ("dvatisoč", "Enter a whole number."),
        ("2023", "There is already a report for 2023."),
    ],
)
def test_report_create_errors_are_shown_next_to_the_year(en_client, council, report, year, message):
    response = en_client.post(reverse("reports:report_create", args=[council.slug]), {"year": year})

    assert response.status_code == 200
    assert response.context["form"].errors == {"year": [message]}
    assert AnnualReport.objects.count() == 1


# The editor ------------------------------------------------------------------------------


def test_editor_shows_the_assembled_parts(en_client, report):
    response = en_client.get(url("report_edit", report))

    content = response.content.decode()
    assert "Nuška Gajšek" in content
    assert "Konstituiranje varnostnega sosveta" in content
    assert response.context["doc"]["held_count"] == 2
    assert len(response.context["session_formset"].forms) == 3 + 2


def test_editor_saves_texts_and_plan_rows(en_client, report):
    data = editor_data(
        report,
        **{
            "texts-conclusion_text": "Nov zaključek.",
            "sessions-3-number": "6",
            "sessions-3-month": "12",
            "sessions-3-note": "Predpraznična seja",
            "sessions-0-DELETE": "on",
            "topics-3-kind": "presentation",
            "topics-3-organisation": str(
                report.council.organisations.get(name="Policijska postaja Ptuj").pk
            ),
            "topics-3-text": "Policist v skupnosti",
            "topics-3-month": "9",
        },
    )

    response = en_client.post(url("report_edit", report), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.conclusion_text == "Nov zaključek."
    assert list(report.planned_sessions.values_list("number", "month", "note")) == [
        (4, 6, ""),
        (5, 11, ""),
        (6, 12, "Predpraznična seja"),
    ]
    presentation = report.planned_topics.get(text="Policist v skupnosti")
    assert (presentation.kind, presentation.month, presentation.organisation.name) == (
        "presentation",
        9,
        "Policijska postaja Ptuj",
    )
    assert report.history.first().history_user.username == "tajnik"


def test_editor_save_and_preview_goes_to_the_preview(en_client, report):
    response = en_client.post(url("report_edit", report), editor_data(report, then="preview"))

    assert response["Location"] == url("report_preview", report)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"sessions-3-number": "6", "sessions-3-month": "13"},
            ("sessions", 3, "month"),
            "Choose a month from January to December.",
        ),
        (
            {"sessions-3-number": "0", "sessions-3-month": "5"},
            ("sessions", 3, "number"),
            "Session numbers start at 1.",
        ),
        (
            {"sessions-3-number": "4", "sessions-3-month": "9"},
            ("sessions", 3, "number"),
            "Session 4 is already in the plan.",
        ),
        (
            {"sessions-3-number": "", "sessions-3-month": "9"},
            ("sessions", 3, "number"),
            "Enter the session's number.",
        ),
        (
            {"topics-3-kind": "topic", "topics-3-month": "5"},
            ("topics", 3, "text"),
            "Describe the topic.",
        ),
        (
            {"topics-3-kind": "presentation", "topics-3-text": "Projekt"},
            ("topics", 3, "organisation"),
            "Choose the organisation that presents its projects.",
        ),
        (
            {"topics-3-text": "Tema", "topics-3-month": "0"},
            ("topics", 3, "month"),
            "Choose a month from January to December.",
        ),
    ],
)
def test_editor_row_errors_are_shown_next_to_the_field_and_nothing_is_saved(
    en_client, report, changes, field, message
):
    before = saved_state(report)
    data = editor_data(report, **{"texts-conclusion_text": "Spremenjeno.", **changes})

    response = en_client.post(url("report_edit", report), data)

    assert response.status_code == 200
    prefix, index, name = field
    formset = response.context["session_formset" if prefix == "sessions" else "topic_formset"]
    assert formset.forms[index].errors[name] == [message]
    content = response.content.decode()
    assert message.replace("'", "&#x27;") in content
    assert f'id="error_id_{prefix}-{index}-{name}"' in content
    # The input is kept; nothing was saved.
    assert response.context["form"]["conclusion_text"].value() == "Spremenjeno."
    assert saved_state(report) == before


def test_editor_empty_introduction_is_an_error_next_to_it(en_client, report):
    before = saved_state(report)

    response = en_client.post(
        url("report_edit", report),
        editor_data(report, **{"texts-intro_text": "  ", "texts-prepared_by": "Ana Novak"}),
    )

    assert response.context["form"].errors == {
        "intro_text": ["The introduction (1.1) cannot be empty."]
    }
    assert "The introduction (1.1) cannot be empty." in response.content.decode()
    assert response.context["form"]["prepared_by"].value() == "Ana Novak"
    assert saved_state(report) == before


def test_editor_refuses_a_row_of_another_report(en_client, council, report):
    other = AnnualReport.objects.create(council=council, year=2022)
    foreign = PlannedSession.objects.create(report=other, number=1, month=1)
    data = editor_data(report, **{"sessions-0-id": str(foreign.pk), "sessions-0-month": "2"})

    response = en_client.post(url("report_edit", report), data)

    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.month == 1


def test_editor_garbage_is_a_form_error_not_a_500(en_client, report):
    response = en_client.post(
        url("report_edit", report),
        {"texts-intro_text": "x", "sessions-TOTAL_FORMS": "abc", "topics-TOTAL_FORMS": "-1"},
    )

    assert response.status_code == 200


def test_editor_of_an_adopted_report_redirects_to_the_report(en_client, report, adoption_session):
    adopt(report, adoption_session)

    get = en_client.get(url("report_edit", report))
    post = en_client.post(url("report_edit", report), editor_data(report))

    assert get["Location"] == post["Location"] == url("report_detail", report)
    report.refresh_from_db()
    assert report.status == "adopted"


# Preview and downloads ----------------------------------------------------------------------


def test_preview_renders_the_document_template(en_client, report):
    response = en_client.get(url("report_preview", report))

    content = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'class="document draft annual-report"' in content
    assert 'href="/static/css/print.css"' in content
    assert "Konstituiranje varnostnega sosveta" in content
    assert "style=" not in content  # the preview runs under CSP style-src 'self'


def test_draft_pdf_is_rendered_fresh_and_watermarked(en_client, report):
    response = en_client.get(url("report_pdf", report))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="ptuj-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert "ETag" not in response  # a draft is not a stored document
    assert response.content.startswith(b"%PDF-")


def test_adopted_bytes_never_change_when_the_data_changes(
    en_client, council, report, adoption_session, year_data
):
    en_client.post(
        url("report_adopt", report),
        {"adopted_at_session": adoption_session.pk, "adopted_on": "2024-03-19"},
    )
    revision = ReportRevision.objects.get(report=report)
    first = en_client.get(url("report_pdf", report)).content

    # The data changes afterwards: a member's name, a new session in 2023.
    Person.objects.filter(pk=year_data["chair"].person_id).update(last_name="Preimenovana")
    held_session(council, D(2023, 12, 12), 5, ["Naknadno vnesena seja"], conclusions=2)
    second = en_client.get(url("report_pdf", report)).content
    by_revision = en_client.get(url("revision_pdf", report, number=1)).content

    assert first == second == by_revision == bytes(revision.pdf)
    assert hashlib.sha256(second).hexdigest() == revision.sha256
    assert "Gajšek" in pdf_text(second)
    assert "Naknadno vnesena seja" not in pdf_text(second)

    # A correction, adopted again, is a new revision with the new data; revision 1 stays.
    services.report_reopen(report=report, by=None, reason="Nova seja")
    en_client.post(
        url("report_adopt", report),
        {"adopted_at_session": adoption_session.pk, "adopted_on": "2024-03-19"},
    )
    corrected = en_client.get(url("report_pdf", report)).content
    assert hashlib.sha256(corrected).hexdigest() != revision.sha256
    assert "Naknadno vnesena seja" in pdf_text(corrected)
    assert "Preimenovana" in pdf_text(corrected)
    assert en_client.get(url("revision_pdf", report, number=1)).content == first


# Adoption ------------------------------------------------------------------------------------


def test_adopt_page_proposes_the_first_session_of_the_next_year(
    en_client, report, adoption_session
):
    response = en_client.get(url("report_adopt", report))

    assert response.context["form"].initial == {
        "adopted_at_session": adoption_session,
        "adopted_on": adoption_session.date,
    }


def test_adopt_shows_the_sha256(en_client, report, adoption_session):
    response = en_client.post(
        url("report_adopt", report),
        {"adopted_at_session": adoption_session.pk, "adopted_on": "2024-03-19"},
        follow=True,
    )

    revision = ReportRevision.objects.get(report=report)
    content = response.content.decode()
    assert revision.sha256 in content
    assert f"Revision 1 is adopted; its PDF is stored (SHA-256 {revision.sha256})." in content


def test_adopt_without_a_date_is_an_error_next_to_the_date(en_client, report, adoption_session):
    response = en_client.post(
        url("report_adopt", report), {"adopted_at_session": adoption_session.pk, "adopted_on": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"adopted_on": ["Enter the date of adoption."]}
    assert response.context["form"]["adopted_at_session"].value() == str(adoption_session.pk)
    assert ReportRevision.objects.count() == 0


def test_adopt_with_a_date_before_the_session_keeps_the_input(en_client, report, adoption_session):
    response = en_client.post(
        url("report_adopt", report),
        {"adopted_at_session": adoption_session.pk, "adopted_on": "2024-03-01"},
    )

    assert response.context["form"].errors == {
        "adopted_on": [
            "The report cannot be adopted before the session that adopted it (19/03/2024)."
        ]
    }
    assert response.context["form"]["adopted_on"].value() == "2024-03-01"
    assert ReportRevision.objects.count() == 0


def test_adopting_twice_is_an_error_and_stores_one_revision(en_client, report, adoption_session):
    data = {"adopted_at_session": adoption_session.pk, "adopted_on": "2024-03-19"}
    en_client.post(url("report_adopt", report), data)

    again = en_client.post(url("report_adopt", report), data)

    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        "This revision of the report is already adopted."
    ]
    assert ReportRevision.objects.count() == 1
    assert en_client.get(url("report_adopt", report))["Location"] == url("report_detail", report)


def test_publish_and_correct_through_the_pages(en_client, report, adoption_session):
    adopt(report, adoption_session)

    en_client.post(url("report_publish", report))
    report.refresh_from_db()
    assert report.status == "published"
    response = en_client.post(url("report_reopen", report), {"reason": ""})
    assert response.context["form"].errors == {"reason": ["Say what the correction is for."]}
    response = en_client.post(url("report_reopen", report), {"reason": "Tipkarska napaka."})
    assert response["Location"] == url("report_edit", report)
    report.refresh_from_db()
    assert (report.status, report.correction_reason) == ("draft", "Tipkarska napaka.")
    detail = en_client.get(url("report_detail", report)).content.decode()
    assert "Correction in progress:" in detail
    assert ReportRevision.objects.get().sha256 in detail


def test_detail_page_lists_missing_texts_and_history(en_client, report):
    AnnualReport.objects.filter(pk=report.pk).update(conclusion_text="")

    response = en_client.get(url("report_detail", report))

    assert response.context["missing"] == ["the conclusion (1.4)"]
    assert response.context["history"]


def test_schedule_sessions_from_the_plan_button(en_client, report):
    response = en_client.post(url("plan_sessions_create", report), follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "March 2024 has passed; no session was scheduled.",
        "June 2024 has passed; no session was scheduled.",
        "November 2024 has passed; no session was scheduled.",
    ]
