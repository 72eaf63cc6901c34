"""Probes for the permission matrix (IS1): duplicate records and merges (IS3, FD6). How a probe
judges an answer is described in ``probes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tarian.people import merging
from tarian.people.models import Person
from tests.factories import UserFactory
from tests.security.conftest import (
    World,
    make_child,
)
from tests.security.probes import judge

# merge (IS3, FD6): working through possible duplicates, merging and undoing. Each probe makes
# a second record of the targeted child and the pair ``tarian dedupe`` would raise; "involved"
# and "other" differ only in which child: the merge rules' scope is "all" or "none".

DUPLICATE_GIVEN_NAME = "Dyblygiad"
MERGE_REASON = "Matrix check: the same child, recorded twice."


def _duplicate(w: World, involved: bool | None) -> tuple[Person, Person, Any]:
    from tarian.people.models import DuplicateCandidate

    p = w.target(bool(involved))
    dup = make_child(w.agency, w.other_agency, involved=bool(involved),
                     given_name=DUPLICATE_GIVEN_NAME)
    first, second = sorted([p, dup], key=lambda person: person.pk)
    pair = DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.9, reasons=["Matrix"],
        found_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
    )
    return p, dup, pair


def _merged(w: World, involved: bool | None) -> tuple[Person, Person, Any]:
    """A duplicate already merged into the targeted child, by a manager of the other agency."""
    p, dup, _pair = _duplicate(w, involved)
    manager = UserFactory.create(agency=w.other_agency, roles=["team_manager"])
    merge = merging.merge_people(manager, keep_ref=p.ref, merge_ref=dup.ref, reason=MERGE_REASON)
    return p, dup, merge


def web_duplicates(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.web.get("/duplicates")
    if not judge("GET /duplicates", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME):
        return False
    return f"/duplicates/{pair.pk}" in r.content.decode()


def api_duplicates(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.api.get("/api/v1/duplicates", {"page_size": 200})
    if not judge("GET /api/v1/duplicates", r, yes={200}, no={403}, secret=DUPLICATE_GIVEN_NAME):
        return False
    return pair.pk in [item["id"] for item in r.json()["results"]]


def web_duplicate(w: World, involved: bool | None, scope: str) -> bool:
    _p, dup, pair = _duplicate(w, involved)
    r = w.web.get(f"/duplicates/{pair.pk}")
    ok = judge("GET /duplicates/{id}", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    assert not ok or dup.ref in r.content.decode()
    return ok


def web_person_merges(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, _merge = _merged(w, involved)
    r = w.web.get(f"/people/{p.ref}/merges")
    ok = judge("GET /people/{ref}/merges", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    assert not ok or f"{dup.ref} merged into {p.ref}" in r.content.decode()
    return ok


def web_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, pair = _duplicate(w, involved)
    r = w.web.post(
        f"/duplicates/{pair.pk}", {"action": "merge", "keep": p.ref, "reason": MERGE_REASON}
    )
    ok = judge("POST /duplicates/{id} (merge)", r, yes={302}, no={404},
               secret=DUPLICATE_GIVEN_NAME)
    dup.refresh_from_db()
    assert ok == (dup.merged_into_id == p.pk), "the answer and the record disagree"
    return ok


def web_not_same(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.web.post(f"/duplicates/{pair.pk}", {"action": "not_same", "note": "Matrix"})
    ok = judge("POST /duplicates/{id} (not the same)", r, yes={302}, no={404},
               secret=DUPLICATE_GIVEN_NAME)
    pair.refresh_from_db()
    assert ok == (pair.status == "not_same"), "the answer and the record disagree"
    return ok


def web_undo_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, _dup, merge = _merged(w, involved)
    r = w.web.post(
        f"/people/{p.ref}/merges", {"merge": merge.pk, f"undo-{merge.pk}-reason": "Matrix"}
    )
    ok = judge("POST /people/{ref}/merges", r, yes={302}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    merge.refresh_from_db()
    assert ok == (merge.undone_at is not None), "the answer and the record disagree"
    return ok


def api_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, _pair = _duplicate(w, involved)
    r = w.api.post(
        f"/api/v1/people/{p.ref}/merge", {"merge": dup.ref, "reason": MERGE_REASON},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/people/{id}/merge", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    dup.refresh_from_db()
    assert ok == (dup.merged_into_id == p.pk), "the answer and the record disagree"
    return ok


def api_undo_merge(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, merge = _merged(w, involved)
    r = w.api.post(
        f"/api/v1/merges/{merge.pk}/undo", {"reason": "Matrix"}, content_type="application/json"
    )
    ok = judge("POST /api/v1/merges/{id}/undo", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    merge.refresh_from_db()
    assert ok == (merge.undone_at is not None), "the answer and the record disagree"
    return ok


def api_not_same(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.api.post(
        f"/api/v1/duplicates/{pair.pk}/not-same", {"note": "Matrix"},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/duplicates/{id}/not-same", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    pair.refresh_from_db()
    assert ok == (pair.status == "not_same"), "the answer and the record disagree"
    return ok
