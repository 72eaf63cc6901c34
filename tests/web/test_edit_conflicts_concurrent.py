"""Nothing saved is lost when several people save one record at once through the edit page and
its conflict page (#18 item 10, IS3). PostgreSQL only: real concurrency needs real row locks.

Six social workers open the same record (one version), each changes a different detail, and
all press Save together. One save wins; every other one meets the conflict page, reviews the
draft it left (the record as saved now with their own change on top) and saves it, until all
have saved. Every change is then in the record, each saved once, and no one's stale values
came back.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tarian.agencies.models import Agency, User
from tarian.audit.models import RecordVersion
from tarian.people import services
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.web.html_forms import form_values

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]
CHANGES = {
    "given_name": "Gwenllïan",
    "family_name": "Prydderch-Owen",
    "known_as": "Gwen",
    "nhs_number": "9434765919",
    "upn": "A123456789012",
    "first_language": "en",
}


def test_is3_simultaneous_saves_through_the_conflict_page_lose_nothing(
    childrens_services: Agency, social_worker: User
) -> None:
    person = services.create_person(
        social_worker,
        data={"kind": "child", "given_name": "Gwenllian", "family_name": "Owen"},
        reason="Recorded",
    )
    edit = f"/people/{person.ref}/edit"
    writers = [
        (UserFactory(agency=childrens_services, roles=["social_worker"]), field, value)
        for field, value in CHANGES.items()
    ]
    clients = [signed_in(user) for user, _field, _value in writers]
    opened = [form_values(c.get(edit).content.decode(), "/edit") for c in clients]
    assert {o["version"] for o in opened} == {"1"}
    barrier = threading.Barrier(len(writers))
    conflicts: list[int] = []
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            _user, field, value = writers[n]
            values = {**opened[n], field: value, "reason": f"Writer {n} corrects {field}"}
            barrier.wait()
            for _attempt in range(len(writers) + 1):
                response = clients[n].post(edit, values)
                if response.status_code == 302:
                    return
                assert response.status_code == 409, response.status_code
                conflicts.append(n)
                values = form_values(clients[n].get(edit).content.decode(), "/edit")
                assert values[field] == value, "the review lost this writer's own change"
            raise AssertionError(f"writer {n} never saved")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    person.refresh_from_db()
    assert {field: getattr(person, field) for field in CHANGES} == CHANGES
    assert person.version == 1 + len(writers) and conflicts
    reasons = RecordVersion.objects.filter(record_id=person.ref, version__gt=1)
    assert sorted(reasons.values_list("reason", flat=True)) == sorted(
        f"Writer {n} corrects {field}" for n, (_u, field, _v) in enumerate(writers)
    )
