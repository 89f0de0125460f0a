"""Session model: validation, numbering constraint, calendar UID and derived dates."""

from __future__ import annotations

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.models import Session

from ..factories import CouncilFactory, TermFactory
from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import aware, make_session

D = datetime.date
T = datetime.time
LJUBLJANA = zoneinfo.ZoneInfo("Europe/Ljubljana")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def unsaved(council, **fields) -> Session:
    values = {
        "number": 99,
        "date": D(2025, 5, 20),
        "start_time": T(17, 0),
        "end_time": T(19, 0),
        "place": "Mestna hiša",
    }
    values.update(fields)
    return Session(council=council, **values)


def clean_errors(session: Session) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    return excinfo.value.message_dict


# clean -----------------------------------------------------------------------------


def test_session_clean_end_before_start_is_an_error_on_end_time(council):
    session = unsaved(council, start_time=T(18, 0), end_time=T(17, 0))
    assert clean_errors(session) == {"end_time": ["The session must end after it starts."]}


def test_session_clean_end_equal_to_start_is_an_error_on_end_time(council):
    session = unsaved(council, start_time=T(18, 0), end_time=T(18, 0))
    assert clean_errors(session) == {"end_time": ["The session must end after it starts."]}


def test_session_clean_without_end_time_is_valid(council):
    unsaved(council, end_time=None).full_clean()


def test_session_clean_overlap_with_another_session_is_an_error_on_start_time(council):
    make_session(council, date=D(2025, 5, 20), number=3, start=(17, 0), end=(19, 0))
    session = unsaved(council, start_time=T(18, 0), end_time=T(20, 0))
    assert clean_errors(session) == {"start_time": ["This clashes with Session 3 (17:00–19:00)."]}


def test_session_clean_session_inside_another_clashes(council):
    make_session(council, date=D(2025, 5, 20), number=3, start=(16, 0), end=(20, 0))
    session = unsaved(council, start_time=T(17, 0), end_time=T(18, 0))
    assert clean_errors(session) == {"start_time": ["This clashes with Session 3 (16:00–20:00)."]}


def test_session_clean_other_session_without_end_lasts_two_hours(council):
    make_session(council, date=D(2025, 5, 20), number=2, start=(16, 0), end=None)
    clashing = unsaved(council, start_time=T(17, 30), end_time=T(19, 0))
    assert clean_errors(clashing) == {"start_time": ["This clashes with Session 2 (16:00–18:00)."]}
    unsaved(council, start_time=T(18, 0), end_time=T(19, 0)).full_clean()


def test_session_clean_back_to_back_sessions_do_not_clash(council):
    make_session(council, date=D(2025, 5, 20), number=3, start=(17, 0), end=(19, 0))
    unsaved(council, start_time=T(19, 0), end_time=T(20, 0)).full_clean()
    unsaved(council, start_time=T(15, 0), end_time=T(17, 0)).full_clean()


def test_session_clean_same_time_on_another_day_does_not_clash(council):
    make_session(council, date=D(2025, 5, 19), number=3, start=(17, 0), end=(19, 0))
    unsaved(council).full_clean()


def test_session_clean_cancelled_session_does_not_clash(council):
    make_session(
        council, date=D(2025, 5, 20), number=3, start=(17, 0), end=(19, 0), status="cancelled"
    )
    unsaved(council).full_clean()


def test_session_clean_another_councils_session_does_not_clash(council, other_council):
    make_session(other_council, date=D(2025, 5, 20), number=1, start=(17, 0), end=(19, 0))
    unsaved(council, number=1).full_clean()


def test_session_clean_session_does_not_clash_with_itself(council):
    session = make_session(council, date=D(2025, 5, 20), number=3)
    session.end_time = T(20, 0)
    session.full_clean()


def test_session_clean_proposal_deadline_after_start_is_an_error(council):
    session = unsaved(council, proposal_deadline=aware(D(2025, 5, 20), 17, 1))
    assert clean_errors(session) == {
        "proposal_deadline": ["The deadline for proposals must be before the session starts."]
    }


def test_session_clean_proposal_deadline_at_start_is_allowed(council):
    unsaved(council, proposal_deadline=aware(D(2025, 5, 20), 17, 0)).full_clean()


def test_session_clean_term_of_another_council_is_an_error(council, other_council):
    foreign = TermFactory(council=other_council)
    assert clean_errors(unsaved(council, term=foreign)) == {
        "term": ["Choose one of this council's records."]
    }


# Number constraint -----------------------------------------------------------------


def test_session_number_unique_per_council_and_term_message(council):
    term = council.terms.get(start_date=D(2022, 12, 1))
    make_session(council, date=D(2025, 3, 1), number=5, term=term)
    duplicate = unsaved(council, number=5, term=term)
    assert clean_errors(duplicate) == {
        "number": ["Another session of this council in this term has this number."]
    }


def test_session_number_unique_is_enforced_by_the_database(council):
    term = council.terms.get(start_date=D(2022, 12, 1))
    make_session(council, date=D(2025, 3, 1), number=5, term=term)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(council, date=D(2025, 4, 1), number=5, term=term)


def test_session_number_may_repeat_in_another_term(council):
    make_session(
        council, date=D(2025, 3, 1), number=5, term=council.terms.get(start_date=D(2022, 12, 1))
    )
    next_term = council.terms.get(start_date=D(2026, 12, 1))
    unsaved(council, number=5, term=next_term, date=D(2027, 1, 10)).full_clean()


