"""No update is ever lost: concurrent writers against PostgreSQL (issue: security baseline).

Each writer reads a version and writes against it. With a barrier they all read the same
version at once: exactly one may win, every other gets ``Conflict`` and nothing of theirs is
applied silently. With retries (read again, re-apply), every writer's change lands exactly once,
in order, each as its own version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from tarian.agencies.models import User
from tarian.audit.models import RecordVersion
from tarian.errors import Conflict
from tarian.people import services
from tarian.people.models import Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]
WRITERS = 8


def _run(workers: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrap(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(w)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_simultaneous_writers_on_one_version_exactly_one_wins(social_worker: User) -> None:
    person = services.create_person(social_worker, data={"kind": "child", "family_name": "Owen"})
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> Callable[[], None]:
        def work() -> None:
            user = User.objects.get(pk=social_worker.pk)
            barrier.wait()
            try:
                services.update_person(user, ref=person.ref, version=1,
                                       changes={"known_as": f"writer {n}"}, reason=f"writer {n}")
                result = f"won {n}"
            except Conflict:
                result = "conflict"
            with lock:
                outcomes.append(result)

        return work

    assert _run([writer(n) for n in range(WRITERS)]) == []
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == WRITERS - 1
    person.refresh_from_db()
    assert person.version == 2 and winners[0] == f"won {person.known_as.split()[-1]}"


def test_writers_that_reread_on_conflict_all_land_exactly_once(social_worker: User) -> None:
    person = services.create_person(social_worker, data={"kind": "child", "family_name": "Owen"})
    rounds = 5

    def writer(n: int) -> Callable[[], None]:
        def work() -> None:
            user = User.objects.get(pk=social_worker.pk)
            for r in range(rounds):
                while True:
                    version = Person.objects.get(pk=person.pk).version
                    try:
                        services.update_person(user, ref=person.ref, version=version,
                                               changes={"known_as": f"{n}-{r}"},
                                               reason=f"writer {n} round {r}")
                        break
                    except Conflict:
                        continue

        return work

    assert _run([writer(n) for n in range(WRITERS)]) == []
    person.refresh_from_db()
    assert person.version == 1 + WRITERS * rounds
    reasons = list(
        RecordVersion.objects.filter(record_id=person.ref).values_list("reason", flat=True)
    )
    expected = {f"writer {n} round {r}" for n in range(WRITERS) for r in range(rounds)}
    assert expected <= set(reasons) and len(reasons) == 1 + WRITERS * rounds
