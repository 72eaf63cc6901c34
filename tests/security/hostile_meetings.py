"""The API operations of meetings and Section 47 enquiries (issue 21), each with a valid
request aimed at a fresh strategy meeting or enquiry about the child, for the hostile values of
``test_hostile_values.py`` (#17, IS4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tarian.agencies.models import AgencyType
from tests.factories import AgencyFactory
from tests.security.hostile import Operation, World

MEETING_RATIONALE = (
    "Bruising seen twice and an account from the child of being grabbed at home: joint "
    "enquiries with the police are needed to keep the child safe."
)


def _meeting(w: World, *, held: bool = False, decided: bool = False, minutes: bool = False) -> Any:
    """A fresh strategy meeting about the child, chaired by the team manager (issue 21)."""
    import datetime as dt

    from django.utils import timezone

    from tarian.meetings import services as meetings
    from tarian.strategy.services import convene_strategy_meeting

    chair = w.users["team_manager"]
    meeting, _created = convene_strategy_meeting(chair, children=[w.child.ref], kind="meeting")
    if held:
        meetings.record_held(chair, meeting_id=meeting.pk,
                             held_at=timezone.now() - dt.timedelta(hours=1))
    if decided:
        meetings.record_meeting_decision(chair, meeting_id=meeting.pk,
                                         list_name="strategy_decisions", code="section_47",
                                         rationale=MEETING_RATIONALE)
    if minutes:
        meetings.save_minutes(chair, meeting_id=meeting.pk, text="Present: all invited.")
    return meeting


def _meeting_call(suffix: str, body: Callable[[World, Any], dict[str, Any]], **state: bool
                  ) -> Callable[[World], tuple[str, dict[str, Any]]]:
    def valid(w: World) -> tuple[str, dict[str, Any]]:
        meeting = _meeting(w, **state)
        return f"/api/v1/strategy-meetings/{meeting.pk}/{suffix}", body(w, meeting)
    return valid


def _an_hour_ago() -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def _enquiry(w: World) -> Any:
    from tarian.enquiries.services import start_enquiry

    meeting = _meeting(w, held=True, decided=True)
    return start_enquiry(w.users["team_manager"], strategy_meeting_id=meeting.pk, type="joint",
                         rationale=MEETING_RATIONALE)


def _new_agency_slug() -> str:
    return str(AgencyFactory.create(type=AgencyType.HOUSING).slug)


MEETING_OPERATIONS = [
    Operation("POST", "/api/v1/strategy-meetings", "team_manager", lambda w: (
        "/api/v1/strategy-meetings", {
            "children": [w.child.ref], "referral": "", "kind": "meeting",
            "scheduled_for": _an_hour_ago(), "chair": "", "chair_role": "Team manager",
            "chair_seniority": "Service manager",
        })),
    Operation("POST", "/api/v1/strategy-meetings/{id}/exclusions", "team_manager",
              _meeting_call("exclusions", lambda w, m: {
                  "agency": w.school.slug, "reason": "The school sent a report instead."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/invitations", "team_manager",
              _meeting_call("invitations", lambda w, m: {
                  "agency": _new_agency_slug(), "reason": "The family's landlord."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/answer", "social_worker",
              _meeting_call("answer", lambda w, m: {
                  "status": "declined", "reason": "On leave", "information": "",
                  "audience": "invited"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/information", "social_worker",
              _meeting_call("information", lambda w, m: {
                  "text": "Attendance 81 % this term.", "audience": "statutory"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/held", "team_manager",
              _meeting_call("held", lambda w, m: {
                  "held_at": _an_hour_ago(), "attended": [w.school.slug],
                  "risk_analysis": "The risk is high while the father lives at home."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/decisions", "team_manager",
              _meeting_call("decisions", lambda w, m: {
                  "decision": "section_47", "rationale": MEETING_RATIONALE,
                  "child": w.child.ref})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/actions", "team_manager",
              _meeting_call("actions", lambda w, m: {
                  "owner_agency": w.school.slug, "owner": "",
                  "description": "Send the attendance record to the social worker.",
                  "due_date": "2027-01-08"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/dissents", "social_worker",
              _meeting_call("dissents", lambda w, m: {
                  "reason": "The risk is higher than the meeting found.", "decision": None,
                  "what": "The decision not to involve the police"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/addenda", "team_manager",
              _meeting_call("addenda", lambda w, m: {
                  "text": "Agreed by phone: the school nurse sees her on Monday.",
                  "agreed_on": _an_hour_ago()[:10], "agreed_with": "School"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/minutes", "team_manager",
              _meeting_call("minutes", lambda w, m: {
                  "text": "Present: school, police, children's services.", "translation": "",
                  "language": "en", "version": 0})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/minutes/approve", "team_manager",
              _meeting_call("minutes/approve", lambda w, m: {"version": 1}, held=True,
                            minutes=True)),
    Operation("POST", "/api/v1/enquiries", "team_manager", lambda w: (
        "/api/v1/enquiries", {
            "strategy_meeting": _meeting(w, held=True, decided=True).pk,
            "children": [w.child.ref], "type": "joint", "rationale": MEETING_RATIONALE,
            "concern": "physical", "lead": "",
        })),
    Operation("POST", "/api/v1/enquiries/{id}/child-seen", "team_manager", lambda w: (
        f"/api/v1/enquiries/{_enquiry(w).pk}/child-seen", {
            "child": w.child.ref, "seen_at": _an_hour_ago(), "seen_alone": True,
            "views": "'I want Nain there.'", "voice_method": "own_words", "language": "cy",
        })),
    Operation("POST", "/api/v1/enquiries/{id}/outcome", "team_manager", lambda w: (
        f"/api/v1/enquiries/{_enquiry(w).pk}/outcome", {
            "outcome": "concerns_not_substantiated", "analysis": MEETING_RATIONALE,
            "child_not_seen_reason": "In hospital; the ward sister shared her views.",
            "request_conference": False, "version": 1,
        })),
]
