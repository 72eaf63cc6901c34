"""SM3 through the API: the caller's open actions, one action, completing it — each refusal in
the API's one error shape, and nothing of an action shown to whom may not see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tarian.actions.models import ActionStatus, AgreedAction
from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tests.actions.conftest import KIND, TODAY, Meeting, agree

pytestmark = pytest.mark.django_db
SECRET = "Ask the GP about the missed appointments"


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _complete(user: User, action: AgreedAction, body: dict[str, object]) -> object:
    return api(user).post(
        f"/api/v1/actions/{action.pk}/complete", body, content_type="application/json"
    )


def test_sm3_api_completes_an_action_with_its_outcome(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school, owner=school_dsl, description=SECRET)
    response = _complete(school_dsl, action, {"outcome": "GP called on 17 November.",
                                              "version": 1})
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert {k: v for k, v in body.items() if k != "completed_at"} == {
        "id": action.pk, "subject": {"kind": KIND, "id": "1"}, "description": SECRET,
        "owner_agency": school.slug, "owner": school_dsl.username,
        "due_date": (TODAY + dt.timedelta(days=7)).isoformat(), "status": "completed",
        "outcome": "GP called on 17 November.", "version": 2,
    }
    assert body["completed_at"]


def test_sm3_api_blank_outcome_is_400_naming_the_field(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school)
    for body in ({"outcome": "  "}, {}):
        response = _complete(school_dsl, action, body)
        assert response.status_code == 400  # type: ignore[attr-defined]
        errors = response.json()["errors"]  # type: ignore[attr-defined]
        assert list(errors) == ["outcome"]
    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.OPEN, 1)


def test_sm3_api_stale_version_is_409_with_the_current_version(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school)
    response = _complete(school_dsl, action, {"outcome": "Done.", "version": 5})
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert response.json()["current_version"] == 1  # type: ignore[attr-defined]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_api_another_agency_gets_404_and_learns_nothing(
    social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    action = agree(social_worker, school, description=SECRET)
    for response in (
        api(other_school_dsl).get(f"/api/v1/actions/{action.pk}"),
        _complete(other_school_dsl, action, {"outcome": "Done."}),
    ):
        assert response.status_code == 404  # type: ignore[attr-defined]
        assert SECRET not in response.content.decode()  # type: ignore[attr-defined]
    listed = api(other_school_dsl).get("/api/v1/actions").json()
    assert listed == {"count": 0, "next": None, "results": []}
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_api_an_invited_agency_reads_but_gets_403_completing(
    meetings: Meeting, social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    meetings.chairs["1"] = social_worker
    assert other_school_dsl.agency_id is not None
    meetings.invited["1"] = {other_school_dsl.agency_id}
    action = agree(social_worker, school, description=SECRET)
    read = api(other_school_dsl).get(f"/api/v1/actions/{action.pk}")
    assert read.status_code == 200
    assert read.json()["description"] == SECRET
    response = _complete(other_school_dsl, action, {"outcome": "Done."})
    assert response.status_code == 403  # type: ignore[attr-defined]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_api_the_chair_completes_through_may_complete(
    meetings: Meeting, social_worker: User, school: Agency
) -> None:
    meetings.chairs["1"] = social_worker
    action = agree(social_worker, school)
    # The chair's agency does not own it: only the workflow's may_complete lets them.
    assert social_worker.agency_id != school.pk
    response = _complete(social_worker, action, {"outcome": "Agreed closed at review."})
    assert response.status_code == 200  # type: ignore[attr-defined]


def test_sm3_api_lists_the_callers_open_actions_soonest_first(
    social_worker: User, school: Agency, school_dsl: User, other_school_dsl: User
) -> None:
    later = agree(social_worker, school, due=TODAY + dt.timedelta(days=9))
    sooner = agree(social_worker, school, owner=school_dsl, due=TODAY + dt.timedelta(days=2))
    colleague_s = agree(social_worker, school, owner=None, due=TODAY + dt.timedelta(days=3))
    done = agree(social_worker, school, owner=school_dsl)
    AgreedAction.objects.filter(pk=done.pk).update(
        status=ActionStatus.COMPLETED, outcome="Done.", completed_at=dt.datetime(2026, 11, 17,
                                                                              tzinfo=dt.UTC)
    )
    body = api(school_dsl).get("/api/v1/actions?page_size=2").json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [sooner.pk, colleague_s.pk]
    assert body["next"]
    rest = api(school_dsl).get("/api/v1/actions?page_size=2&page=2").json()
    assert [row["id"] for row in rest["results"]] == [later.pk]


def test_sm3_api_the_schema_documents_the_actions_endpoints() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    complete = schema["paths"]["/api/v1/actions/{id}/complete"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(complete["responses"])
    listed = schema["paths"]["/api/v1/actions"]["get"]
    assert "count" in listed["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]
