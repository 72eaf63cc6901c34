"""Issue 21 (SM1): a Gateway decision of "strategy discussion" opens one at once, with its
clock; every involved agency is proposed with its reason and invited, with the referrer's
agency and the police; a proposed agency is left out only with a reason; the police are told."""

from __future__ import annotations

import json

import pytest

from tarian.agencies.models import Agency, User
from tarian.deadlines.models import Deadline
from tarian.meetings.models import InvitationStatus, Meeting, MeetingStatus
from tarian.notifications.models import Notification
from tarian.referrals import reviews
from tarian.referrals.models import Referral
from tests.strategy.conftest import api

pytestmark = pytest.mark.django_db


def _statuses(meeting: Meeting) -> dict[str, str]:
    return {i.agency.slug: i.status for i in meeting.invitations.select_related("agency")}


def test_sm1_gateway_decision_opens_the_discussion_with_every_involved_agency(
    meeting: Meeting, referral: Referral, school: Agency, gp_practice: Agency, police: Agency,
    childrens_services: Agency,
) -> None:
    assert meeting.kind == "strategy_discussion"
    assert meeting.status == MeetingStatus.CONVENED
    reasons = {i.agency.slug: i.reason for i in meeting.invitations.select_related("agency")}
    assert set(reasons) == {school.slug, gp_practice.slug, police.slug, childrens_services.slug}
    assert "GP for Gwenllian Prydderch since" in reasons[gp_practice.slug]
    assert "School for Gwenllian Prydderch since" in reasons[school.slug]
    assert "strategy discussion is held with the police" in reasons[police.slug]
    # The clock from the pack: held within its timescale of the decision, one row per child.
    rows = Deadline.objects.filter(subject_kind="meeting", subject_id=str(meeting.pk))
    assert {row.timescale for row in rows} == {"strategy_discussion"}
    assert rows.count() == referral.children.count()


def test_sm1_police_are_told_a_strategy_discussion_is_convened(
    cru_officer: User, meeting: Meeting
) -> None:
    note = Notification.objects.get(recipient=cru_officer)
    assert meeting.reference in note.subject
    assert note.link == f"/meetings/{meeting.pk}"


def test_sm1_exclusion_without_reason_is_refused_naming_the_field(
    meeting: Meeting, gateway_worker: User, gp_practice: Agency
) -> None:
    client = api(gateway_worker)
    url = f"/api/v1/strategy-meetings/{meeting.pk}/exclusions"
    response = client.post(url, {"agency": gp_practice.slug, "reason": " "},
                           content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert _statuses(meeting)[gp_practice.slug] == InvitationStatus.INVITED
    response = client.post(url, {"agency": gp_practice.slug,
                                 "reason": "The GP has sent a written report instead"},
                           content_type="application/json")
    assert response.status_code == 201
    invitations = {i["agency"]: i for i in response.json()["invitations"]}
    assert invitations[gp_practice.slug]["status"] == "excluded"
    assert invitations[gp_practice.slug]["status_reason"] == (
        "The GP has sent a written report instead"
    )


def test_sm1_api_convening_for_the_referral_answers_the_open_meeting(
    meeting: Meeting, referral: Referral, team_manager: User
) -> None:
    client = api(team_manager)
    response = client.post("/api/v1/strategy-meetings",
                           {"referral": referral.ref, "kind": "discussion"},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["id"] == meeting.pk


def test_sm1_api_convenes_directly_with_proposed_invitees(
    child: object, team_manager: User, school: Agency, police: Agency
) -> None:
    client = api(team_manager)
    response = client.post("/api/v1/strategy-meetings",
                           {"children": [child.ref], "kind": "meeting"},  # type: ignore[attr-defined]
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    proposed = {p["agency"]: p["reason"] for p in body["proposed_invitees"]}
    assert {school.slug, police.slug} <= set(proposed)
    assert body["chair"] == team_manager.username


def test_sm1_returned_decision_cancels_the_unheld_discussion(
    meeting: Meeting, referral: Referral, team_manager: User
) -> None:
    reviews.return_decision(
        team_manager, ref=referral.ref,
        reason="Check with the police whether the father is known before deciding this again.",
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert not Deadline.objects.filter(
        subject_kind="meeting", subject_id=str(meeting.pk), stopped_at__isnull=True
    ).exists()


def test_sm1_agency_not_invited_gets_404_and_nothing_of_the_meeting(
    meeting: Meeting, other_school_dsl: User, housing_officer: User
) -> None:
    for user in (other_school_dsl, housing_officer):
        response = api(user).get(f"/api/v1/strategy-meetings/{meeting.pk}")
        assert response.status_code == 404
        assert "Gwenllian" not in response.content.decode()
        assert meeting.reference not in json.dumps(response.json())
