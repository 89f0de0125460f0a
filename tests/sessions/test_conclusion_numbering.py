"""Conclusions numbered in the order of the minutes; approved numbers never change; the
removal of a conclusion and the publication of minutes are confirmed first."""

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import Conclusion, Minutes

from .fixtures_extra import en_client  # noqa: F401
from .test_minutes_flow import following, held  # noqa: F401

pytestmark = pytest.mark.django_db


def labels(session):
    return [
        (c.agenda_item.position, c.label, c.text)
        for c in Conclusion.objects.filter(session=session).select_related("agenda_item", "session")
    ]


def add(minutes, secretary, item, text):
    return services.conclusion_add(minutes=minutes, by=secretary, agenda_item=item, text=text)


def test_conclusions_follow_the_agenda_when_added_moved_and_deleted(
    council,
    secretary,
    members,
    held,  # noqa: F811
):
    minutes = services.minutes_start(session=held, by=secretary)
    one, two = held.agenda_items.order_by("position")
    add(minutes, secretary, one, "A")
    b = add(minutes, secretary, two, "B")
    c = add(minutes, secretary, one, "C")  # added under item 1 after item 2 had 3/2
    assert c.label == "3/2"
    assert labels(held) == [(1, "3/1", "A"), (1, "3/2", "C"), (2, "3/3", "B")]
    services.conclusion_update(
        conclusion=Conclusion.objects.get(pk=b.pk),
        by=secretary,
        text="B",
        is_public=True,
        agenda_item=one,
    )
    assert labels(held) == [(1, "3/1", "A"), (1, "3/2", "C"), (1, "3/3", "B")]
    services.conclusion_update(
        conclusion=Conclusion.objects.get(text="A"),
        by=secretary,
        text="A",
        is_public=True,
        agenda_item=two,
    )
    assert labels(held) == [(1, "3/1", "C"), (1, "3/2", "B"), (2, "3/3", "A")]
    services.conclusion_delete(conclusion=Conclusion.objects.get(text="C"), by=secretary)
    assert labels(held) == [(1, "3/1", "B"), (2, "3/2", "A")]


def test_approved_numbers_never_change_in_a_correction(
    council,
    secretary,
    members,
    held,  # noqa: F811
    following,  # noqa: F811
):
    minutes = services.minutes_start(session=held, by=secretary)
    one, two = held.agenda_items.order_by("position")
    add(minutes, secretary, one, "A")
    add(minutes, secretary, two, "B")
    minutes.chair, minutes.recorder = members[0].person, members[1].person
    minutes.save()
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=following, approved_on=following.date
    )
    snapshot = minutes.versions.get().snapshot
    services.minutes_reopen(minutes=minutes, by=secretary, reason="Popravek")
    minutes = Minutes.objects.get(pk=minutes.pk)
    added = add(minutes, secretary, one, "C")
    assert labels(held) == [(1, "3/1", "A"), (2, "3/2", "B"), (1, "3/3", "C")]
    services.conclusion_delete(conclusion=Conclusion.objects.get(text="B"), by=secretary)
    services.conclusion_delete(conclusion=Conclusion.objects.get(pk=added.pk), by=secretary)
    again = add(minutes, secretary, two, "D")
    assert again.label == "3/3"  # 3/2 was an official number: never given again
    assert labels(held) == [(1, "3/1", "A"), (2, "3/3", "D")]
    assert minutes.versions.get().snapshot == snapshot


def test_conclusion_removal_is_confirmed_first(
    en_client,  # noqa: F811
    council,
    secretary,
    members,
    held,  # noqa: F811
):
    minutes = services.minutes_start(session=held, by=secretary)
    one, two = held.agenda_items.order_by("position")
    first = add(minutes, secretary, one, "Prvi sklep")
    add(minutes, secretary, two, "Drugi sklep")
    url = reverse("sessions:conclusion_delete", args=[council.slug, held.pk, first.pk])
    page = en_client.get(url).content.decode()
    assert "Remove conclusion 3/1" in page
    assert "Prvi sklep" in page
    assert "3/2 becomes 3/1" in page
    assert Conclusion.objects.count() == 2
    en_client.post(url)
    assert labels(held) == [(2, "3/1", "Drugi sklep")]


def test_minutes_publication_is_confirmed_first(
    en_client,  # noqa: F811
    council,
    secretary,
    members,
    held,  # noqa: F811
    following,  # noqa: F811
):
    minutes = services.minutes_start(session=held, by=secretary)
    add(minutes, secretary, held.agenda_items.get(position=1), "Javni sklep")
    minutes.chair, minutes.recorder = members[0].person, members[1].person
    minutes.save()
    services.minutes_approve(
        minutes=minutes, by=secretary, approved_at_session=following, approved_on=following.date
    )
    url = reverse("sessions:minutes_publish", args=[council.slug, held.pk])
    page = en_client.get(url).content.decode()
    assert "becomes visible to everyone" in page
    assert "Conclusion 3/1:" in page
    assert Minutes.objects.get().status == Minutes.Status.APPROVED
    en_client.post(url)
    assert Minutes.objects.get().status == Minutes.Status.PUBLISHED
