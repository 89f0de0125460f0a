"""Approving the minutes: only at a session that has sat, never on a future date; the
internal minutes page while a correction is being prepared."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions import selectors, services
from sessions.models import AgendaItem, Minutes, MinutesVersion, Session

from ..factories import PersonFactory
from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import field_errors_html, make_session

pytestmark = pytest.mark.django_db

NOT_HELD = "Zapisnik je mogoče potrditi le na seji, ki je že bila."
FUTURE = "Datum potrditve ne sme biti v prihodnosti."


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def u(name: str, council, session) -> str:
    return reverse(f"sessions:{name}", kwargs={"council_slug": council.slug, "pk": session.pk})


@pytest.fixture
def minutes(council, secretary):
    """Draft minutes of a session held 30 days ago, with chair and recorder named."""
    held = make_session(council, days=-30, status=Session.Status.HELD, number=6)
    AgendaItem.objects.create(session=held, position=1, title="Varnost šolskih poti")
    minutes = services.minutes_start(session=held, by=secretary)
    person = PersonFactory(council=council)
    Minutes.objects.filter(pk=minutes.pk).update(chair=person, recorder=person)
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def sessions(council, minutes):
    """The sessions after the minutes' one: two that sat and five that did not (yet)."""
    make = make_session
    return {
        "held": make(council, days=-2, status=Session.Status.HELD, number=7),
        "convened_today": make(council, days=0, status=Session.Status.CONVENED, number=8),
        "draft_future": make(council, days=10, status=Session.Status.DRAFT, number=1),
        "draft_past": make(council, days=-5, status=Session.Status.DRAFT, number=9),
        "convened_future": make(council, days=3, status=Session.Status.CONVENED, number=10),
        "cancelled_past": make(council, days=-10, status=Session.Status.CANCELLED, number=11),
        "earlier": make(council, days=-40, status=Session.Status.CLOSED, number=5),
    }


def assert_nothing_saved(minutes):
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.approved_on is None
    assert minutes.approved_at_session is None
    assert not MinutesVersion.objects.exists()
    assert Session.objects.get(pk=minutes.session_id).status == Session.Status.HELD


# The service --------------------------------------------------------------------------


def test_sessions_for_approval_are_only_later_ones_that_have_sat(minutes, sessions):
    assert list(selectors.minutes_sessions_for_approval(minutes=minutes)) == [
        sessions["held"],
        sessions["convened_today"],
    ]


@pytest.mark.parametrize("which", ["held", "convened_today"])
def test_minutes_approve_at_a_session_that_has_sat(secretary, minutes, sessions, which):
    approving = sessions[which]

    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=approving, approved_on=approving.date
    )

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_session == approving
    assert minutes.versions.get().approved_on == approving.date


@pytest.mark.parametrize(
    "which", ["draft_future", "draft_past", "convened_future", "cancelled_past"]
)
def test_minutes_approve_refuses_a_session_that_has_not_sat(
    secretary, minutes, sessions, which, english
):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes,
            by=secretary,
            approved_at_session=sessions[which],
            approved_on=timezone.localdate(),
        )

    assert error.value.message_dict == {
        "approved_at_session": [
            "Minutes can only be approved at a session that has already been held."
        ]
    }
    assert_nothing_saved(minutes)


def test_minutes_approve_refuses_an_earlier_session(secretary, minutes, sessions, english):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes,
            by=secretary,
            approved_at_session=sessions["earlier"],
            approved_on=timezone.localdate(),
        )

    assert error.value.message_dict == {
        "approved_at_session": ["Minutes are approved at a later session."]
    }
    assert_nothing_saved(minutes)


def test_minutes_approve_refuses_a_held_session_dated_in_the_future(council, secretary, minutes):
    future = make_session(council, days=1, status=Session.Status.HELD, number=7)

    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes, by=secretary, approved_at_session=future, approved_on=days(0)
        )

    assert list(error.value.message_dict) == ["approved_at_session"]
    assert_nothing_saved(minutes)


@pytest.mark.parametrize("offset", [1, 10, 400])
def test_minutes_approve_refuses_a_date_in_the_future(
    secretary, minutes, sessions, offset, english
):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes,
            by=secretary,
            approved_at_session=sessions["held"],
            approved_on=days(offset),
        )

    assert error.value.message_dict == {
        "approved_on": ["The approval date cannot be in the future."]
    }
    assert_nothing_saved(minutes)


def test_minutes_approve_refuses_a_date_before_the_session(secretary, minutes, sessions, english):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes,
            by=secretary,
            approved_at_session=sessions["held"],
            approved_on=minutes.session.date - datetime.timedelta(days=1),
        )

    assert error.value.message_dict == {
        "approved_on": ["The minutes cannot be approved before the session was held."]
    }
    assert_nothing_saved(minutes)


def test_minutes_approve_refuses_another_councils_session(
    other_council, secretary, minutes, sessions, english
):
    foreign = make_session(other_council, days=-2, status=Session.Status.HELD, number=1)

    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes, by=secretary, approved_at_session=foreign, approved_on=days(0)
        )

    assert error.value.message_dict == {
        "approved_at_session": ["Choose a session of this council."]
    }
    assert_nothing_saved(minutes)


# The page -----------------------------------------------------------------------------


def test_approve_page_offers_only_sessions_that_have_sat(
    secretary_client, council, minutes, sessions
):
    response = secretary_client.get(u("minutes_approve", council, minutes.session))

    form = response.context["form"]
    assert list(form.fields["approved_at_session"].queryset) == [
        sessions["held"],
        sessions["convened_today"],
    ]
    assert form.initial["approved_at_session"] == sessions["held"]
    assert form.initial["approved_on"] == sessions["held"].date
    assert f'value="{sessions["draft_future"].pk}"' not in response.content.decode()


