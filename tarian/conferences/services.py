"""Initial child protection conferences (CP1, VC1), built on the meeting mechanism.

- ``convene_from_enquiry``: registered with ``enquiries.followups``; when enquiries conclude
  with a conference requested, convenes a meeting of the pack's ``initial_conference`` kind with
  the invitation rule, its clock (the pack's ``icpc``) from the last strategy discussion, and a
  written report asked of every invited agency, each with its own clock (``conference_report``,
  and no later than the pack's ``conference_report_days_before`` working days before the
  conference) — all in the conclusion's transaction. ``convene_conference`` does the same
  for the API.
- ``submit_report``: an agency's report (text or a document reference); ``chase_late_reports``
  (``tarian tick``) tells each late agency once.
- ``record_child``: the child's voice and the active offer of advocacy; ``record_parent``.
- ``record_conference_held``: refused below the pack's quorum unless the chair says why.
- ``record_outcome``: per child, by the chair: register or not, the category and key worker
  when registering, the rationale as the meeting's decision; ``approve_conference_minutes``
  meets the outline plan's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tarian.agencies.models import Agency, AgencyType, User
from tarian.audit.models import AccessAction
from tarian.conferences import selectors
from tarian.conferences.models import (
    AdvocacyAnswer,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ParentParticipation,
    ReportRequest,
    ReportStatus,
)
from tarian.core.rationale import check_rationale
from tarian.deadlines.services import meet_clock, start_clock, start_clocks
from tarian.enquiries.models import Enquiry
from tarian.enquiries.selectors import enquiry_for
from tarian.errors import Forbidden, NotFound, Refused
from tarian.meetings import services as meetings
from tarian.meetings.models import Invitation, InvitationStatus, Meeting, MeetingStatus
from tarian.meetings.reasons import message_part
from tarian.meetings.selectors import audit_meeting, may_manage, takes_part
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each
from tarian.people.models import Person
from tarian.procedures import clocks
from tarian.procedures.packs import current_pack
from tarian.referrals.models import VoiceMethod
from tarian.strategy import services as strategy

INITIAL_KIND = "initial_conference"
DECISIONS = "conference_decisions"
HELD_BY = "icpc"
REPORT = "conference_report"
OUTLINE_PLAN = "outline_plan"
SUBJECT_KIND = "conference"
REPORT_SUBJECT = "conference_report"
CHAIR_ROLE = "conference_chair"
CHASE_BATCH = 200
TOOK_PART = gettext_noop("Took part in the strategy discussion %(ref)s")


def conference_proposals(
    children: Sequence[Person], strategy_meeting: Meeting | None, on: dt.date
) -> list[meetings.Proposal]:
    """The meeting mechanism's rule (every agency involved with the children), plus the
    agencies that took part in the strategy discussion (the police, the referrer's)."""
    also = []
    if strategy_meeting is not None:
        part = message_part(TOOK_PART, ref=strategy_meeting.reference)
        also = [
            (invitation.agency, part)
            for invitation in strategy_meeting.invitations.exclude(
                status=InvitationStatus.EXCLUDED
            ).select_related("agency").order_by("pk")
        ]
    return meetings.propose_invitees(children, on=on, also=also)


def clock_start(enquiry: Enquiry) -> dt.datetime:
    """The pack's ``icpc`` starts at the strategy discussion: the last one held about these
    children since the one that started the enquiries, when there were several."""
    first = enquiry.strategy_meeting
    start = first.held_at or first.convened_at
    later = (
        Meeting.objects.filter(
            kind__in=list(strategy.STRATEGY_KINDS.values()), children__in=enquiry.children.all(),
            held_at__isnull=False, held_at__gt=start,
        ).exclude(status=MeetingStatus.CANCELLED).order_by("-held_at").values_list(
            "held_at", flat=True
        ).first()
    )
    return later or start


def report_due_by(meeting: Meeting, due_at: dt.datetime) -> dt.datetime:
    """No later than the pack's figure of working days before the conference (or its due
    time, while it is not yet scheduled)."""
    pack = current_pack()
    day = timezone.localdate(meeting.scheduled_for or due_at)
    before = clocks.add_working_days(day, -pack.figure("conference_report_days_before"),
                                     pack.subdivision)
    return clocks.end_of_day(before)


def _chair_for(agency: Agency) -> User | None:
    return User.objects.filter(
        agency=agency, is_active=True, roles__code=CHAIR_ROLE
    ).order_by("pk").first()


def _request_reports(conference: Conference, moment: dt.datetime) -> None:
    meeting = conference.meeting
    due_by = report_due_by(meeting, conference.due_at)
    invited = Invitation.objects.filter(meeting=meeting).exclude(
        status=InvitationStatus.EXCLUDED
    ).select_related("agency").order_by("pk")
    for invitation in invited:
        request = ReportRequest.objects.create(
            conference=conference, agency=invitation.agency, requested_at=moment,
            due_at=moment,
        )
        row = start_clock(
            timescale=REPORT, subject_kind=REPORT_SUBJECT, subject_id=request.pk,
            started_at=moment, agency=invitation.agency, owner=invitation.invitee,
            due_by=due_by,
        )
        request.due_at = row.due_at
        request.save(update_fields=["due_at"])


def _convene(
    user: User,
    *,
    children: Sequence[Person],
    enquiry: Enquiry | None,
    strategy_meeting: Meeting | None,
    started_at: dt.datetime,
    scheduled_for: dt.datetime | None,
    chair: User | None,
    moment: dt.datetime,
) -> Conference:
    assert user.agency is not None
    chair = chair or _chair_for(user.agency) or user
    meeting = meetings.convene_meeting(
        user, kind=INITIAL_KIND, children=children,
        proposals=conference_proposals(children, strategy_meeting, timezone.localdate(moment)),
        scheduled_for=scheduled_for, chair=chair,
        chair_role=_("Conference chair (independent reviewing officer)"),
        origin_kind="enquiry" if enquiry else "meeting",
        origin_id=str(enquiry.pk if enquiry else strategy_meeting.pk if strategy_meeting else ""),
        held_by_timescale=HELD_BY, clock_started_at=started_at, now=moment,
    )
    conference = Conference.objects.create(
        meeting=meeting, enquiry=enquiry, strategy_meeting=strategy_meeting,
        clock_started_at=started_at,
        due_at=clocks.due_at(current_pack().timescale(HELD_BY), started_at),
        quorum=current_pack().figure("conference_quorum"),
    )
    ConferenceChild.objects.bulk_create(
        ConferenceChild(conference=conference, child=child) for child in children
    )
    _request_reports(conference, moment)
    return conference


def convene_from_enquiry(user: User, enquiry: Enquiry, moment: dt.datetime) -> None:
    """Registered with ``enquiries.followups``: runs inside the conclusion's transaction."""
    if Conference.objects.filter(enquiry=enquiry).exists():
        return
    _convene(
        user, children=list(enquiry.children.all().order_by("pk")), enquiry=enquiry,
        strategy_meeting=enquiry.strategy_meeting, started_at=clock_start(enquiry),
        scheduled_for=None, chair=None, moment=moment,
    )


@transaction.atomic
def convene_conference(
    user: User,
    *,
    children: Sequence[str] = (),
    enquiry_id: int | None = None,
    strategy_meeting_id: int | None = None,
    scheduled_for: dt.datetime | None = None,
    chair: User | None = None,
    now: dt.datetime | None = None,
) -> tuple[Conference, bool]:
    """CP1 through the API: a conference names its enquiry, its strategy meeting, or both. An
    enquiry that already requested one answers that one (``False``)."""
    moment = now or timezone.now()
    if user.agency is None or user.agency.type != AgencyType.CHILDRENS_SERVICES:
        raise Forbidden("conference:convene")
    errors: dict[str, list[str]] = {}
    enquiry = None
    meeting = None
    if enquiry_id is not None:
        try:
            enquiry = enquiry_for(user, enquiry_id)
        except NotFound:
            errors["enquiry"] = [_("No enquiry with this id")]
    if strategy_meeting_id is not None:
        from tarian.meetings.selectors import meeting_for

        try:
            meeting = meeting_for(user, strategy_meeting_id)
        except NotFound:
            errors["strategy_meeting"] = [_("No strategy meeting with this id")]
        else:
            if meeting.kind not in strategy.STRATEGY_KINDS.values():
                errors["strategy_meeting"] = [_("Choose a strategy discussion or meeting")]
    if enquiry_id is None and strategy_meeting_id is None:
        errors["enquiry"] = [_("Name the enquiry or the strategy meeting")]
    if errors:
        raise Refused(errors)
    if enquiry is not None:
        found = Conference.objects.filter(enquiry=enquiry).first()
        if found is not None:
            return found, False
        meeting = meeting or enquiry.strategy_meeting
    assert meeting is not None
    pool = list((enquiry.children if enquiry else meeting.children).all().order_by("pk"))
    if children:
        wanted = {str(ref).strip() for ref in children}
        chosen = [child for child in pool if child.ref in wanted]
        if len(chosen) != len(wanted):
            raise Refused("children", _("Choose children the enquiry or meeting is about"))
        pool = chosen
    if not pool:
        raise Refused("children", _("Choose at least one child"))
    started = clock_start(enquiry) if enquiry else (meeting.held_at or meeting.convened_at)
    conference = _convene(
        user, children=pool, enquiry=enquiry, strategy_meeting=meeting, started_at=started,
        scheduled_for=scheduled_for, chair=chair, moment=moment,
    )
    return conference, True


def _locked(user: User, conference_id: int) -> Conference:
    conference = selectors.conference_for(user, conference_id)
    locked = Conference.objects.select_for_update().select_related("meeting").get(
        pk=conference.pk
    )
    if locked.meeting.status == MeetingStatus.CANCELLED:
        raise Refused("__all__", _("This conference was cancelled"))
    return locked


def _touch(user: User, conference: Conference) -> None:
    meeting = conference.meeting
    meeting.version += 1
    meeting.modified_by = user
    meeting.save(update_fields=["version", "modified_by", "modified_at"])
    audit_meeting(user, meeting, action=AccessAction.UPDATE)


@transaction.atomic
def submit_report(
    user: User,
    *,
    conference_id: int,
    text: str = "",
    document: str = "",
    shared_with_parents: bool = False,
    now: dt.datetime | None = None,
) -> ReportRequest:
    """CP1: the caller's agency's written report (its text, or a document reference); meets
    that agency's clock."""
    moment = now or timezone.now()
    conference = _locked(user, conference_id)
    if not takes_part(user, conference.meeting) or user.agency_id is None:
        raise Forbidden("conference:report")
    request = ReportRequest.objects.select_for_update().filter(
        conference=conference, agency_id=user.agency_id
    ).first()
    if request is None:
        raise Refused("__all__", _("No report was requested from your agency"))
    body, reference = (text or "").strip(), " ".join((document or "").split())[:120]
    if not body and not reference:
        raise Refused("text", _("Write your agency's report, or give the document reference"))
    request.status = ReportStatus.RECEIVED
    request.text, request.document = body, reference
    request.shared_with_parents = shared_with_parents
    request.received_at, request.received_from = moment, user
    request.save()
    meet_clock(subject_kind=REPORT_SUBJECT, subject_id=request.pk, met_at=moment)
    _touch(user, conference)
    return request


def chase_late_reports(*, now: dt.datetime) -> int:
    """CP1: tell each agency whose report is late, once (the named invitee, else its
    practitioners). Idempotent: a chased request is not chased again."""
    rows = list(
        ReportRequest.objects.filter(
            status=ReportStatus.REQUESTED, due_at__lt=now, chased_at__isnull=True,
            conference__meeting__status=MeetingStatus.CONVENED,
        ).select_related("agency", "conference__meeting").select_for_update(of=("self",))
        .order_by("due_at", "pk")[:CHASE_BATCH]
    )
    for row in rows:
        invitation = Invitation.objects.filter(
            meeting_id=row.conference_id, agency_id=row.agency_id
        ).select_related("agency", "invitee").first()
        if invitation is None:
            continue
        meeting = row.conference.meeting

        def message(meeting: Meeting = meeting) -> tuple[str, str]:
            return (
                _("Your report for conference %(ref)s is late") % {"ref": meeting.reference},
                _("Your agency's written report for the initial child protection conference "
                  "%(ref)s was due and has not arrived. Send it in Tarian as soon as you can.")
                % {"ref": meeting.reference},
            )

        notify_each(meetings.agency_recipients(invitation), kind=NotificationKind.GENERAL,
                    message=message, link=f"/conferences/{row.conference_id}/reports")
    ReportRequest.objects.filter(pk__in=[row.pk for row in rows]).update(chased_at=now)
    return len(rows)


def _chase_job(now: dt.datetime) -> str:
    return f"{chase_late_reports(now=now)} late conference report(s) chased"


def register_tick_jobs() -> None:
    from tarian.operations.tick import register_tick_job

    register_tick_job("conferences.chase_late_reports", _chase_job)


def _manager(user: User, conference: Conference) -> None:
    if not may_manage(user, conference.meeting):
        raise Forbidden("conference:manage")


@transaction.atomic
def record_child(
    user: User,
    *,
    conference_id: int,
    child: str,
    advocacy_offered_at: dt.datetime | None = None,
    advocacy_answer: str = "",
    advocate: str = "",
    voice: str = "",
    voice_method: str = "",
    language: str = "",
    now: dt.datetime | None = None,
) -> ConferenceChild:
    """CP1, VC1: the active offer of advocacy (offered, accepted or declined, the advocate)
    and the child's voice."""
    moment = now or timezone.now()
    conference = _locked(user, conference_id)
    _manager(user, conference)
    row = ConferenceChild.objects.filter(
        conference=conference, child__ref=str(child).strip()
    ).first()
    errors: dict[str, list[str]] = {}
    if row is None:
        raise Refused("child", _("Choose a child this conference is about"))
    if advocacy_answer not in AdvocacyAnswer.values:
        errors["advocacy_answer"] = [_("Choose accepted or declined")]
    offered = advocacy_offered_at or row.advocacy_offered_at
    if advocacy_answer and offered is None:
        errors["advocacy_offered_at"] = [_("Say when advocacy was offered to the child")]
    if offered is not None and offered > moment:
        errors["advocacy_offered_at"] = [_("The offer cannot be in the future")]
    if advocacy_answer == AdvocacyAnswer.ACCEPTED and not advocate.strip():
        errors["advocate"] = [_("Name the child's advocate")]
    if voice_method and voice_method not in VoiceMethod.values:
        errors["voice_method"] = [_("Choose how the child's views were gathered")]
    if errors:
        raise Refused(errors)
    row.advocacy_offered_at = offered
    row.advocacy_answer = advocacy_answer or row.advocacy_answer
    row.advocate = " ".join(advocate.split())[:200] or row.advocate
    row.voice = voice.strip() or row.voice
    row.voice_method = voice_method or row.voice_method
    row.language = language.strip()[:16] or row.language
    row.recorded_by, row.recorded_at = user, moment
    row.save()
    _touch(user, conference)
    return row


@transaction.atomic
def record_parent(
    user: User,
    *,
    conference_id: int,
    name: str,
    relationship: str = "",
    invited: bool = True,
    attended: bool = False,
    support_offered: str = "",
    now: dt.datetime | None = None,
) -> ParentParticipation:
    """CP1: a parent's part in the conference and the support offered to take part."""
    conference = _locked(user, conference_id)
    _manager(user, conference)
    text = " ".join((name or "").split())[:200]
    if not text:
        raise Refused("name", _("Enter the parent's or carer's name"))
    row = ParentParticipation.objects.create(
        conference=conference, name=text, relationship=relationship.strip()[:120],
        invited=invited, attended=attended, support_offered=support_offered.strip(),
        recorded_by=user, recorded_at=now or timezone.now(),
    )
    _touch(user, conference)
    return row


@transaction.atomic
def record_conference_held(
    user: User,
    *,
    conference_id: int,
    held_at: dt.datetime,
    attended: Sequence[Agency] = (),
    risk_analysis: str = "",
    inquorate_reason: str = "",
    now: dt.datetime | None = None,
) -> Conference:
    """CP1: held, with the agencies that attended; fewer than the pack's quorum is refused on
    ``attended`` unless the chair records why (``inquorate_reason``). The outline plan's clock
    starts (the pack's ``outline_plan``)."""
    conference = _locked(user, conference_id)
    meeting = conference.meeting
    _manager(user, conference)
    invited = set(Invitation.objects.filter(meeting=meeting).exclude(
        status=InvitationStatus.EXCLUDED
    ).values_list("agency_id", flat=True))
    present = ({agency.pk for agency in attended} | {meeting.convening_agency_id}) & invited
    reason = " ".join((inquorate_reason or "").split())
    if len(present) < conference.quorum:
        if not reason:
            raise Refused({
                "attended": [_(
                    "%(count)s agencies attended; the procedures need %(quorum)s for the "
                    "conference to be quorate. Record who attended, or the chair says why it "
                    "went ahead."
                ) % {"count": len(present), "quorum": conference.quorum}],
                "inquorate_reason": [_(
                    "Say why the conference went ahead without a quorum"
                )],
            })
        if user.pk != meeting.chair_id:
            raise Refused("inquorate_reason", _(
                "Only the chair may say why a conference went ahead without a quorum"
            ))
    meetings.record_held(user, meeting_id=meeting.pk, held_at=held_at, attended=attended,
                         risk_analysis=risk_analysis, now=now)
    conference.inquorate_reason = reason if len(present) < conference.quorum else ""
    conference.save(update_fields=["inquorate_reason"])
    start_clocks(
        timescale=OUTLINE_PLAN, subject_kind=SUBJECT_KIND, subject_id=conference.pk,
        started_at=held_at, people=list(meeting.children.all()) or [None],
        agency=meeting.convening_agency, owner=meeting.chair,
    )
    return conference


@transaction.atomic
def record_outcome(
    user: User,
    *,
    conference_id: int,
    child: str,
    register: bool,
    category: str = "",
    key_worker: str = "",
    rationale: str = "",
    now: dt.datetime | None = None,
) -> ConferenceOutcome:
    """CP1: the chair records each child's outcome. Registering needs a category from the
    pack's list and a key worker at children's services; the rationale meets the one rule,
    and is the meeting's decision (so dissent can name it and it circulates with the
    others)."""
    moment = now or timezone.now()
    conference = _locked(user, conference_id)
    meeting = conference.meeting
    if user.pk != meeting.chair_id:
        raise Forbidden("conference:outcome")
    errors: dict[str, list[str]] = {}
    person = Person.objects.filter(ref=str(child).strip(), meetings=meeting).first()
    if person is None:
        errors["child"] = [_("Choose a child this conference is about")]
    elif ConferenceOutcome.objects.filter(conference=conference, child=person).exists():
        errors["child"] = [_("The outcome for this child is already recorded")]
    if meeting.status != MeetingStatus.HELD:
        errors["__all__"] = [_("Record that the conference was held first")]
    worker = None
    if register:
        if not category:
            errors["category"] = [_("Choose the category of registration")]
        elif category not in current_pack().codes("abuse_categories"):
            errors["category"] = [_("Choose a category from the list")]
        worker = User.objects.filter(
            username=str(key_worker or "").strip(), is_active=True,
            agency__type=AgencyType.CHILDRENS_SERVICES,
        ).first()
        if worker is None:
            errors["key_worker"] = [_(
                "Name the key worker: an active practitioner in children's services"
            )]
    elif category:
        errors["category"] = [_("A category is recorded only when the child is registered")]
    try:
        check_rationale(rationale, field="rationale")
    except Refused as refused:
        errors.update(refused.errors)
    if errors:
        raise Refused(errors)
    assert person is not None
    decision = meetings.record_meeting_decision(
        user, meeting_id=meeting.pk, list_name=DECISIONS,
        code="register" if register else "do_not_register", rationale=rationale,
        child=person, now=moment,
    )
    return ConferenceOutcome.objects.create(
        conference=conference, child=person, register=register, category=category if register
        else "", key_worker=worker, decision=decision, recorded_by=user, recorded_at=moment,
    )


@transaction.atomic
def approve_conference_minutes(
    user: User, *, conference_id: int, version: int | None = None,
    now: dt.datetime | None = None,
) -> Conference:
    """CP1: the chair approves the minutes with the outline plan; the meeting circulates them
    to every invited agency and the outline plan's clock is met."""
    moment = now or timezone.now()
    conference = _locked(user, conference_id)
    meetings.approve_minutes(user, meeting_id=conference.pk, version=version, now=moment)
    meet_clock(subject_kind=SUBJECT_KIND, subject_id=conference.pk, met_at=moment,
               timescales=[OUTLINE_PLAN])
    return conference
