"""Enquiries start from a strategy meeting: the strategy personas and meeting, reused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import User
from tarian.meetings import services as meetings
from tarian.meetings.models import Meeting
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

DECISION = (
    "Bruising to the arm with a consistent account from the child that her father grabbed "
    "her: reasonable cause to suspect significant harm, so Section 47 enquiries start today."
)


@pytest.fixture
def decided(meeting: Meeting, gateway_worker: User) -> Meeting:
    """The strategy discussion was held and decided Section 47 enquiries."""
    meetings.record_held(gateway_worker, meeting_id=meeting.pk,
                         held_at=timezone.now() - dt.timedelta(minutes=30))
    meetings.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=DECISION,
    )
    return meeting
