"""Reading conferences (CP1; IS1, IS4). A conference is read by whoever may read its meeting
(the sharing rules' ``meeting`` kind: children's services, and the agencies invited); anyone
else gets ``NotFound``, as for one that does not exist. Reads are audited once per child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tarian.agencies.models import User
from tarian.conferences.models import (
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ParentParticipation,
    ReportRequest,
    ReportStatus,
)
from tarian.errors import NotFound
from tarian.meetings.selectors import MeetingRecord, meeting_record, meetings_for


def conferences_for(user: User) -> QuerySet[Conference]:
    return Conference.objects.filter(meeting__in=meetings_for(user))


def conference_for(user: User, conference_id: int | str) -> Conference:
    try:
        key = int(conference_id)
    except (TypeError, ValueError):
        raise NotFound(str(conference_id)) from None
    if not 0 < key < 2**63:
        raise NotFound(str(conference_id))
    conference = conferences_for(user).select_related("meeting", "enquiry").filter(
        pk=key
    ).first()
    if conference is None:
        raise NotFound(str(conference_id))
    return conference


def is_late(request: ReportRequest, now: dt.datetime) -> bool:
    return request.status == ReportStatus.REQUESTED and request.due_at < now


def report_status(request: ReportRequest, now: dt.datetime) -> str:
    """``requested``, ``received`` or ``late``."""
    return "late" if is_late(request, now) else request.status


@dataclass
class ConferenceRecord:
    conference: Conference
    meeting: MeetingRecord
    reports: list[ReportRequest]
    children: list[ConferenceChild]
    parents: list[ParentParticipation]
    outcomes: list[ConferenceOutcome]
    is_chair: bool
    may_manage: bool
    own_report: ReportRequest | None
    now: dt.datetime


def conference_record(
    user: User, conference_id: int | str, *, audit: bool = True
) -> ConferenceRecord:
    """The conference for its pages and the API, narrowed to the reader (children they may
    not open are left out of the voice and outcome rows). A fixed number of statements."""
    conference = conference_for(user, conference_id)
    record = meeting_record(user, conference.pk, audit=audit)
    visible = {child.pk for child in record.children}
    reports = list(conference.report_requests.select_related("agency", "received_from"))
    return ConferenceRecord(
        conference=conference,
        meeting=record,
        reports=reports,
        children=[
            row for row in conference.children.select_related("child") if row.child_id in visible
        ],
        parents=list(conference.parents.all()),
        outcomes=[
            row for row in conference.outcomes.select_related("child", "key_worker", "decision")
            if row.child_id in visible
        ],
        is_chair=record.is_chair,
        may_manage=record.may_manage,
        own_report=next((r for r in reports if r.agency_id == user.agency_id), None),
        now=timezone.now(),
    )
