"""Factories for synthetic test data (factory-boy). No real person's data, ever."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from tarian.agencies.models import Agency, AgencyType, Role, User
from tarian.people.identifiers import nhs_check_digit
from tarian.people.matching.keys import refresh_keys
from tarian.people.models import Involvement, InvolvementRole, Person, PersonKind
from tarian.people.services import new_ref, set_folded_names

_VALID_NHS: list[str] = []


def synthetic_nhs_number(n: int) -> str:
    """The nth valid NHS number from the never-issued 999 range (distinct for distinct n)."""
    candidate = int(_VALID_NHS[-1][:9]) + 1 if _VALID_NHS else 999_000_000
    while len(_VALID_NHS) <= n:
        digits = f"{candidate:09d}"
        check = nhs_check_digit(digits)
        if check is not None:
            _VALID_NHS.append(digits + str(check))
        candidate += 1
    return _VALID_NHS[n]


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    type = AgencyType.CHILDRENS_SERVICES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("Tarian-test-password-1")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    ref = factory.LazyFunction(new_ref)
    kind = PersonKind.CHILD
    given_name = factory.Sequence(lambda n: f"Child{n}")
    family_name = "Prydderch"
    date_of_birth = dt.date(2015, 6, 1)
    nhs_number = factory.Sequence(synthetic_nhs_number)

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        person = model_class(*args, **kwargs)
        set_folded_names(person)
        person.save()
        refresh_keys([person.pk])  # as the services do: the matcher can find them
        return person


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = InvolvementRole.SCHOOL
    start_date = dt.date(2024, 9, 1)
