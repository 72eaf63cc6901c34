"""Issue 21 (EQ1, EQ2, SM7, VC1): Section 47 enquiries. The joint protocol proposes the type;
single agency where it proposes joint needs a rationale saying why; each child is seen against
the pack's clock with their views; closing without an analysis, or with a child not seen and
no reason, is refused; the conclusion convenes the review strategy meeting with the same
invitation rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.deadlines.models import Deadline
from tarian.enquiries import services
from tarian.enquiries.models import Enquiry
from tarian.errors import Refused
from tarian.meetings.models import Meeting
from tarian.referrals.models import Referral
from tests.enquiries.conftest import api

pytestmark = pytest.mark.django_db

TYPE_RATIONALE = (
    "The police hold information about the father and the account describes an assault: "
    "joint enquiries let the child be interviewed once, by both agencies together."
)
SINGLE = "Single agency because the family asked us to."
ANALYSIS = (
    "Gwenllian was seen alone at school and repeated her account. Her father accepts he "
    "grabbed her; her grandmother protects her. The risk of significant harm continues."
)


def _start(user: User, meeting: Meeting, **extra: object) -> dict:
    response = api(user).post("/api/v1/enquiries", {
        "strategy_meeting": meeting.pk, "type": "joint", "rationale": TYPE_RATIONALE, **extra,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_eq1_enquiry_needs_a_section_47_decision(meeting: Meeting, gateway_worker: User) -> None:
    response = api(gateway_worker).post("/api/v1/enquiries", {
        "strategy_meeting": meeting.pk, "type": "joint", "rationale": TYPE_RATIONALE,
    }, content_type="application/json")
    assert response.status_code == 400
    assert "strategy_meeting" in response.json()["errors"]


def test_eq1_protocol_proposes_joint_and_single_agency_needs_a_reason_saying_why(
    decided: Meeting, social_worker: User
) -> None:
    response = api(social_worker).post("/api/v1/enquiries", {
        "strategy_meeting": decided.pk, "type": "single_agency", "rationale": "NFA",
        "concern": "physical",
    }, content_type="application/json")
    assert response.status_code == 400
    assert "joint" in response.json()["errors"]["rationale"][0].lower()
    body = _start(social_worker, decided, type="single_agency", concern="physical",
                  rationale=TYPE_RATIONALE + " " + SINGLE)
    assert body["proposed_type"] == "joint"
    assert body["type"] == "single_agency"
    neglect = _start(social_worker, decided, type="single_agency", concern="neglect")
    assert neglect["proposed_type"] == "single_agency"


def test_eq2_child_seen_clock_per_child_and_met_when_seen(
    decided: Meeting, social_worker: User, referral: Referral
) -> None:
    body = _start(social_worker, decided)
    assert body["child_seen_due_at"]
    rows = Deadline.objects.filter(subject_kind="enquiry", subject_id=str(body["id"]))
    assert rows.count() == referral.children.count() == 2
    child = body["children"][0]
    seen = api(social_worker).post(f"/api/v1/enquiries/{body['id']}/child-seen", {
        "child": child, "seen_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "seen_alone": True, "views": "'I want Nain to come to the meeting.'",
        "voice_method": "own_words", "language": "cy",
    }, content_type="application/json")
    assert seen.status_code == 201, seen.content
    assert seen.json()["children_seen"][0]["views"] == "'I want Nain to come to the meeting.'"
    met = {row.person.ref: row.met_at is not None for row in rows.select_related("person")}
    assert met[child] is True
    assert list(met.values()).count(True) == 1


def test_eq2_closing_without_analysis_or_unseen_child_reason_is_refused(
    decided: Meeting, social_worker: User
) -> None:
    body = _start(social_worker, decided)
    url = f"/api/v1/enquiries/{body['id']}/outcome"
    client = api(social_worker)
    response = client.post(url, {"outcome": "concerns_substantiated", "analysis": ""},
                           content_type="application/json")
    assert response.status_code == 400
    assert "analysis" in response.json()["errors"]
    response = client.post(url, {"outcome": "concerns_substantiated", "analysis": ANALYSIS},
                           content_type="application/json")
    assert response.status_code == 400
    assert "child_not_seen_reason" in response.json()["errors"]
    assert Enquiry.objects.get(pk=body["id"]).status == "open"


def test_sm7_conclusion_convenes_the_review_strategy_meeting_with_every_agency(
    decided: Meeting, social_worker: User, school: Agency, gp_practice: Agency, police: Agency
) -> None:
    body = _start(social_worker, decided)
    response = api(social_worker).post(f"/api/v1/enquiries/{body['id']}/outcome", {
        "outcome": "concerns_substantiated", "analysis": ANALYSIS,
        "child_not_seen_reason": "Dafydd was in hospital; the ward sister saw him and shared "
        "his views with us by telephone.", "request_conference": True,
    }, content_type="application/json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["status"] == "concluded"
    assert result["conference_requested"] is True
    review = Meeting.objects.get(pk=result["review_strategy_meeting"])
    assert review.kind == "review_strategy_meeting"
    invited = set(review.invitations.values_list("agency__slug", flat=True))
    assert {school.slug, gp_practice.slug, police.slug} <= invited
    stopped = Deadline.objects.filter(subject_kind="enquiry", subject_id=str(body["id"]),
                                      stopped_at__isnull=False)
    assert stopped.count() == 2  # neither child was recorded as seen: both stopped with reason


def test_eq1_uninvited_agency_gets_404_for_the_enquiry(
    decided: Meeting, social_worker: User, other_school_dsl: User
) -> None:
    body = _start(social_worker, decided)
    response = api(other_school_dsl).get(f"/api/v1/enquiries/{body['id']}")
    assert response.status_code == 404
    assert "Gwenllian" not in response.content.decode()


def test_eq1_school_cannot_start_an_enquiry(decided: Meeting, school_dsl: User) -> None:
    with pytest.raises(Exception) as refused:
        services.start_enquiry(school_dsl, strategy_meeting_id=decided.pk, type="joint",
                               rationale=TYPE_RATIONALE)
    assert not isinstance(refused.value, Refused)


def test_eq1_police_challenge_single_agency_enquiries_and_the_lead_answers(
    decided: Meeting, social_worker: User, cru_officer: User, other_school_dsl: User
) -> None:
    body = _start(social_worker, decided, type="single_agency", concern="physical",
                  rationale=TYPE_RATIONALE + " " + SINGLE)
    about = {"kind": "enquiry_type", "id": str(body["id"])}
    reason = ("The father has a conviction for assault and the child describes being grabbed: "
              "the protocol proposes joint enquiries and we need to interview her with you.")
    refused = api(other_school_dsl).post("/api/v1/challenges", {"about": about,
                                                                 "reason": reason},
                                         content_type="application/json")
    assert refused.status_code == 404
    response = api(cru_officer).post("/api/v1/challenges", {"about": about, "reason": reason},
                                     content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["tier"] == 1
    from tarian.notifications.models import Notification

    assert Notification.objects.filter(recipient=social_worker).exists()  # the lead is told


def test_pc1_tick_runs_the_challenges_escalation() -> None:
    from tarian.operations.tick import tick_jobs

    assert "challenges.escalate_overdue" in dict(tick_jobs())
