"""Constant query counts for the minutes and task pages; tenant sealing of their records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import CouncilRole
from sessions import services
from sessions.models import AgendaItem, Session

from ..factories import CouncilRoleFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _held(council, number):
    session = Session.objects.create(
        council=council,
        number=number,
        date=timezone.localdate() - datetime.timedelta(days=30 + number),
        start_time=datetime.time(13, 0),
        place="x",
        status=Session.Status.HELD,
    )
    return session


def _minutes_with(council, secretary, count):
    session = _held(council, 1)
    person = PersonFactory(council=council)
    for n in range(count):
        AgendaItem.objects.create(session=session, position=n + 1, title=f"Točka {n}")
    minutes = services.minutes_start(session=session, by=secretary)
    for item in session.agenda_items.all():
        conclusion = services.conclusion_add(
            minutes=minutes, by=secretary, agenda_item=item, text="S"
        )
        services.task_create(
            conclusion=conclusion,
            by=secretary,
            data={"title": "N", "responsible_person": person, "due_date": timezone.localdate()},
        )
    return session, person


@pytest.mark.parametrize("item_count", [1, 3])
def test_minutes_page_query_count(
    client, django_assert_num_queries, council, secretary, item_count
):
    session, _person = _minutes_with(council, secretary, item_count)
    client.force_login(secretary)
    url = reverse("sessions:minutes", kwargs={"council_slug": council.slug, "pk": session.pk})
    client.get(url)
    with django_assert_num_queries(17):
        response = client.get(url)
    assert len(response.context["items"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_task_list_query_count(client, django_assert_num_queries, council, secretary, item_count):
    _minutes_with(council, secretary, item_count)
    client.force_login(secretary)
    url = reverse("sessions:task_list", kwargs={"council_slug": council.slug})
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["tasks"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_my_tasks_query_count(client, django_assert_num_queries, council, secretary, item_count):
    _session, person = _minutes_with(council, secretary, item_count)
    user = UserFactory(username="lastnik")
    person.user = user
    person.save()
    client.force_login(user)
    client.get(reverse("my_tasks"))
    with django_assert_num_queries(3):
        response = client.get(reverse("my_tasks"))
    assert len(response.context["tasks"]) == item_count


def test_other_councils_minutes_and_tasks_are_404_under_own_slug(
    client, council, other_council, secretary
):
    other_secretary = UserFactory(username="drugi")
    CouncilRoleFactory(council=other_council, user=other_secretary, role=CouncilRole.Role.SECRETARY)
    session, _person = _minutes_with(other_council, other_secretary, 1)
    task = session.conclusions.get().tasks.get()
    client.force_login(secretary)
    for url in (
        reverse("sessions:minutes", kwargs={"council_slug": council.slug, "pk": session.pk}),
        reverse("sessions:minutes_pdf", kwargs={"council_slug": council.slug, "pk": session.pk}),
        reverse("sessions:task_detail", kwargs={"council_slug": council.slug, "pk": task.pk}),
        reverse("sessions:task_edit", kwargs={"council_slug": council.slug, "pk": task.pk}),
    ):
        assert client.get(url).status_code == 404, url
    content = client.get(
        reverse("sessions:task_list", kwargs={"council_slug": council.slug})
    ).content.decode()
    assert f"/tasks/{task.pk}/" not in content
