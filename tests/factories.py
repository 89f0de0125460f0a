"""Factories for the test suite (factory_boy)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from councils.models import (
    Council,
    CouncilRole,
    Membership,
    Municipality,
    Organisation,
    Person,
    Term,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("pass-word-123")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Občina {n}")


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Varnostni sosvet {n}")
    short_name = factory.Sequence(lambda n: f"VS {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    police_station = "Policijska postaja"
    contact_email = "sosvet@example.test"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    council = factory.SubFactory(CouncilFactory)
    start_date = datetime.date(2022, 12, 1)
    end_date = datetime.date(2026, 11, 30)


def with_next_term(council):
    """``council`` with its next term (2026–2030) too, after ``TermFactory``'s: sessions are
    dated within a term of office, and those the tests schedule from today on fall into
    it."""
    TermFactory(
        council=council,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2030, 11, 30),
    )
    return council


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Organizacija {n}")
    kind = Organisation.Kind.OTHER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    council = factory.SubFactory(CouncilFactory)
    first_name = factory.Sequence(lambda n: f"Ime{n}")
    last_name = factory.Sequence(lambda n: f"Priimek{n}")
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}@example.test")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    organisation = factory.SubFactory(
        OrganisationFactory, council=factory.SelfAttribute("..council")
    )
    role = Membership.Role.MEMBER
    kind = Membership.Kind.STANDING
    start_date = datetime.date(2023, 1, 1)


class CouncilRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilRole

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = CouncilRole.Role.MEMBER
