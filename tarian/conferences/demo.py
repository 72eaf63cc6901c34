"""Initial child protection conferences for the demonstration (CP1, VC1; synthetic only):

- the conference the concluded enquiries requested (``tarian.enquiries.demo``): the school's
  report received, one agency's report late (its due time set to yesterday: the demo writes
  that row directly, decision 7), advocacy offered to the eldest child;
- a conference from the most recent strategy meeting, held with every invited agency, each
  child's outcome recorded by the chair (the first registered under neglect with the demo's
  social worker as key worker) and the decisions circulated.

Nothing is made if the demo has a held conference already, so ``tarian demo`` run twice adds
nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tarian.agencies.models import User
from tarian.conferences import services
from tarian.conferences.models import Conference, ReportRequest, ReportStatus
from tarian.deadlines.models import Deadline
from tarian.meetings import services as meetings
from tarian.meetings.models import Invitation, Meeting, MeetingStatus
from tarian.strategy import services as strategy
from tarian.strategy.demo import QUIET_EMAIL

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext

RATIONALE = (
    "The children have gone without food and basic care for months and the mother cannot yet "
    "keep her partner away: the risk of significant harm continues, so a plan is needed."
)
NOT_REGISTERED = (
    "The younger child is cared for by the grandmother most days and is seen daily by the "
    "nursery; the risk to him is met by the family support plan without registration."
)


def _requested(manager: User) -> None:
    conference = Conference.objects.filter(enquiry__isnull=False).order_by("pk").first()
    if conference is None:
        return
    now = timezone.now()
    requests = list(conference.report_requests.select_related("agency").order_by("pk"))
    school = next((r for r in requests if r.agency.type == "school"), None)
    if school is not None:
        users = User.objects.filter(agency=school.agency, is_active=True).order_by("pk")
        author = users.first()
        if author is not None:
            services.submit_report(
                author, conference_id=conference.pk, shared_with_parents=True,
                text="Attendance 78% this term. The children arrive hungry most Mondays; "
                     "their mother talks to us openly and asks for food parcels.",
            )
    late = next((r for r in requests if r.status == ReportStatus.REQUESTED and r != school),
                None)
    if late is not None:
        due = now - dt.timedelta(days=1)
        ReportRequest.objects.filter(pk=late.pk).update(due_at=due)
        Deadline.objects.filter(subject_kind=services.REPORT_SUBJECT,
                                subject_id=str(late.pk)).update(due_at=due, due_soon_at=due)
    child = conference.children.order_by("pk").first()
    if child is not None:
        services.record_child(
            manager, conference_id=conference.pk, child=child.child.ref,
            advocacy_offered_at=now - dt.timedelta(days=1), advocacy_answer="accepted",
            advocate="Advocacy service: Sioned Huws",
            voice="'I want Mam to get help and I want to stay at my school.'",
            voice_method="advocate",
        )


def _held(manager: User, worker: User) -> None:
    meeting = Meeting.objects.filter(
        kind__in=strategy.STRATEGY_KINDS.values(), status=MeetingStatus.HELD
    ).order_by("-held_at", "-pk").first()
    if meeting is None:
        return
    conference, _created = services.convene_conference(
        manager, strategy_meeting_id=meeting.pk, chair=manager
    )
    held = timezone.now() - dt.timedelta(hours=3)
    attended = [i.agency for i in Invitation.objects.filter(meeting_id=conference.pk)
                .select_related("agency")]
    services.record_conference_held(manager, conference_id=conference.pk, held_at=held,
                                    attended=attended, risk_analysis=RATIONALE)
    for number, child in enumerate(conference.meeting.children.order_by("pk")):
        services.record_outcome(
            manager, conference_id=conference.pk, child=child.ref, register=number == 0,
            category="neglect" if number == 0 else "",
            key_worker=worker.username if number == 0 else "",
            rationale=RATIONALE if number == 0 else NOT_REGISTERED,
        )
    meetings.circulate_decisions(manager, meeting_id=conference.pk)


@transaction.atomic
def create_demo_conferences() -> int:
    if Conference.objects.filter(meeting__status=MeetingStatus.HELD).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(
        username__in=["team.manager", "social.worker"])}
    if len(users) < 2:
        return 0
    _requested(users["team.manager"])
    _held(users["team.manager"], users["social.worker"])
    return Conference.objects.count()


def demo(context: DemoContext) -> None:
    """Conferences requested and held, if the demo has no held one yet."""
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL):
        create_demo_conferences()
