"""IS4: the access log is append-only; on PostgreSQL the database itself refuses changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tarian.agencies.models import User
from tarian.audit.context import audit_context
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.audit.services import record_access

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
