"""IS3, FD6: the duplicates and merges endpoints: page envelope, field errors, 403 and 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.people.models import DuplicateCandidate, DuplicateStatus, Merge, Person
from tests.factories import PersonFactory
from tests.people.test_merging import REASON, candidate, duplicate_of

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def dup(child: Person) -> Person:
    return duplicate_of(child)


@pytest.fixture
def pair(child: Person, dup: Person) -> DuplicateCandidate:
    return candidate(child, dup)


def test_fd6_duplicates_are_listed_in_pages(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    for n in range(3):
        candidate(PersonFactory(given_name=f"Plentyn{n}"), PersonFactory(), score=0.5)
    body = api(team_manager).get("/api/v1/duplicates", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "results"}
    assert body["count"] == 4 and body["next"]
    first = body["results"][0]
    assert first["id"] == pair.pk and first["score"] == pytest.approx(0.93)
    assert {first["person_a"]["id"], first["person_b"]["id"]} == {child.ref, dup.ref}
    assert first["status"] == "open" and first["decided_by"] is None
    assert "Same NHS number" in first["reasons"]
    bad = api(team_manager).get("/api/v1/duplicates", {"status": "maybe"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_is3_merge_undo_and_the_merged_records_id(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    client = api(team_manager)
    merged = post(client, f"/api/v1/people/{child.ref}/merge", {"merge": dup.ref, "reason": REASON})
    assert merged.status_code == 200, merged.content
    body = merged.json()
    merge = Merge.objects.get()
    assert body["id"] == merge.pk and (body["kept"], body["merged"]) == (child.ref, dup.ref)
    assert body["moved"].get("aliases") == 3  # Gwen, Gwennie (known as) and Mair
    assert client.get(f"/api/v1/people/{dup.ref}").json()["merged_into"] == child.ref
    assert client.get(f"/api/v1/people/{child.ref}").json()["merged_into"] is None
    listed = client.get("/api/v1/people", {"page_size": 200}).json()["results"]
    assert dup.ref not in [p["id"] for p in listed]
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.MERGED

    undone = post(client, f"/api/v1/merges/{merge.pk}/undo", {"reason": "Different children"})
    assert undone.status_code == 200 and undone.json()["undone_by"] == team_manager.username
    again = post(client, f"/api/v1/merges/{merge.pk}/undo", {"reason": "Again"})
    assert again.status_code == 400 and "already undone" in again.json()["errors"]["__all__"][0]
    assert client.get(f"/api/v1/people/{dup.ref}").json()["merged_into"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"merge": "{dup}", "reason": ""}, "reason"),
        ({"merge": "{dup}"}, "reason"),
        ({"merge": "{kept}", "reason": REASON}, "merge"),
        ({"merge": "T00000000", "reason": REASON}, "merge"),
        ({"reason": REASON}, "merge"),
    ],
)
def test_is3_merge_refusals_name_the_field_and_save_nothing(
    body: dict[str, str], field: str, team_manager: User, child: Person, dup: Person
) -> None:
    sent = {k: v.format(dup=dup.ref, kept=child.ref) for k, v in body.items()}
    response = post(api(team_manager), f"/api/v1/people/{child.ref}/merge", sent)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Merge.objects.exists()


def test_is3_merging_into_an_unknown_record_is_404(team_manager: User, dup: Person) -> None:
    response = post(api(team_manager), "/api/v1/people/T00000000/merge",
                    {"merge": dup.ref, "reason": REASON})
    assert response.status_code == 404


def test_fd6_not_the_same_person_through_the_api(
    team_manager: User, pair: DuplicateCandidate
) -> None:
    client = api(team_manager)
    response = post(client, f"/api/v1/duplicates/{pair.pk}/not-same", {"note": "Twins"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("not_same", "Twins")
    assert response.json()["decided_by"] == team_manager.username
    assert client.get("/api/v1/duplicates").json()["count"] == 0
    stale = post(client, f"/api/v1/duplicates/{pair.pk}/not-same", {})
    assert stale.status_code == 400 and "__all__" in stale.json()["errors"]
    assert post(client, "/api/v1/duplicates/999999/not-same", {}).status_code == 404


@pytest.mark.parametrize("persona", ["social_worker", "school_dsl", "board_member"])
def test_is1_other_roles_are_forbidden(
    persona: str, request: pytest.FixtureRequest, team_manager: User, child: Person,
    dup: Person, pair: DuplicateCandidate,
) -> None:
    client = api(request.getfixturevalue(persona))
    merge = Merge.objects.create(kept=child, merged=PersonFactory(merged_into=child),
                                 reason=REASON, merged_by=team_manager, merged_at=pair.found_at)
    answers = [
        client.get("/api/v1/duplicates"),
        post(client, f"/api/v1/people/{child.ref}/merge", {"merge": dup.ref, "reason": REASON}),
        post(client, f"/api/v1/merges/{merge.pk}/undo", {"reason": "No"}),
        post(client, f"/api/v1/duplicates/{pair.pk}/not-same", {}),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert all("Pritchard" not in a.content.decode() for a in answers)
    dup.refresh_from_db()
    pair.refresh_from_db()
    merge.refresh_from_db()
    assert dup.merged_into is None and pair.status == "open" and merge.undone_at is None
