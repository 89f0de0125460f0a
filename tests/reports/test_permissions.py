"""The reports rows of the permission matrix (tests/reports/permission_rows.py), run.

GET for every report URL and visitor; POST for the state-changing ones, checking that
those who may not change anything changed nothing.
"""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse

from reports import annual
from reports.models import AnnualReport, ReportRevision

from .conftest import held_session
from .permission_rows import (
    ANON,
    LOGIN,
    MATRIX_ROWS,
    MAYOR,
    MEMBER,
    MEMBER_ADOPTED_ROWS,
    OTHER,
    POST_ROWS,
    SECRETARY,
    VISITORS,
)

pytestmark = pytest.mark.django_db

STORED = b"%PDF-1.7 stored adopted bytes"


@pytest.fixture
def world(council, other_council, secretary, member, mayors_office, other_secretary):
    session = held_session(council, datetime.date(2024, 3, 19), 3, ["Poročilo"])
    adopted = AnnualReport.objects.create(
        council=council,
        year=2023,
        status=AnnualReport.Status.ADOPTED,
        intro_text="Uvod",
        adopted_on=session.date,
        adopted_at_session=session,
    )
    ReportRevision.objects.create(
        report=adopted,
        number=1,
        pdf=STORED,
        sha256=hashlib.sha256(STORED).hexdigest(),
        size=len(STORED),
        snapshot=annual.report_snapshot(report=adopted),
        language="sl",
        adopted_on=session.date,
        adopted_at_session=session,
    )
    draft = AnnualReport.objects.create(council=council, year=2024, intro_text="Uvod 2024")
    # Another council's report for the same year must never answer under this council.
    AnnualReport.objects.create(council=other_council, year=2024, intro_text="Tuje")
    return {
        "council": council,
        "draft": draft,
        "adopted": adopted,
        "users": {
            MEMBER: member,
            SECRETARY: secretary,
            MAYOR: mayors_office,
            OTHER: other_secretary,
        },
    }


def url_for(name: str, kind: str, world: dict) -> str:
    kwargs = {"council_slug": world["council"].slug}
    if kind in ("draft", "adopted"):
        kwargs["year"] = world[kind].year
    elif kind == "revision":
        kwargs.update(year=world["adopted"].year, number=1)
    return reverse(name, kwargs=kwargs)


def state() -> list:
    return [
        list(AnnualReport.objects.order_by("pk").values_list("pk", "status", "intro_text")),
        list(ReportRevision.objects.values_list("pk", "sha256", "published_at")),
    ]


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_report_permission_matrix(client, world, url_name, visitor):
    kind, expected = MATRIX_ROWS[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])

    response = client.get(url_for(url_name, kind, world))

    assert response.status_code == expected[visitor], (url_name, visitor)
    if expected[visitor] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", sorted(MEMBER_ADOPTED_ROWS))
def test_members_read_adopted_reports(client, world, url_name):
    kind, expected = MEMBER_ADOPTED_ROWS[url_name]
    client.force_login(world["users"][MEMBER])

    response = client.get(url_for(url_name, kind, world))

    assert response.status_code == expected
    if url_name.endswith("pdf"):
        assert response.content == STORED


def test_members_do_not_read_the_draft_of_a_correction(client, world):
    """During a correction the adopted revisions stay readable; the new draft does not."""
    AnnualReport.objects.filter(pk=world["adopted"].pk).update(status="draft")
    client.force_login(world["users"][MEMBER])

    assert client.get(url_for("reports:report_detail", "adopted", world)).status_code == 200
    assert client.get(url_for("reports:revision_pdf", "revision", world)).status_code == 200
    assert client.get(url_for("reports:report_pdf", "adopted", world)).status_code == 403
    assert client.get(url_for("reports:report_preview", "adopted", world)).status_code == 403


def test_members_list_only_adopted_reports(client, world):
    client.force_login(world["users"][MEMBER])

    response = client.get(url_for("reports:report_list", "council", world))

    assert [r.year for r in response.context["reports"]] == [2023]


