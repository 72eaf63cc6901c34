"""Issue 21 (IS2, SM2, EQ2): a strategy meeting's steps and the enquiries it started are on the
child's chronology for those who may see the meeting, and on nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import User
from tarian.enquiries.services import record_child_seen, start_enquiry
from tarian.meetings import services
from tarian.meetings.models import Meeting
from tests.meetings.conftest import api

pytestmark = pytest.mark.django_db
RATIONALE = (
    "Bruising to the arm with a consistent account from the child that her father grabbed "
    "her: reasonable cause to suspect significant harm, so Section 47 enquiries start today."
)


def _kinds(user: User, child_ref: str) -> list[str]:
    response = api(user).get(f"/api/v1/children/{child_ref}/chronology")
    assert response.status_code == 200, response.content
    return [event["kind"] for event in response.json()["events"]]


def test_is2_meeting_and_enquiry_steps_on_the_chronology_of_invited_agencies_only(
    meeting: Meeting, gateway_worker: User, school_dsl: User, cru_officer: User,
    other_school_dsl: User,
) -> None:
    services.record_held(gateway_worker, meeting_id=meeting.pk,
                         held_at=timezone.now() - dt.timedelta(hours=2))
    services.record_meeting_decision(gateway_worker, meeting_id=meeting.pk,
                                     list_name="strategy_decisions", code="section_47",
                                     rationale=RATIONALE)
    services.record_dissent(school_dsl, meeting_id=meeting.pk,
                            reason="The school thinks the police should interview her today.")
    enquiry = start_enquiry(gateway_worker, strategy_meeting_id=meeting.pk, type="joint",
                            rationale=RATIONALE)
    child = meeting.children.order_by("pk").first()
    assert child is not None
    record_child_seen(gateway_worker, enquiry_id=enquiry.pk, child=child.ref,
                      seen_at=timezone.now() - dt.timedelta(hours=1), seen_alone=True,
                      views="'I want to stay with Nain.'")
    expected = {"meeting_convened", "meeting_held", "meeting_decision", "meeting_dissent",
                "enquiry_started", "enquiry_child_seen"}
    assert expected <= set(_kinds(school_dsl, child.ref))
    assert expected <= set(_kinds(gateway_worker, child.ref))
    # An agency not invited sees none of it, even where it may open the child's record.
    other = api(other_school_dsl).get(f"/api/v1/children/{child.ref}/chronology")
    assert other.status_code in (200, 404)
    if other.status_code == 200:
        assert not expected & set(_kinds(other_school_dsl, child.ref))
