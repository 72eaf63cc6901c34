"""Conference personas: the strategy personas and meeting, a conference chair at children's
services, and enquiries concluded with a conference requested."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tarian.agencies.models import Agency, User
from tarian.conferences.models import Conference
from tarian.enquiries import services as enquiries
from tarian.meetings import services as meetings
from tarian.meetings.models import Meeting
from tests.factories import UserFactory
from tests.strategy.conftest import (
    api,
    cru_supervisor,
    gp,
    gp_practice,
    housing,
    housing_officer,
    involved_gp,
    meeting,
    referral,
    referral_data,
    sibling,
)

__all__ = [
    "api", "cru_supervisor", "gp", "gp_practice", "housing", "housing_officer", "involved_gp",
    "meeting", "referral", "referral_data", "sibling",
]

LONDON = ZoneInfo("Europe/London")
# Friday 20 August 2027: 15 working days later runs over the August bank holiday (30 August).
HELD = dt.datetime(2027, 8, 20, 10, 0, tzinfo=LONDON)
DECISION = (
    "Bruising to the arm with a consistent account from the child that her father grabbed "
    "her: reasonable cause to suspect significant harm, so Section 47 enquiries start today."
)
TYPE_RATIONALE = "Physical harm alleged against a parent: joint enquiries with the police."
ANALYSIS = (
    "Gwenllian was seen alone at school and repeated her account. Her father accepts he "
    "grabbed her; her grandmother protects her. The risk of significant harm continues."
)
NOT_SEEN = "Both children were seen by the police officer at the joint visit; notes attached."
REGISTER = (
    "Gwenllian has suffered physical harm from her father and the risk continues while he "
    "lives at home: her name goes on the register under physical abuse, Owain key worker."
)


@pytest.fixture
def chair(childrens_services: Agency) -> User:
    return UserFactory(username="iolo", agency=childrens_services, roles=["conference_chair"])


@pytest.fixture
def conference(
    meeting: Meeting, gateway_worker: User, social_worker: User, chair: User
) -> Conference:
    """Enquiries concluded on Monday 23 August 2027 with a conference requested."""
    meetings.record_held(gateway_worker, meeting_id=meeting.pk, held_at=HELD,
                         now=HELD + dt.timedelta(hours=1))
    meetings.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=DECISION, now=HELD + dt.timedelta(hours=1),
    )
    enquiry = enquiries.start_enquiry(
        social_worker, strategy_meeting_id=meeting.pk, type="joint", rationale=TYPE_RATIONALE,
        now=HELD + dt.timedelta(hours=2),
    )
    enquiries.conclude_enquiry(
        social_worker, enquiry_id=enquiry.pk, outcome="concerns_substantiated",
        analysis=ANALYSIS, child_not_seen_reason=NOT_SEEN, request_conference=True,
        now=HELD + dt.timedelta(days=3),
    )
    return Conference.objects.get(enquiry=enquiry)
