"""Resolving a stale edit from the record as saved now (IS3; #18 item 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.agencies.models import User
from tarian.people import services
from tarian.people.conflicts import Outcome, comparable, parse_read, resolve_conflict, values_read
from tarian.people.models import Person

pytestmark = pytest.mark.django_db
NAMES = ["given_name", "known_as", "date_of_birth", "nhs_number", "first_language"]


def _typed(person: Person, **changes: object) -> dict[str, object]:
    typed: dict[str, object] = {
        "given_name": person.given_name,
        "known_as": person.known_as,
        "date_of_birth": person.date_of_birth,
        "nhs_number": person.nhs_number,
        "first_language": person.first_language,
    }
    typed.update(changes)
    return typed


def test_is3_each_field_is_resolved_from_what_was_read_saved_and_typed(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    read = parse_read(values_read(child, NAMES), NAMES)
    typed = _typed(child, known_as="Llian", first_language="en", nhs_number="943 476 5919")
    services.update_person(
        gateway_worker,
        ref=child.ref,
        version=1,
        reason="From the school's records",
        changes={"given_name": "Gwenllïan", "first_language": "cy", "nhs_number": "9434765919"},
    )
    child.refresh_from_db()
    resolution = resolve_conflict(social_worker, person=child, version=1, read=read, typed=typed)
    outcomes = {f.name: f.outcome for f in resolution.fields}
    assert outcomes == {
        "given_name": Outcome.SAVED,  # only saved: kept, never the stale "Gwenllian" again
        "known_as": Outcome.YOURS,  # only typed: applied on top
        "first_language": Outcome.BOTH,  # both, differently: the user's, to check
        "nhs_number": Outcome.SAME,  # "943 476 5919" and "9434765919" are one number
    }
    assert resolution.merged["given_name"] == "Gwenllïan"
    assert resolution.merged["known_as"] == "Llian"
    assert resolution.merged["first_language"] == "en"
    assert [f.name for f in resolution.to_check] == ["first_language"]
    [change] = resolution.changes
    assert change.changed_by_id == gateway_worker.pk and not resolution.only_by_the_user


def test_is3_a_date_typed_another_way_is_not_a_difference(
    social_worker: User, child: Person
) -> None:
    assert comparable({"date_of_birth": dt.date(2015, 6, 1)}) == comparable(
        {"date_of_birth": "2015-06-01"}
    )
    read = parse_read(values_read(child, NAMES), NAMES)
    services.update_person(
        social_worker,
        ref=child.ref,
        version=1,
        reason="Known as Gwen",
        changes={"known_as": "Gwen"},
    )
    child.refresh_from_db()
    resolution = resolve_conflict(
        social_worker,
        person=child,
        version=1,
        read=read,
        typed=_typed(child, known_as="", date_of_birth=dt.date(2015, 6, 1)),
    )
    assert [(f.name, f.outcome) for f in resolution.fields] == [("known_as", Outcome.SAVED)]
    assert resolution.merged["known_as"] == "Gwen" and resolution.only_by_the_user


def test_is3_when_what_was_read_is_unknown_the_saved_value_stays(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    services.update_person(
        gateway_worker,
        ref=child.ref,
        version=1,
        reason="Known as Gwen",
        changes={"known_as": "Gwen"},
    )
    child.refresh_from_db()
    for bad in ("", "not json", '{"given_name": "x"}', '["list"]'):
        assert parse_read(bad, NAMES) is None
    resolution = resolve_conflict(
        social_worker, person=child, version=1, read=None, typed=_typed(child, known_as="")
    )
    [field] = resolution.fields
    assert (field.name, field.outcome, field.typed) == ("known_as", Outcome.UNKNOWN, "")
    assert resolution.merged["known_as"] == "Gwen"
