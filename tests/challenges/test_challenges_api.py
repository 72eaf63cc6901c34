"""The professional challenge endpoints (API contract: ``POST /api/v1/challenges``; PC1):
201 with ``id``, ``tier`` and ``due_at`` (the tier clock's), field errors naming ``reason`` and
``about``, 404 for a decision the caller may not see, 403 for one they may not challenge, 409
for a stale version, and nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.challenges.models import Challenge
from tarian.deadlines.models import Deadline
from tests.challenges.conftest import DECISION, KIND, REASON, World

pytestmark = pytest.mark.django_db

ESCALATION = (
    "The team manager will not reconvene the strategy discussion although the bruising was "
    "never explored with the child."
)


def _client(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _post(user: User, path: str, body: dict[str, Any]) -> Any:
    return _client(user).post(path, body, content_type="application/json")


def _raise(user: User, **changes: Any) -> Any:
    body: dict[str, Any] = {"about": {"kind": KIND, "id": DECISION}, "reason": REASON}
    body.update(changes)
    return _post(user, "/api/v1/challenges", body)


def test_pc1_api_raises_a_challenge_with_its_tier_and_due_time(world: World) -> None:
    answer = _raise(world.raiser)

    assert answer.status_code == 201, answer.content
    data = answer.json()
    challenge = Challenge.objects.get()
    row = Deadline.objects.get(subject_kind="challenge")
    assert data["id"] == str(challenge.pk)
    assert (data["tier"], data["status"]) == (1, "open")
    assert dt.datetime.fromisoformat(data["due_at"]) == row.due_at
    assert data["about"] == {
        "kind": KIND, "id": DECISION, "kind_label": "Test decision",
        "text": f"Decision {DECISION}", "link": f"/test-decisions/{DECISION}",
    }
    assert data["tier_name"] == "Between the practitioners and their line managers"
    assert [step["kind"] for step in data["steps"]] == ["raised"]
    assert data["steps"][0]["by"] == world.raiser.username


@pytest.mark.parametrize("reason", ["", "NFA", "see notes"])
def test_pc1_api_challenge_needs_a_reason(world: World, reason: str) -> None:
    answer = _raise(world.raiser, reason=reason)

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["reason"]
    assert not Challenge.objects.exists() and not Deadline.objects.exists()


def test_pc1_api_unregistered_kind_refused_naming_about(world: World) -> None:
    answer = _raise(world.raiser, about={"kind": "horoscope", "id": "1"})

    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert list(errors) == ["about.kind"] and "horoscope" in errors["about.kind"][0]
    assert not Challenge.objects.exists()


def test_pc1_api_an_empty_decision_id_is_named(world: World) -> None:
    answer = _raise(world.raiser, about={"kind": KIND, "id": " "})

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["about.id"]


def test_pc1_api_a_missing_about_is_named(world: World) -> None:
    answer = _post(world.raiser, "/api/v1/challenges", {"reason": REASON})

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["about"]


def test_pc1_someone_who_cannot_see_the_decision_gets_404(world: World) -> None:
    answer = _raise(world.outsider)

    assert answer.status_code == 404
    body = answer.content.decode()
    assert DECISION not in body and "Test decision" not in body and REASON not in body
    assert not Challenge.objects.exists()


def test_pc1_someone_who_may_see_but_not_challenge_gets_403(world: World) -> None:
    answer = _raise(world.onlooker)

    assert answer.status_code == 403
    assert not Challenge.objects.exists()


def test_pc1_api_reads_a_challenge_only_for_those_who_may(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]

    mine = _client(world.responder).get(f"/api/v1/challenges/{challenge_id}")
    theirs = _client(world.outsider).get(f"/api/v1/challenges/{challenge_id}")

    assert mine.status_code == 200 and mine.json()["reason"] == REASON
    assert theirs.status_code == 404 and REASON not in theirs.content.decode()
    assert _client(world.raiser).get("/api/v1/challenges/nope").status_code == 404


def test_pc1_api_escalates_and_answers_with_the_next_tier(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]

    answer = _post(world.raiser, f"/api/v1/challenges/{challenge_id}/escalate",
                   {"reason": ESCALATION, "version": 1})

    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["tier"], data["version"]) == (2, 2)
    assert [step["kind"] for step in data["steps"]] == ["raised", "escalated"]
    row = Deadline.objects.get(subject_kind="challenge", met_at=None, stopped_at=None)
    assert row.timescale == "challenge_tier_2"
    assert dt.datetime.fromisoformat(data["due_at"]) == row.due_at


def test_pc1_api_a_stale_version_is_409_and_changes_nothing(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]
    _post(world.raiser, f"/api/v1/challenges/{challenge_id}/escalate", {"reason": ESCALATION})

    answer = _post(world.raiser, f"/api/v1/challenges/{challenge_id}/escalate",
                   {"reason": ESCALATION, "version": 1})

    assert answer.status_code == 409
    assert answer.json()["current_version"] == 2
    assert Challenge.objects.get().tier == 2


def test_pc1_api_escalating_without_a_reason_names_reason(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]

    answer = _post(world.raiser, f"/api/v1/challenges/{challenge_id}/escalate", {"reason": ""})

    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["reason"]
    assert Challenge.objects.get().tier == 1


def test_pc1_api_responder_resolves_and_others_may_not(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]
    resolution = ("Agreed to reconvene the strategy discussion tomorrow with the police, the "
                  "school and the health visitor.")

    refused = _post(world.onlooker, f"/api/v1/challenges/{challenge_id}/respond",
                    {"text": resolution, "resolved": True})
    answer = _post(world.responder, f"/api/v1/challenges/{challenge_id}/respond",
                   {"text": resolution, "resolved": True})

    assert refused.status_code == 403
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["status"], data["resolution"], data["due_at"]) == ("resolved", resolution, None)
    assert Deadline.objects.get(subject_kind="challenge").met_at is not None


def test_pc1_api_respond_needs_resolved_and_text(world: World) -> None:
    challenge_id = _raise(world.raiser).json()["id"]

    answer = _post(world.responder, f"/api/v1/challenges/{challenge_id}/respond", {"text": ""})

    assert answer.status_code == 400
    assert "resolved" in answer.json()["errors"]


def test_pc1_the_schema_documents_the_challenge_endpoints(world: World) -> None:
    schema = _client(world.raiser).get("/api/v1/openapi.json").json()

    create = schema["paths"]["/api/v1/challenges"]["post"]
    assert {"201", "400", "403", "404"} <= set(create["responses"])
    assert "/api/v1/challenges/{id}/escalate" in schema["paths"]
    assert "/api/v1/challenges/{id}/respond" in schema["paths"]