def test_approve_page_says_when_no_later_session_has_sat(secretary_client, council, minutes):
    make_session(council, days=10, status=Session.Status.DRAFT, number=1)

    response = secretary_client.get(u("minutes_approve", council, minutes.session))

    assert response.context["no_session_held"] is True
    assert "Poznejše seje še ni bilo." in response.content.decode()


def test_approve_post_of_a_future_draft_session_keeps_input_and_saves_nothing(
    secretary_client, council, minutes, sessions
):
    future = sessions["draft_future"]
    response = secretary_client.post(
        u("minutes_approve", council, minutes.session),
        {"approved_at_session": future.pk, "approved_on": future.date.isoformat()},
    )

    assert response.status_code == 200
    assert field_errors_html(response, "approved_at_session") == [NOT_HELD]
    assert field_errors_html(response, "approved_on") == [FUTURE]
    assert f'value="{future.date.isoformat()}"' in response.content.decode()
    assert_nothing_saved(minutes)


def test_approve_post_of_a_future_date_keeps_input_and_saves_nothing(
    secretary_client, council, minutes, sessions
):
    response = secretary_client.post(
        u("minutes_approve", council, minutes.session),
        {"approved_at_session": sessions["held"].pk, "approved_on": days(1).isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"approved_on": [FUTURE]}
    assert field_errors_html(response, "approved_on") == [FUTURE]
    assert f'value="{days(1).isoformat()}"' in response.content.decode()
    assert_nothing_saved(minutes)


def test_approve_post_of_a_date_before_the_session_is_refused_by_the_service(
    secretary_client, council, minutes, sessions
):
    before = minutes.session.date - datetime.timedelta(days=3)
    response = secretary_client.post(
        u("minutes_approve", council, minutes.session),
        {"approved_at_session": sessions["held"].pk, "approved_on": before.isoformat()},
    )

    assert response.status_code == 200
    assert len(field_errors_html(response, "approved_on")) == 1
    assert f'value="{before.isoformat()}"' in response.content.decode()
    assert_nothing_saved(minutes)


def test_approve_post_at_a_held_session_approves(secretary_client, council, minutes, sessions):
    held = sessions["held"]
    response = secretary_client.post(
        u("minutes_approve", council, minutes.session),
        {"approved_at_session": held.pk, "approved_on": held.date.isoformat()},
    )

    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert (minutes.approved_at_session, minutes.approved_on) == (held, held.date)


# The minutes page while a correction is prepared ---------------------------------------


def test_minutes_page_of_reopened_minutes_shows_the_official_version(
    secretary_client, council, secretary, minutes, sessions
):
    held = sessions["held"]
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=held, approved_on=held.date
    )
    services.minutes_publish(minutes=minutes, by=secretary)
    services.minutes_reopen(minutes=minutes, by=secretary, reason="Tipkarska napaka")

    response = secretary_client.get(u("minutes", council, minutes.session))
    content = " ".join(response.content.decode().split())

    assert response.context["official_version"].number == 1
    assert response.context["public_version"].number == 1
    assert "Osnutek popravka" in content
    assert '<span class="badge minutes-draft align-middle">Osnutek</span>' not in content
    assert "Različica 1, potrjena" in content
    assert "na 7. seji, ostaja uradni zapisnik, dokler popravek ni potrjen." in content
    assert "Javnost vidi javni del različice 1" in content
    assert "Potrjen " not in content


def test_minutes_page_of_a_correction_approved_but_unpublished_says_what_the_public_sees(
    secretary_client, council, secretary, minutes, sessions
):
    held, today = sessions["held"], sessions["convened_today"]
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=held, approved_on=held.date
    )
    services.minutes_publish(minutes=minutes, by=secretary)
    services.minutes_reopen(minutes=minutes, by=secretary, reason="Tipkarska napaka")
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=today, approved_on=today.date
    )

    content = " ".join(
        secretary_client.get(u("minutes", council, minutes.session)).content.decode().split()
    )

    assert "Osnutek popravka" not in content
    assert "na 8. seji." in content
    assert "Javnost vidi javni del različice 1" in content


def test_minutes_page_of_first_draft_has_the_plain_draft_badge(secretary_client, council, minutes):
    content = secretary_client.get(u("minutes", council, minutes.session)).content.decode()

    assert "Osnutek popravka" not in content
    assert "Javnost vidi" not in content
    assert response_badge(content) == "Osnutek"


def response_badge(content: str) -> str:
    start = content.index('class="badge minutes-')
    return content[content.index(">", start) + 1 : content.index("</span>", start)]


# The data migration ---------------------------------------------------------------------


def test_migration_marks_the_latest_version_of_published_minutes(
    council, secretary, minutes, sessions
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sessions.migrations.0003_minutesversion_published_at")
    held, today = sessions["held"], sessions["convened_today"]
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=held, approved_on=held.date
    )
    services.minutes_reopen(minutes=minutes, by=secretary, reason="Popravek")
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=today, approved_on=today.date
    )
    published_at = timezone.now() - datetime.timedelta(days=1)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.PUBLISHED, published_at=published_at
    )
    draft = make_session(council, days=-20, status=Session.Status.HELD, number=12)
    services.minutes_start(session=draft, by=secretary)

    migration.mark_published_versions(apps, None)

    assert list(
        MinutesVersion.objects.order_by("minutes", "number").values_list("number", "published_at")
    ) == [(1, None), (2, published_at)]
