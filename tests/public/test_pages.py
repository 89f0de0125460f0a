"""The public pages (/javno/): what they show, what they never show, and 404s."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.conf import settings
from django.urls import reverse

from councils.models import Council, Person
from sessions import services as session_services
from sessions.models import Minutes, MinutesVersion, Session

from ..factories import CouncilFactory, MunicipalityFactory
from .conftest import PDF, D, T, make_session, publish_minutes

pytestmark = pytest.mark.django_db


def url(name: str, council, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"council_slug": council.slug, **kwargs})


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# The index ------------------------------------------------------------------------------


def test_index_lists_only_published_councils(client, public_council, other_council):
    CouncilFactory(name="Objavljeni sosvet Ormož", slug="ormoz", is_published=True)

    response = client.get(reverse("public:index"))

    names = [c.name for c in response.context["councils"]]
    assert names == ["Objavljeni sosvet Ormož", "Varnostni sosvet Mestne občine Ptuj"]
    assert other_council.name not in text(response)
    assert f'href="{url("council", public_council)}"' in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ptuj", ["Varnostni sosvet Mestne občine Ptuj"]),
        ("ORMOŽ", ["Sosvet Spodnje Podravje"]),  # a founding municipality, any case
        ("spodnje", ["Sosvet Spodnje Podravje"]),
        ("sosvet", ["Sosvet Spodnje Podravje", "Varnostni sosvet Mestne občine Ptuj"]),
        ("nikjer", []),
    ],
)
def test_index_search_by_name_and_municipality(client, public_council, query, expected):
    joint = CouncilFactory(name="Sosvet Spodnje Podravje", slug="sp", is_published=True)
    joint.municipalities.add(MunicipalityFactory(name="Občina Ormož"))
    joint.municipalities.add(MunicipalityFactory(name="Občina Središče ob Dravi"))

    response = client.get(reverse("public:index"), {"q": query})

    assert [c.name for c in response.context["councils"]] == expected
    content = text(response)
    assert f'value="{query}"' in content  # the search box keeps the query (works without JS)
    if not expected:
        assert "Iskanju ne ustreza noben sosvet" in content or "No council matches" in content


def test_index_is_paginated_and_keeps_the_search(client):
    for n in range(23):
        CouncilFactory(name=f"Sosvet {n:02d}", slug=f"sosvet-{n}", is_published=True)

    first = client.get(reverse("public:index"), {"q": "Sosvet"})
    second = client.get(reverse("public:index"), {"q": "Sosvet", "page": 2})

    assert len(first.context["councils"]) == 20
    assert [c.name for c in second.context["councils"]] == ["Sosvet 20", "Sosvet 21", "Sosvet 22"]
    assert "?q=Sosvet&amp;page=2" in text(first)


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999"])
def test_index_bad_page_numbers_are_not_errors(client, public_council, page):
    assert client.get(reverse("public:index"), {"page": page}).status_code == 200


def test_index_very_long_search_is_cut_not_an_error(client, public_council):
    response = client.get(reverse("public:index"), {"q": "ptuj" * 500})

    assert response.status_code == 200
    assert len(response.context["search"]) == 100


# The council's page ---------------------------------------------------------------------


def test_council_page_shows_the_profile(client, world):
    council = world["council"]

    content = text(client.get(url("council", council)))

    assert "<h1" in content and council.name in content
    for expected in (
        "Mestna občina Ptuj",
        "Policijska postaja Ptuj",  # no text in the profile: the police organisation
        "Namen sosveta: varnejša občina.",
        "Naloge sosveta.",
        "Cilji sosveta.",
        'href="mailto:varnostni.sosvet@ptuj.example"',
    ):
        assert expected in content, expected


def test_council_page_lists_current_members_by_organisation_without_contact_data(client, world):
    response = client.get(url("council", world["council"]))
    content = text(response)

    groups = [
        (g.organisation, [(m.name, m.role, m.kind) for m in g.members])
        for g in response.context["member_groups"]
    ]
    assert groups == [
        ("Policijska postaja Ptuj", [("Nuška Gajšek", "chair", "standing")]),
        ("Osnovna šola Mladika", [("Jure Ribič", "member", "non_standing")]),
    ]
    assert "Bivši Član" not in content  # the membership has ended
    assert "zasebno.test" not in content
    assert "SKRITO" not in content


def test_council_page_shows_convened_sessions_with_their_public_items_only(client, world):
    council = world["council"]
    response = client.get(url("council", council))
    content = text(response)

    assert [s.pk for s in response.context["upcoming"]] == [
        world["upcoming"].pk,
        world["cancelled"].pk,
    ]
    assert "Javna točka sklica" in content
    assert "SKRITO: zaprta točka sklica" not in content
    assert "SKRITO: točka osnutka seje" not in content  # a draft session
    assert "SKRITO: odpovedan osnutek" not in content  # cancelled before it was convened
    assert url("session", council, pk=world["draft"].pk) not in content
    assert "meet.example.test" not in content  # the members' online meeting link


def test_council_page_shows_past_sessions_with_public_conclusions(client, world):
    council = world["council"]
    response = client.get(url("council", council))
    content = text(response)

    assert [s.pk for s in response.context["past_sessions"]] == [
        world["held_draft_minutes"].pk,
        world["held"].pk,
    ]
    assert "Sklep o prometni varnosti." in content
    assert "SKRITO" not in content
    assert url("session", council, pk=world["held"].pk) + "#minutes" in content


def test_council_page_lists_only_published_reports(client, world):
    council = world["council"]
    response = client.get(url("council", council))
    content = text(response)

    assert [r.report.year for r in response.context["reports"]] == [2023]
    assert url("report", council, year=2023) in content
    assert url("report_pdf", council, year=2023) in content
    assert url("report", council, year=2022) not in content
    assert url("report", council, year=2024) not in content


def test_council_page_shows_the_indicator_charts_and_tables(client, world):
    content = text(client.get(url("council", world["council"])))

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content
    assert 'id="chart-crime_total"' in content
    assert "<caption" in content and "2019–2023" in content
    # Below the section's h2, the categories are h3 and the indicators h4.
    assert '<h3 class="h4 mt-4 mb-3" id="indicator-category-crime">' in content
    assert '<h4 class="h5 card-title" id="indicator-crime_total-heading">' in content


def test_council_page_links_the_feeds(client, world):
    council = world["council"]
    content = text(client.get(url("council", council)))

    assert f'type="application/atom+xml" href="{url("feed", council)}"' in content
    assert f'type="text/calendar" href="{url("calendar", council)}"' in content
    assert f'value="{settings.SITE_URL}{url("calendar", council)}"' in content
    assert f'<link rel="canonical" href="{settings.SITE_URL}{url("council", council)}">' in content


def test_council_page_in_english_with_the_language_cookie(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = text(client.get(url("council", world["council"])))

    assert '<html lang="en">' in content
    assert "Upcoming sessions" in content
    assert 'lang="sl"' in content  # the council's own texts are marked as Slovenian


def test_council_page_is_slovenian_by_default(client, world):
    content = text(client.get(url("council", world["council"])))

    assert '<html lang="sl">' in content
    assert "<title>Varnostni sosvet Mestne občine Ptuj · sosvet</title>" in content
    assert '<meta name="description" content="Namen sosveta: varnejša občina.">' in content


def test_past_sessions_are_paginated(client, public_council):
    from .conftest import make_session

    for n in range(12):
        make_session(
            public_council,
            datetime.date(2023, 1, 10) + datetime.timedelta(days=20 * n),
            status="held",
            number=n + 1,
        )

    first = client.get(url("council", public_council))
    second = client.get(url("council", public_council), {"page": 2})

    assert len(first.context["past_sessions"]) == 10
    assert len(second.context["past_sessions"]) == 2
    assert client.get(url("council", public_council), {"page": "zzz"}).status_code == 200


def test_working_groups_and_parent_link_only_when_published(client, public_council):
    group = CouncilFactory(name="Delovna skupina A", slug="ds-a", parent=public_council)
    hidden = CouncilFactory(name="Neobjavljena skupina", slug="ds-b", parent=public_council)
    Council.objects.filter(pk=group.pk).update(is_published=True)

    parent_page = text(client.get(url("council", public_council)))
    group_page = text(client.get(url("council", group)))

    assert url("council", group) in parent_page
    assert hidden.name not in parent_page
    assert url("council", public_council) in group_page


# The session page -----------------------------------------------------------------------


def test_session_page_shows_the_public_part_of_published_minutes(client, world):
    council, held = world["council"], world["held"]

    response = client.get(url("session", council, pk=held.pk))
    content = text(response)

    minutes = response.context["public_minutes"]
    assert [(i.title, [c.text for c in i.conclusions]) for i in minutes.items] == [
        ("Varnost v prometu", ["Sklep o prometni varnosti."])
    ]
    assert minutes.hidden_item_count == 1
    assert 'id="minutes"' in content
    assert "Povzetek razprave. (Varnost v prometu)" in content
    assert "Sklep 2/1:" in content
    assert "SKRITO" not in content
    assert "meet.example.test" not in content


def test_session_page_of_a_convened_session_shows_public_items(client, world):
    council, upcoming = world["council"], world["upcoming"]

    content = text(client.get(url("session", council, pk=upcoming.pk)))

    assert "Javna točka sklica" in content
    assert "SKRITO" not in content


def test_session_page_of_a_cancelled_session_says_so(client, world):
    content = text(client.get(url("session", world["council"], pk=world["cancelled"].pk)))

    assert "Ta seja je odpovedana." in content


def test_session_with_draft_minutes_shows_no_conclusions(client, world):
    content = text(client.get(url("session", world["council"], pk=world["held_draft_minutes"].pk)))

    assert "Počitniški čas" in content  # the public agenda item
    assert "SKRITO" not in content


def _time_shown(content: str) -> str:
    """The "Time" (Čas) row of a public session page."""
    import re

    return re.search(r"<dt>Čas</dt>\s*<dd>(.*?)</dd>", content, re.S).group(1)


def test_session_page_shows_the_times_the_published_minutes_record(client, public_council):
    session = make_session(
        public_council, D(2024, 9, 17), status=Session.Status.HELD, number=5, items=[("A", True)]
    )
    publish_minutes(session, [], times=(T(13, 5), T(14, 50)))

    content = text(client.get(url("session", public_council, pk=session.pk)))

    assert _time_shown(content) == "13:05–14:50"


def test_session_page_without_recorded_times_shows_the_planned_ones(client, world):
    content = text(client.get(url("session", world["council"], pk=world["held"].pk)))

    assert _time_shown(content) == "13:00–15:00"


def test_session_page_never_shows_the_times_of_unpublished_minutes(client, world):
    held = world["held_draft_minutes"]
    Minutes.objects.filter(session=held).update(started_at=T(13, 5), ended_at=T(14, 50))

    content = text(client.get(url("session", world["council"], pk=held.pk)))

    assert _time_shown(content) == "13:00–15:00"


def test_session_page_of_a_version_stored_without_times_shows_the_planned_ones(
    client, public_council
):
    """A version approved before the times were kept: its snapshot is read as it is (its
    stored bytes are never rewritten) and the page falls back to the planned times."""
    session = make_session(
        public_council, D(2024, 9, 17), status=Session.Status.HELD, number=5, items=[("A", True)]
    )
    minutes = publish_minutes(session, [], times=(T(13, 5), T(14, 50)))
    version = minutes.versions.get()
    old = dict(version.snapshot)
    del old["started_at"], old["ended_at"]
    MinutesVersion.objects.filter(pk=version.pk).update(snapshot=old)

    content = text(client.get(url("session", public_council, pk=session.pk)))

    assert _time_shown(content) == "13:00–15:00"
    version.refresh_from_db()
    assert version.snapshot == old and bytes(version.pdf) == b"%PDF-1.7 minutes"


def _correct(held, approving, text_after):
    """Re-open the published minutes of ``held``, change its public conclusion, approve
    the correction at ``approving`` (version 2); not published."""
    minutes = held.minutes
    session_services.minutes_reopen(minutes=minutes, by=None, reason="Popravek sklepa.")
    chair = Person.objects.filter(council=held.council).first()
    Minutes.objects.filter(pk=minutes.pk).update(chair=chair, recorder=chair)
    conclusion = held.conclusions.get(text="Sklep o prometni varnosti.")
    session_services.conclusion_update(
        conclusion=conclusion, by=None, text=text_after, is_public=True
    )
    minutes.refresh_from_db()
    session_services.minutes_approve(
        minutes=minutes, by=None, approved_at_session=approving, approved_on=approving.date
    )
    return minutes


def test_reopened_minutes_keep_their_published_version_public(client, world):
    council, held = world["council"], world["held"]
    session_services.minutes_reopen(minutes=held.minutes, by=None, reason="Popravek.")

    response = client.get(url("session", council, pk=held.pk))
    page = text(client.get(url("council", council)))

    minutes = response.context["public_minutes"]
    assert minutes.version == 1
    assert [c.text for c in minutes.conclusions] == ["Sklep o prometni varnosti."]
    assert "Sklep o prometni varnosti." in text(response)
    assert "SKRITO" not in text(response)
    assert "Sklep o prometni varnosti." in page
    assert "SKRITO" not in page


def test_corrected_minutes_become_public_only_when_published(client, world):
    council, held = world["council"], world["held"]
    minutes = _correct(held, world["held_draft_minutes"], "Popravljen sklep o prometu.")

    approved = client.get(url("session", council, pk=held.pk))

    assert approved.context["public_minutes"].version == 1
    assert "Sklep o prometni varnosti." in text(approved)
    assert "Popravljen sklep o prometu." not in text(approved)
    assert "Popravljen sklep o prometu." not in text(client.get(url("council", council)))

    session_services.minutes_publish(minutes=minutes, by=None)
    published = client.get(url("session", council, pk=held.pk))
    page = text(client.get(url("council", council)))

    assert published.context["public_minutes"].version == 2
    assert "Popravljen sklep o prometu." in text(published)
    assert "Različica 2." in text(published)
    assert "Sklep o prometni varnosti." not in text(published)
    assert "Popravljen sklep o prometu." in page
    assert "Sklep o prometni varnosti." not in page
    assert "SKRITO" not in text(published) + page


def test_reopened_minutes_that_were_never_published_are_not_public(client, world):
    council, held = world["council"], world["held"]
    MinutesVersion.objects.filter(minutes__session=held).update(published_at=None)
    Minutes.objects.filter(session=held).update(status=Minutes.Status.APPROVED, published_at=None)
    session_services.minutes_reopen(minutes=held.minutes, by=None, reason="Popravek.")

    response = client.get(url("session", council, pk=held.pk))

    assert response.context["public_minutes"] is None
    assert "Sklep o prometni varnosti." not in text(response)
    assert "Sklep o prometni varnosti." not in text(client.get(url("council", council)))


def test_approved_but_unpublished_minutes_are_not_public(client, world):
    held = world["held"]
    MinutesVersion.objects.filter(minutes__session=held).update(published_at=None)
    Minutes.objects.filter(session=held).update(status=Minutes.Status.APPROVED)

    content = text(client.get(url("session", world["council"], pk=held.pk)))

    assert "Sklep o prometni varnosti." not in content


@pytest.mark.parametrize("which", ["draft", "cancelled_draft", "foreign_session"])
def test_sessions_that_are_not_public_here_are_404(client, world, which):
    response = client.get(url("session", world["council"], pk=world[which].pk))

    assert response.status_code == 404


@pytest.mark.parametrize("pk", [0, 999999, 2**63, 10**30])
def test_impossible_session_numbers_are_404(client, world, pk):
    assert client.get(url("session", world["council"], pk=pk)).status_code == 404


# The report page and its PDF ---------------------------------------------------------------


def test_report_page_renders_the_adopted_document_inside_the_site(client, world):
    council = world["council"]

    response = client.get(url("report", council, year=2023))
    content = text(response)

    assert response.context["revision"].report == world["published_report"]
    assert '<div class="public-document annual-report" lang="sl">' in content
    assert "Uvod poročila." in content
    assert content.count("<h1") == 1
    assert url("report_pdf", council, year=2023) in content
    assert (
        "<title>Poročilo o delu 2023 in plan dela 2024 · Varnostni sosvet Mestne občine Ptuj"
        in content
    )
    assert "SKRITO" not in content


def test_report_pdf_is_the_stored_bytes(client, world):
    response = client.get(url("report_pdf", world["council"], year=2023))

    assert response.status_code == 200
    assert response.content == PDF + b"2023"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="ptuj-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{hashlib.sha256(PDF + b"2023").hexdigest()}"'


def test_corrected_report_stays_public_in_its_published_revision(client, world):
    """While a published report is corrected, the public keeps the published revision."""
    from reports import services

    services.report_reopen(report=world["published_report"], by=None, reason="Popravek.")

    page = client.get(url("report", world["council"], year=2023))
    pdf = client.get(url("report_pdf", world["council"], year=2023))

    assert page.status_code == 200
    assert pdf.content == PDF + b"2023"


@pytest.mark.parametrize("year", [2022, 2024, 2025, 0, 1989, 2101, 99999999999])
@pytest.mark.parametrize("name", ["report", "report_pdf"])
def test_unpublished_or_missing_reports_are_404(client, world, name, year):
    """2022 is adopted but not published, 2024 a draft, 2025 missing; the rest impossible."""
    assert client.get(url(name, world["council"], year=year)).status_code == 404


def test_another_councils_published_report_is_404_under_this_council(client, world):
    from .conftest import adopt_report, make_session

    other = CouncilFactory(name="Drug sosvet", slug="drug", is_published=True)
    session = make_session(other, datetime.date(2024, 2, 2), status="held", number=1)
    adopt_report(other, 2021, session)

    assert client.get(url("report", world["council"], year=2021)).status_code == 404
    assert client.get(url("report", other, year=2021)).status_code == 200


# Links into the public pages ---------------------------------------------------------------


def test_home_page_and_footer_link_the_public_index(client):
    content = text(client.get(reverse("home")))

    assert content.count(f'href="{reverse("public:index")}"') == 2


def test_internal_overview_links_the_public_page_when_published(client, world, secretary):
    client.force_login(secretary)
    council = world["council"]
    overview = reverse("councils:council_detail", kwargs={"council_slug": council.slug})

    assert f'href="{url("council", council)}"' in text(client.get(overview))
    Council.objects.filter(pk=council.pk).update(is_published=False)
    assert f'href="{url("council", council)}"' not in text(client.get(overview))
