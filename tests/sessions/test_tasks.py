"""Tasks set by a conclusion: the due date cannot be before the session that set them."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions import services
from sessions.models import AgendaItem, Session, Task

from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import field_errors_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
TOO_EARLY = "The due date cannot be before the session (18/11/2025)."


@pytest.fixture
def conclusion(council, secretary, members):
    session = Session.objects.create(
        council=council,
        number=3,
        date=D(2025, 11, 18),
        start_time=datetime.time(13, 0),
        place="Mestna hiša",
        status=Session.Status.HELD,
    )
    item = AgendaItem.objects.create(session=session, position=1, title="Varnost šolskih poti")
    minutes = services.minutes_start(session=session, by=secretary)
    return services.conclusion_add(minutes=minutes, by=secretary, agenda_item=item, text="Šola")


@pytest.fixture
def task(conclusion, secretary, members):
    return services.task_create(
        conclusion=conclusion,
        by=secretary,
        data={"title": "Znak", "responsible_person": members[0].person, "due_date": D(2026, 1, 31)},
    )


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        call()
    return excinfo.value.message_dict


def test_task_create_due_before_the_session_is_refused(conclusion, secretary, members):
    data = {"title": "Znak", "responsible_person": members[0].person, "due_date": D(2020, 1, 1)}
    errors = errors_of(lambda: services.task_create(conclusion=conclusion, by=secretary, data=data))
    assert errors == {"due_date": [TOO_EARLY]}
    assert not Task.objects.exists()


def test_task_create_due_on_the_session_day_is_accepted(conclusion, secretary, members):
    data = {"title": "Znak", "responsible_person": members[0].person, "due_date": D(2025, 11, 18)}
    task = services.task_create(conclusion=conclusion, by=secretary, data=data)
    assert Task.objects.get().due_date == task.due_date == D(2025, 11, 18)


def test_task_update_due_before_the_session_is_refused(task, secretary):
    errors = errors_of(
        lambda: services.task_update(task=task, by=secretary, data={"due_date": D(2025, 11, 17)})
    )
    assert errors == {"due_date": [TOO_EARLY]}
    task.refresh_from_db()
    assert task.due_date == D(2026, 1, 31)


def test_task_create_view_due_before_the_session_is_an_error_next_to_the_field(
    en_client, council, conclusion, members
):
    url = reverse(
        "sessions:task_create",
        kwargs={
            "council_slug": council.slug,
            "pk": conclusion.session_id,
            "conclusion_pk": conclusion.pk,
        },
    )
    response = en_client.post(
        url,
        {"title": "Znak", "responsible_person": members[0].person.pk, "due_date": "2020-01-01"},
    )
    assert response.status_code == 200
    assert field_errors_html(response, "due_date") == [TOO_EARLY]
    assert response.context["form"]["due_date"].value() == "2020-01-01"
    assert response.context["form"]["title"].value() == "Znak"
    assert not Task.objects.exists()


def test_task_edit_view_due_before_the_session_is_an_error_next_to_the_field(
    en_client, council, task, members
):
    url = reverse("sessions:task_edit", kwargs={"council_slug": council.slug, "pk": task.pk})
    response = en_client.post(
        url,
        {"title": "Znak 2", "responsible_person": members[0].person.pk, "due_date": "2020-01-01"},
    )
    assert response.status_code == 200
    assert field_errors_html(response, "due_date") == [TOO_EARLY]
    task.refresh_from_db()
    assert (task.title, task.due_date) == ("Znak", D(2026, 1, 31))


def test_task_create_view_due_before_the_session_in_slovenian(
    client, secretary, council, conclusion, members
):
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sl"
    url = reverse(
        "sessions:task_create",
        kwargs={
            "council_slug": council.slug,
            "pk": conclusion.session_id,
            "conclusion_pk": conclusion.pk,
        },
    )
    response = client.post(
        url,
        {"title": "Znak", "responsible_person": members[0].person.pk, "due_date": "2020-01-01"},
    )
    assert field_errors_html(response, "due_date") == ["Rok ne sme biti pred sejo (18. 11. 2025)."]