def test_mayors_office_lists_drafts_too(client, world):
    client.force_login(world["users"][MAYOR])

    response = client.get(url_for("reports:report_list", "council", world))

    assert [r.year for r in response.context["reports"]] == [2024, 2023]
    assert "create_form" not in response.context


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url_name", sorted(POST_ROWS))
def test_report_post_permission_matrix(client, world, url_name, visitor):
    kind, expected = POST_ROWS[url_name]
    if visitor != ANON:
        client.force_login(world["users"][visitor])
    before = state()

    response = client.post(url_for(url_name, kind, world), {"reason": "Popravek imena."})

    assert response.status_code == expected[visitor], (url_name, visitor)
    if visitor != SECRETARY:
        assert state() == before


@pytest.mark.parametrize(
    ("year", "number"), [(0, 1), (1989, 1), (99999999999, 1), (2023, 0), (2023, 99999999999)]
)
def test_impossible_years_and_revisions_are_404_not_500(client, world, year, number):
    client.force_login(world["users"][SECRETARY])
    slug = world["council"].slug

    detail = client.get(
        reverse("reports:report_detail", kwargs={"council_slug": slug, "year": year})
    )
    revision = client.get(
        reverse(
            "reports:revision_pdf", kwargs={"council_slug": slug, "year": year, "number": number}
        )
    )

    assert detail.status_code == (200 if year == 2023 else 404)
    assert revision.status_code == 404


def test_another_councils_report_is_404_under_this_council(client, world, other_council):
    """The other council has a 2025 report; asked for under this council's slug: 404."""
    AnnualReport.objects.create(council=other_council, year=2025, intro_text="Tuje")
    client.force_login(world["users"][SECRETARY])

    response = client.get(
        reverse(
            "reports:report_detail", kwargs={"council_slug": world["council"].slug, "year": 2025}
        )
    )

    assert response.status_code == 404


def test_reports_list_shows_only_this_councils_reports(client, world):
    client.force_login(world["users"][SECRETARY])

    response = client.get(url_for("reports:report_list", "council", world))

    assert "Tuje" not in response.content.decode()
    assert {r.council_id for r in response.context["reports"]} == {world["council"].pk}


def test_reports_tab_is_shown_to_everyone_with_access(client, world):
    for visitor in (MEMBER, SECRETARY, MAYOR):
        client.force_login(world["users"][visitor])
        content = client.get(reverse("councils:council_detail", args=["ptuj"])).content.decode()
        assert f'href="{reverse("reports:report_list", args=["ptuj"])}"' in content, visitor


def test_anonymous_gets_the_same_answer_for_missing_councils(client, world):
    existing = client.get(url_for("reports:report_list", "council", world))
    missing = client.get(reverse("reports:report_list", kwargs={"council_slug": "nikjer"}))

    assert existing.status_code == missing.status_code == LOGIN


def test_stored_revision_is_served_byte_for_byte_with_its_digest(client, world):
    client.force_login(world["users"][MAYOR])

    response = client.get(url_for("reports:revision_pdf", "revision", world))

    assert response.content == STORED
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{hashlib.sha256(STORED).hexdigest()}"'


def test_site_admin_cannot_change_an_adopted_report_in_admin(client, world):
    from ..factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    adopted = world["adopted"]
    draft = world["draft"]

    change = reverse("admin:reports_annualreport_change", args=[adopted.pk])
    response = client.post(change, {"intro_text": "Ponarejeno"})
    revision = reverse("admin:reports_reportrevision_change", args=[adopted.revisions.get().pk])

    adopted.refresh_from_db()
    assert adopted.intro_text == "Uvod"
    assert response.status_code == 403
    assert client.get(change).status_code == 200  # view only
    assert client.get(revision).status_code == 200
    assert client.post(revision, {"sha256": "0" * 64}).status_code == 403
    draft_change = reverse("admin:reports_annualreport_change", args=[draft.pk])
    assert client.get(draft_change).status_code == 200
