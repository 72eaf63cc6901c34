"""The API's person read, written as plain statements (issue 17), gives exactly what the ORM
path gives: the same person or the same refusal for every kind of reader and record (IS1),
and the same JSON as ``PersonDetailSerializer``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent
from tarian.errors import NotFound, Restricted
from tarian.people import restriction, selectors
from tarian.people.api.serializers import PersonDetailSerializer, person_detail_data
from tarian.people.models import (
    Address,
    Involvement,
    Person,
    PersonName,
    Residence,
)
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Child at the front door now; checking for a protection plan before deciding"


def _orm_answer(user: User, ref: str) -> Any:
    """What the ORM path says: the person's id, or the refusal's class."""
    try:
        return selectors.person_for(user, ref).pk
    except (NotFound, Restricted) as refusal:
        return type(refusal)


def _raw_answer(user: User, ref: str) -> Any:
    try:
        return selectors.read_person(user, ref).person.pk
    except (NotFound, Restricted) as refusal:
        return type(refusal)


@pytest.fixture
def cast(
    social_worker: User,
    gateway_worker: User,
    team_manager: User,
    school_dsl: User,
    other_school_dsl: User,
    board_member: User,
    school: Agency,
    child: Person,
) -> dict[str, Any]:
    """Readers of every scope, and records of every kind of access."""
    past = PersonFactory(given_name="Gorffennol")
    InvolvementFactory(person=past, agency=school, end_date=dt.date(2024, 12, 1))
    future = PersonFactory(given_name="Dyfodol")
    InvolvementFactory(
        person=future, agency=school, start_date=timezone.localdate() + dt.timedelta(days=30)
    )
    recorded = PersonFactory(given_name="Cofnodwyd", created_by_agency=school)
    stranger = PersonFactory(given_name="Dieithryn")
    restricted = PersonFactory(given_name="Cyfyngedig")
    InvolvementFactory(person=restricted, agency=school)
    restriction.set_restriction(
        team_manager,
        person=restricted,
        restricted=True,
        reason="A staff member's own child",
        named_usernames=[social_worker.username],
    )
    restriction.open_restricted_record(gateway_worker, ref=restricted.ref, reason=REASON)
    kept = PersonFactory(given_name="Cadwyd")
    merged = PersonFactory(given_name="Cyfunwyd", merged_into=kept)
    no_agency = UserFactory(username="heb.asiantaeth", agency=None, roles=["social_worker"])
    closed = AgencyFactory(slug="wedi-cau", is_active=False)
    closed_user = UserFactory(username="wedi.cau", agency=closed, roles=["social_worker"])
    return {
        "readers": [
            social_worker,
            gateway_worker,
            team_manager,
            school_dsl,
            other_school_dsl,
            board_member,
            no_agency,
            closed_user,
        ],
        "records": [child, past, future, recorded, stranger, restricted, kept, merged],
    }


def test_is1_the_plain_read_refuses_and_allows_exactly_as_the_orm_does(
    cast: dict[str, Any],
) -> None:
    answers = {
        (reader.username, record.given_name): (
            _orm_answer(reader, record.ref),
            _raw_answer(reader, record.ref),
        )
        for reader in cast["readers"]
        for record in cast["records"]
    }
    differing = {key: pair for key, pair in answers.items() if pair[0] != pair[1]}
    assert not differing
    kinds = {orm for orm, _raw in answers.values()}
    # The cast exercises every answer: someone reads, someone is refused, someone restricted.
    assert NotFound in kinds and Restricted in kinds and any(isinstance(k, int) for k in kinds)


def test_is1_unknown_id_is_not_found(social_worker: User) -> None:
    with pytest.raises(NotFound):
        selectors.read_person(social_worker, "TNOTHERE1")


@pytest.fixture
def full_record(child: Person, school: Agency, social_worker: User) -> Person:
    """A child with everything the API's person read shows."""
    PersonName.objects.create(person=child, kind="alias", given_name="Gwen", family_name="Jones")
    PersonName.objects.create(person=child, kind="previous", given_name="", family_name="Hughes")
    old = Address.objects.create(line1="2 Hen Heol", town="Aberwen", postcode="GW1 2AA")
    home = Address.objects.create(line1="1 Stryd Fawr", line2="Fflat 3", postcode="GW1 1AA")
    Residence.objects.create(
        person=child, address=old, start_date=dt.date(2018, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    Residence.objects.create(person=child, address=home, start_date=dt.date(2021, 1, 1))
    health = AgencyFactory(slug="bwrdd-iechyd", name="Bwrdd Iechyd", type="health")
    Involvement.objects.create(
        person=child,
        agency=health,
        role="health_visitor",
        professional=social_worker,
        start_date=dt.date(2020, 5, 1),
    )
    Involvement.objects.create(
        person=child,
        agency=health,
        role="gp",
        professional_name="Dr Prys",
        start_date=dt.date(2016, 5, 1),
        end_date=dt.date(2019, 5, 1),
        end_reason="Moved away",
    )
    child.other_names = ["Angharad"]
    child.save()
    return child


def test_the_person_read_answers_exactly_what_the_serializer_would(
    social_worker: User, full_record: Person
) -> None:
    built = person_detail_data(selectors.read_person(social_worker, full_record.ref))
    fresh = selectors.view_person(social_worker, full_record.ref)
    expected = PersonDetailSerializer(
        fresh.person, context={"involvements": fresh.involvements}
    ).data
    assert built == dict(expected)
    assert list(built) == list(expected)  # the same fields, in the same order
    assert built["address"]["line1"] == "1 Stryd Fawr"
    assert [a["given_name"] for a in built["aliases"]] == ["Gwen", ""]
    assert [i["role"] for i in built["involvements"]] == ["school", "health_visitor", "gp"]


@pytest.mark.parametrize("kind", ["merged", "unborn", "bare"])
def test_the_person_read_matches_the_serializer_for_sparse_records(
    social_worker: User, kind: str
) -> None:
    if kind == "merged":
        person = PersonFactory(merged_into=PersonFactory())
    elif kind == "unborn":
        person = PersonFactory(
            kind="unborn", date_of_birth=None, expected_date=timezone.localdate()
        )
    else:
        person = PersonFactory(nhs_number="", sex="unknown")
    built = person_detail_data(selectors.read_person(social_worker, person.ref))
    fresh = selectors.view_person(social_worker, person.ref)
    expected = PersonDetailSerializer(
        fresh.person, context={"involvements": fresh.involvements}
    ).data
    assert built == dict(expected)


def test_is4_the_person_read_is_audited_once(social_worker: User, child: Person) -> None:
    token = issue_token(social_worker, name="test")
    before = AccessEvent.objects.filter(person_id=child.pk).count()
    response = Client(headers={"Authorization": f"Bearer {token}"}).get(
        f"/api/v1/people/{child.ref}"
    )
    assert response.status_code == 200
    assert response.json()["id"] == child.ref
    events = AccessEvent.objects.filter(person_id=child.pk).order_by("-id")
    assert events.count() == before + 1
    event = events.first()
    assert event is not None
    assert (event.action, event.record_kind, event.record_id, event.username, event.channel) == (
        "view",
        "person",
        child.ref,
        social_worker.username,
        "api",
    )
