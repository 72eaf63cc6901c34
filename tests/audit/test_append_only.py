"""IS4: the access log is append-only; on PostgreSQL the database itself refuses changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tarian.agencies.models import User
from tarian.audit.context import audit_context
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.audit.services import INSERT_ROWS, record_access, record_accesses

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)


def test_is4_access_event_records_who_when_what_and_route(social_worker: User) -> None:
    with audit_context("web", "GET /people/T123", "case work"):
        event = record_access(social_worker, action="view", record_kind="person",
                              record_id="T123", person_id=7)
    event.refresh_from_db()
    assert (event.username, event.agency_slug, event.channel) == (
        "owain", "gaerwen-childrens-services", "web")
    assert (event.route, event.purpose, event.person_id) == ("GET /people/T123", "case work", 7)
    assert event.at is not None


def test_is4_search_result_audited_one_event_per_person_as_the_orm_would_store_it(
    social_worker: User,
) -> None:
    """A list or search writes one event per person shown, in plain INSERTs (more rows than
    one statement takes, too): every field reads back as written."""
    ids = list(range(1, INSERT_ROWS + 8))
    with audit_context("api", "GET /api/v1/people/match", "match"):
        written = record_accesses(social_worker, action="search", record_kind="person",
                                  person_ids=ids, detail={"purpose": "match", "n": 1})
    events = AccessEvent.objects.filter(action="search").order_by("person_id")
    assert written == len(ids) == events.count()
    assert [e.person_id for e in events] == ids
    first = events[0]
    assert (first.user_id, first.username, first.agency_slug) == (
        social_worker.pk, "owain", "gaerwen-childrens-services")
    assert (first.channel, first.route, first.purpose) == ("api", "GET /api/v1/people/match",
                                                           "match")
    assert first.record_id == "1" and first.detail == {"purpose": "match", "n": 1}
    assert first.at is not None and first.at.tzinfo is not None
    assert len({e.at for e in events}) == 1
    assert record_accesses(None, action="search", record_kind="person", person_ids=[]) == 0


def test_is4_system_search_audited_as_the_system(db: None) -> None:
    record_accesses(None, action="search", record_kind="person", person_ids=[5])
    event = AccessEvent.objects.get(person_id=5)
    assert (event.user_id, event.username, event.agency_slug) == (None, "system", "")


@needs_postgres
def test_is4_postgres_refuses_update_of_access_log(social_worker: User) -> None:
    event = record_access(social_worker, action="view", record_kind="person", record_id="T1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(action="create")


@needs_postgres
def test_is4_postgres_refuses_delete_of_access_log(social_worker: User) -> None:
    record_access(social_worker, action="view", record_kind="person", record_id="T1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 1


@needs_postgres
def test_is3_postgres_refuses_rewriting_record_versions(social_worker: User) -> None:
    from tarian.people.services import create_person

    person = create_person(social_worker, data={"kind": "child", "family_name": "Owen"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordVersion.objects.filter(record_id=person.ref).update(reason="rewritten")