def test_session_number_may_repeat_in_another_council(council, other_council):
    make_session(
        council, date=D(2025, 3, 1), number=5, term=council.terms.get(start_date=D(2022, 12, 1))
    )
    other_term = TermFactory(council=other_council)
    unsaved(other_council, number=5, term=other_term).full_clean()


def test_session_number_of_a_cancelled_session_may_be_reused(council):
    term = council.terms.get(start_date=D(2022, 12, 1))
    make_session(council, date=D(2025, 3, 1), number=5, term=term, status="cancelled")
    session = unsaved(council, number=5, term=term)
    session.full_clean()
    session.save()
    assert Session.objects.filter(number=5).count() == 2


# Calendar UID ----------------------------------------------------------------------


def test_session_ical_uid_uses_the_site_domain(council, settings):
    settings.SITE_URL = "https://sosvet.example.si"
    session = make_session(council)
    assert session.ical_uid == f"session-{session.pk}@sosvet.example.si"


def test_session_ical_uid_is_stable_when_the_session_changes(council):
    session = make_session(council)
    before = session.ical_uid
    Session.objects.filter(pk=session.pk).update(
        date=D(2030, 1, 1), start_time=T(9, 0), place="Drugje", number=12
    )
    session.refresh_from_db()
    assert session.ical_uid == before
    assert Session.objects.get(pk=session.pk).ical_uid == before


def test_session_ical_uid_is_unique_per_session(council, other_council, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    sessions = [
        make_session(council, days=10),
        make_session(council, days=20),
        make_session(other_council, days=10),
    ]
    uids = [s.ical_uid for s in sessions]
    assert len(set(uids)) == 3
    assert uids[0] == f"session-{sessions[0].pk}@127.0.0.1"


# Derived dates ---------------------------------------------------------------------


def test_session_effective_proposal_deadline_defaults_to_three_days_before(council):
    session = make_session(council, date=D(2025, 5, 20), start=(17, 0))
    deadline = session.effective_proposal_deadline
    assert deadline == datetime.datetime(2025, 5, 17, 17, 0, tzinfo=LJUBLJANA)
    assert session.starts_at - deadline == datetime.timedelta(days=3)


def test_session_effective_proposal_deadline_is_the_explicit_one_when_set(council):
    explicit = aware(D(2025, 5, 19), 12, 0)
    session = make_session(council, date=D(2025, 5, 20), proposal_deadline=explicit)
    assert session.effective_proposal_deadline == explicit


def test_session_starts_at_and_ends_at_are_local_times(council):
    session = make_session(council, date=D(2025, 1, 15), start=(17, 0), end=None)
    assert session.starts_at == datetime.datetime(2025, 1, 15, 17, 0, tzinfo=LJUBLJANA)
    assert session.starts_at.utcoffset() == datetime.timedelta(hours=1)
    assert session.ends_at == datetime.datetime(2025, 1, 15, 19, 0, tzinfo=LJUBLJANA)


def test_session_accepts_proposals_before_the_deadline(council):
    assert make_session(council, days=14).accepts_proposals is True


def test_session_accepts_proposals_not_after_the_default_deadline(council):
    session = make_session(council, days=2)  # default deadline: 3 days before, passed
    assert session.accepts_proposals is False


def test_session_accepts_proposals_not_after_an_explicit_deadline(council):
    past = timezone.now() - datetime.timedelta(minutes=1)
    assert make_session(council, days=14, proposal_deadline=past).accepts_proposals is False


def test_session_accepts_proposals_until_the_deadline_inclusive(council):
    session = make_session(council, days=14)
    deadline = session.effective_proposal_deadline
    with mock.patch("django.utils.timezone.now", return_value=deadline):
        assert session.accepts_proposals is True
    with mock.patch(
        "django.utils.timezone.now", return_value=deadline + datetime.timedelta(seconds=1)
    ):
        assert session.accepts_proposals is False


@pytest.mark.parametrize("status", ["held", "closed", "cancelled"])
def test_session_accepts_proposals_not_when_not_editable(council, status):
    assert make_session(council, days=14, status=status).accepts_proposals is False


@pytest.mark.parametrize("status", ["draft", "convened"])
def test_session_accepts_proposals_when_draft_or_convened(council, status):
    assert make_session(council, days=14, status=status).accepts_proposals is True


def test_session_is_past_once_it_has_started(council):
    moment = timezone.localtime() - datetime.timedelta(hours=1)
    session = make_session(
        council, date=moment.date(), start=(moment.hour, moment.minute), end=None
    )
    assert session.is_past is True


def test_session_is_past_false_for_a_later_session(council):
    moment = timezone.localtime() + datetime.timedelta(hours=1)
    session = make_session(
        council, date=moment.date(), start=(moment.hour, moment.minute), end=None
    )
    assert session.is_past is False


def test_session_is_past_exactly_at_the_start(council):
    session = make_session(council, date=D(2025, 5, 20), start=(17, 0))
    with mock.patch("django.utils.timezone.now", return_value=session.starts_at):
        assert session.is_past is True
    earlier = session.starts_at - datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=earlier):
        assert session.is_past is False


def test_session_str_and_ordinal_label(council):
    session = make_session(council, date=D(2025, 5, 2), number=7)
    assert str(session) == "Session 7, 02/05/2025"
    assert session.ordinal_label == "Session 7"


def test_session_for_council_lists_only_that_councils_sessions(council):
    mine = make_session(council)
    make_session(CouncilFactory())
    assert list(Session.objects.for_council(council)) == [mine]
