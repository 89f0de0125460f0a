"""The benchmarks stay runnable: their modules import, the dataset seeds at a tiny scale,
the benchmark URLconf adds the minimal view (production's has none), the sign-in and the
wrk script work against a live server. No test here measures time."""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from bench import dataset, harness, load, national, page_costs
from councils.models import Council, IndicatorValue, Person
from reports.models import ReportRevision
from sessions.models import Minutes, MinutesVersion, Session

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def seeded(db):
    return dataset.seed(
        dataset.Scale(councils=2, years=1), today=TODAY, render_pdfs=False, log=lambda _: None
    )


def test_seed_a_tiny_national_dataset(seeded):
    councils = list(Council.objects.order_by("slug"))
    assert [c.slug for c in councils] == ["vs-001", "vs-002"]
    assert all(c.is_published for c in councils)
    # The first council is a joint one; every council has a session convened ahead.
    assert councils[0].municipalities.count() >= 2
    assert councils[1].municipalities.count() == 1
    for council in councils:
        assert Session.objects.filter(council=council, status="convened", date__gt=TODAY).exists()
        assert Minutes.objects.filter(session__council=council, status="published").exists()
    assert MinutesVersion.objects.count() == Minutes.objects.filter(status="published").count()
    assert not MinutesVersion.objects.filter(published_at__isnull=True).exists()  # public
    # Every full year has a published report whose snapshot carries the indicator annex.
    revisions = ReportRevision.objects.filter(published_at__isnull=False)
    assert revisions.count() == 2
    assert all(r.snapshot["indicators"]["years"][-1] == 2025 for r in revisions)
    assert IndicatorValue.objects.filter(year=2025).count() == 9 * sum(
        c.municipalities.count() for c in councils
    )
    assert seeded.rows["council"] == 2


def test_seeded_logins_sign_in_and_reach_their_council(seeded, client):
    secretary = get_user_model().objects.get(username="bench-tajnik-001")
    member = get_user_model().objects.get(username="bench-clan-001")
    assert secretary.check_password(dataset.BENCH_PASSWORD)
    assert Person.objects.filter(user=member, council__slug="vs-001").exists()
    client.force_login(member)
    url = reverse("sessions:session_list", kwargs={"council_slug": "vs-001"})
    assert client.get(url).status_code == 200


def test_seeding_refuses_an_installation_with_councils(seeded):
    with pytest.raises(RuntimeError):
        dataset.seed(dataset.Scale(councils=1, years=1), render_pdfs=False, log=lambda _: None)


def test_public_pages_of_the_dataset_show_no_private_contact_data(seeded, client):
    try:
        paths = national.public_paths()
    except SystemExit:
        pytest.skip("the public council page does not exist yet")
    emails = list(Person.objects.values_list("email", flat=True))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert not [email for email in emails if email in html]


@override_settings(ROOT_URLCONF="bench.urls")
def test_page_costs_measures_every_part(seeded):
    figures = page_costs.measure(slugs=["vs-001", "vs-002"], batches=1)

    assert {"minimal view", "public page, cache on", "public page, cache off"} <= set(figures)
    assert "  members" in figures and "the same SQL through a cursor" in figures
    assert all(ms >= 0 for ms in figures.values())


def test_minimal_view_only_in_the_benchmark_urlconf(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench_minimal")
    assert reverse("bench_minimal", urlconf="bench.urls") == harness.MINIMAL_PATH
    with override_settings(ROOT_URLCONF="bench.urls"):
        response = client.get(harness.MINIMAL_PATH)
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.get(harness.MINIMAL_PATH).status_code == 404


def test_terms_cover_the_years():
    terms = dataset._terms_for(datetime.date(2016, 1, 1), datetime.date(2027, 1, 31))
    assert terms == [
        (datetime.date(2014, 12, 1), datetime.date(2018, 11, 30)),
        (datetime.date(2018, 12, 1), datetime.date(2022, 11, 30)),
        (datetime.date(2022, 12, 1), datetime.date(2026, 11, 30)),
        (datetime.date(2026, 12, 1), datetime.date(2030, 11, 30)),
    ]


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_wrk_script_against_a_live_server(live_server, tmp_path, monkeypatch):
    dataset.seed(
        dataset.Scale(councils=1, years=1), today=TODAY, render_pdfs=False, log=lambda _: None
    )
    port = int(live_server.url.rsplit(":", 1)[1])
    cookie = load.sign_in(port, "bench-tajnik-001")
    assert "sessionid=" in cookie
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk)")
    monkeypatch.setattr(harness, "WORKDIR", tmp_path)
    result = harness.run_wrk(
        base_url=live_server.url,
        clients=[
            ("dashboard", cookie, [reverse("dashboard")]),
            ("anonymous", "", [reverse("dashboard")]),  # a redirect: counted as an error
        ],
        seconds=1,
        connections=2,
        threads=2,
        name="smoke",
    )
    assert result["requests"] > 0
    assert set(result["requests_by_kind"]) == {"dashboard", "anonymous"}
    assert "dashboard 200" not in result["errors_by_kind"]
    assert result["errors_by_kind"]["anonymous 302"] == result["requests_by_kind"]["anonymous"]
    assert result["errors"] >= result["requests_by_kind"]["anonymous"]
