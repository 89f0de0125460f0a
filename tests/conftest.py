"""Shared fixtures: a council, another council, and a login for every role."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from councils.models import CouncilRole

from .factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MembershipFactory,
    PersonFactory,
    TermFactory,
    UserFactory,
)

# Hypothesis: CI runs the same examples every time (derandomize); elsewhere new ones are
# explored. A failure prints the example and a @reproduce_failure blob to replay it.
# HYPOTHESIS_PROFILE=ci reproduces CI's examples locally.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vobject_timezones():
    """vobject keeps the first VTIMEZONE it reads for a TZID in a process-wide registry
    and reuses it for every later calendar: a calendar whose VTIMEZONE covers other years
    would then be read with the wrong summer time. Each test starts with a clean one."""
    import vobject.icalendar

    registry = vars(vobject.icalendar)["__tzidMap"]
    kept = dict(registry)
    registry.clear()
    registry.update({k: v for k, v in kept.items() if k == "UTC"})
    yield


@pytest.fixture
def council(db):
    council = CouncilFactory(name="Varnostni sosvet Mestne občine Ptuj", slug="ptuj")
    TermFactory(council=council)
    return council


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Varnostni sosvet Drugje", slug="drugje")


@pytest.fixture
def secretary(council):
    user = UserFactory(username="tajnik")
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.SECRETARY)
    return user


@pytest.fixture
def chair(council):
    user = UserFactory(username="predsednik")
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.CHAIR)
    return user


@pytest.fixture
def member(council):
    """A member through an active membership of a person linked to the account."""
    user = UserFactory(username="clan")
    person = PersonFactory(council=council, user=user, first_name="Simona", last_name="Rajh")
    MembershipFactory(council=council, person=person)
    return user


@pytest.fixture
def mayors_office(council):
    user = UserFactory(username="zupanstvo")
    CouncilRoleFactory(council=council, user=user, role=CouncilRole.Role.MAYORS_OFFICE)
    return user


@pytest.fixture
def other_secretary(other_council):
    user = UserFactory(username="tajnik-drugje")
    CouncilRoleFactory(council=other_council, user=user, role=CouncilRole.Role.SECRETARY)
    return user


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


from .browser import browser, page  # noqa: E402,F401  (browser fixtures for every app)
from .smtp import smtp_server  # noqa: E402,F401  (real SMTP server on loopback)
