"""The people and involvements endpoints of the API contract: auth, validation, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tarian.agencies.credentials import issue_token, revoke_token
from tarian.agencies.models import ApiToken, User
from tarian.audit.models import AccessEvent
from tarian.people.models import Involvement, Person

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


CHILD = {
    "kind": "child",
    "given_name": "Gwenllian",
    "family_name": "Prydderch",
    "other_names": ["Mair"],
    "date_of_birth": "2014-05-06",
    "sex": "female",
    "nhs_number": "9434765919",
    "upn": "C801200102001",
    "ethnicity": "white_british",
    "first_language": "cy",
    "address": {"line1": "3 Lôn Las", "town": "Aberwen", "postcode": "LL77 7AB"},
}


def test_api_no_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_bad_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/people", headers={"authorization": "Bearer trn_nonsense"})
    assert response.status_code == 401


def test_api_expired_and_revoked_tokens_are_401(social_worker: User) -> None:
    raw = issue_token(social_worker, days=1)
    token = ApiToken.objects.get(user=social_worker)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert (
        Client(headers={"authorization": f"Bearer {raw}"}).get("/api/v1/people").status_code == 401
    )
    raw2 = issue_token(social_worker)
    revoke_token(ApiToken.objects.exclude(pk=token.pk).get())
    assert (
        Client(headers={"authorization": f"Bearer {raw2}"}).get("/api/v1/people").status_code == 401
    )


def test_api_token_gives_the_user_and_agency_as_stored_and_refuses_an_inactive_user(
    social_worker: User,
) -> None:
    """The token lookup reads user and agency in one statement: every field as the ORM reads
    it; a user made inactive is refused at once; the last use is noted (at most every 5 min)."""
    from tarian.agencies.credentials import user_for_token

    raw = issue_token(social_worker)
    found = user_for_token(raw)
    stored = User.objects.select_related("agency").get(pk=social_worker.pk)
    assert found is not None
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert found.agency == stored.agency and found.agency.type == stored.agency.type  # type: ignore[union-attr]
    assert found.date_joined.tzinfo is not None
    token = ApiToken.objects.get(user=social_worker)
    assert token.last_used_at is not None
    User.objects.filter(pk=social_worker.pk).update(is_active=False)
    assert user_for_token(raw) is None
    assert user_for_token("not-a-token") is None


def test_api_create_person_201_with_id_then_read_it(social_worker: User) -> None:
    client = api(social_worker)
    response = post(client, "/api/v1/people", CHILD)
    assert response.status_code == 201, response.json()
    ref = response.json()["id"]
    body = client.get(f"/api/v1/people/{ref}").json()
    assert body["id"] == ref
    assert body["nhs_number"] == "9434765919"
    assert body["address"]["postcode"] == "LL77 7AB"
    assert body["other_names"] == ["Mair"]
    assert body["version"] == 1


def test_api_create_person_400_names_every_bad_field_and_saves_nothing(social_worker: User) -> None:
    bad = {
        **CHILD,
        "nhs_number": "1234567890",
        "date_of_birth": "2014-13-45",
        "sex": "q",
        "upn": "nonsense",
        "address": {"postcode": "LL77"},
    }
    response = post(api(social_worker), "/api/v1/people", bad)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"nhs_number", "date_of_birth", "sex", "upn", "address.line1"} <= set(errors)
    assert all(isinstance(m, list) and m for m in errors.values())
    assert not Person.objects.exists()


def test_api_create_person_rejects_non_object_body(social_worker: User) -> None:
    response = post(api(social_worker), "/api/v1/people", [1, 2])
    assert response.status_code == 400
    assert "errors" in response.json()


def test_api_board_member_cannot_create_people_403(board_member: User) -> None:
    response = post(api(board_member), "/api/v1/people", CHILD)
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_api_other_school_gets_404_for_child_it_does_not_know(
    other_school_dsl: User, child: Person
) -> None:
    response = api(other_school_dsl).get(f"/api/v1/people/{child.ref}")
    assert response.status_code == 404
    assert child.given_name not in response.content.decode()


def test_api_school_dsl_reads_involved_child(school_dsl: User, child: Person) -> None:
    body = api(school_dsl).get(f"/api/v1/people/{child.ref}").json()
    assert body["involvements"][0]["agency"] == "ysgol-aberwen"


def test_api_list_is_paginated_and_narrowed_by_access(
    school_dsl: User, child: Person, social_worker: User
) -> None:
    from tests.factories import PersonFactory

    PersonFactory.create_batch(3)
    body = api(school_dsl).get("/api/v1/people").json()
    assert body["count"] == 1 and body["results"][0]["id"] == child.ref
    assert "next" in body
    everyone = api(social_worker).get("/api/v1/people?page_size=2").json()
    assert everyone["count"] == 4 and len(everyone["results"]) == 2 and everyone["next"]


def test_api_search_by_name(social_worker: User, child: Person) -> None:
    body = api(social_worker).get("/api/v1/people?q=gwenllian").json()
    assert [r["id"] for r in body["results"]] == [child.ref]


def test_api_update_with_stale_version_is_409(social_worker: User, child: Person) -> None:
    client = api(social_worker)
    ok = client.patch(
        f"/api/v1/people/{child.ref}",
        {"version": 1, "known_as": "Gwen", "reason": "Known as Gwen"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/people/{child.ref}",
        {"version": 1, "known_as": "Llian", "reason": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    child.refresh_from_db()
    assert child.known_as == "Gwen"


def test_api_add_involvement_201(social_worker: User, child: Person, police: Any) -> None:
    response = post(
        api(social_worker),
        f"/api/v1/people/{child.ref}/involvements",
        {
            "agency": "gaerwen-police",
            "role": "police",
            "professional": "PC 123 Hughes",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["professional"] == "PC 123 Hughes"
    listed = api(social_worker).get(f"/api/v1/people/{child.ref}/involvements").json()
    assert {i["agency"] for i in listed["results"]} == {"ysgol-aberwen", "gaerwen-police"}


def test_api_add_involvement_400_names_fields(social_worker: User, child: Person) -> None:
    response = post(
        api(social_worker),
        f"/api/v1/people/{child.ref}/involvements",
        {"agency": "nowhere", "role": "gp", "start_date": "2026-01-05"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"agency"}
    assert Involvement.objects.filter(person=child).count() == 1


def test_api_add_involvement_for_unseen_child_is_404(other_school_dsl: User, child: Person) -> None:
    response = post(
        api(other_school_dsl),
        f"/api/v1/people/{child.ref}/involvements",
        {"agency": "ysgol-nantgwyn", "role": "school", "start_date": "2026-01-05"},
    )
    assert response.status_code == 404


def test_is4_api_reads_and_writes_are_in_the_audit_trail(
    social_worker: User, child: Person
) -> None:
    client = api(social_worker)
    client.get(f"/api/v1/people/{child.ref}")
    event = AccessEvent.objects.get(person_id=child.pk, action="view")
    assert event.channel == "api"
    assert event.route == f"GET /api/v1/people/{child.ref}"
    assert event.username == social_worker.username


def test_is4_access_log_endpoint_for_permitted_roles_only(
    team_manager: User, social_worker: User, child: Person
) -> None:
    api(social_worker).get(f"/api/v1/people/{child.ref}")
    log = api(team_manager).get(f"/api/v1/people/{child.ref}/access-log").json()
    assert any(e["username"] == social_worker.username for e in log["results"])
    assert api(social_worker).get(f"/api/v1/people/{child.ref}/access-log").status_code == 404


def test_openapi_schema_lists_the_contract_paths(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/people", "/api/v1/people/{id}", "/api/v1/people/{id}/involvements"):
        assert path in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
