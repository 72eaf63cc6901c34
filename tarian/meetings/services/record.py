"""The meeting's record (issue 21; SM2, SM3, SM5): that it was held and who attended, its
decisions, each agency's dissent, the actions it agreed and addenda agreed outside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.actions.models import AgreedAction
from tarian.actions.services import agree_action
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessAction
from tarian.core.rationale import check_rationale
from tarian.deadlines.services import meet_clock, start_clocks
from tarian.errors import Forbidden, Refused
from tarian.meetings import selectors
from tarian.meetings.models import (
    Addendum,
    Dissent,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
)
from tarian.meetings.services.circulation import ADDENDUM, circulate_to_invited
from tarian.meetings.services.guards import (
    DECISIONS_CIRCULATION,
    MINUTES_CIRCULATION,
    SUBJECT_KIND,
    check_when,
    locked,
    must_manage,
    not_cancelled,
)
from tarian.people.models import Person
from tarian.procedures.packs import current_pack


@transaction.atomic
def record_held(
    user: User,
    *,
    meeting_id: int,
    held_at: dt.datetime,
    attended: Sequence[Agency] = (),
    risk_analysis: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """The meeting took place: when, which agencies attended, the risk analysis (SM2). Its
    clock to be held is met, and the circulation clocks start (SM4)."""
    moment = now or timezone.now()
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    not_cancelled(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise Refused("held_at", _("This meeting is already recorded as held"))
    if held_at > moment:
        raise Refused("held_at", _("The meeting cannot be recorded as held in the future"))
    check_when(held_at, "held_at", now=moment)
    meeting.status = MeetingStatus.HELD
    meeting.held_at = held_at
    meeting.risk_analysis = risk_analysis.strip()
    meeting.version += 1
    meeting.modified_by = user
    meeting.save()
    attended_ids = {agency.pk for agency in attended} | {meeting.convening_agency_id}
    Invitation.objects.filter(meeting=meeting, agency_id__in=attended_ids).exclude(
        status=InvitationStatus.EXCLUDED
    ).update(status=InvitationStatus.ATTENDED)
    if meeting.held_by_timescale:
        meet_clock(
            subject_kind=SUBJECT_KIND, subject_id=meeting.pk, met_at=held_at,
            timescales=[meeting.held_by_timescale],
        )
    children: list[Person | None] = list(meeting.children.all()) or [None]
    for timescale in (DECISIONS_CIRCULATION, MINUTES_CIRCULATION):
        start_clocks(
            timescale=timescale, subject_kind=SUBJECT_KIND, subject_id=meeting.pk,
            started_at=held_at, people=children, agency=meeting.convening_agency,
            owner=meeting.chair,
        )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return meeting


@transaction.atomic
def record_meeting_decision(
    user: User,
    *,
    meeting_id: int,
    list_name: str,
    code: str,
    rationale: str,
    child: Person | None = None,
    now: dt.datetime | None = None,
) -> MeetingDecision:
    """SM2: a decision from the pack's list, with a rationale that says something
    (``tarian.core.rationale``: a bare "NFA" is refused)."""
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    not_cancelled(meeting)
    errors: dict[str, list[str]] = {}
    if code not in current_pack().codes(list_name):
        errors["decision"] = [_("Choose a decision from the list")]
    try:
        text = check_rationale(rationale, field="rationale")
    except Refused as refusal:
        errors.update(refusal.errors)
        text = ""
    if child is not None and not meeting.children.filter(pk=child.pk).exists():
        errors["child"] = [_("Choose a child this meeting is about")]
    if errors:
        raise Refused(errors)
    decision = MeetingDecision.objects.create(
        meeting=meeting, list_name=list_name, code=code, child=child, rationale=text,
        recorded_by=user, recorded_at=now or timezone.now(),
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return decision


@transaction.atomic
def agree_meeting_action(
    user: User,
    *,
    meeting_id: int,
    description: str,
    owner_agency: Agency | None,
    owner: User | None = None,
    due_date: dt.date | None,
    today: dt.date | None = None,
) -> AgreedAction:
    """SM3: an action the meeting agreed, owned by an agency taking part (and a person there),
    due on a date no earlier than ``today`` (the London date, unless given); it closes only
    with an outcome (``tarian.actions``)."""
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    not_cancelled(meeting)
    if owner_agency is not None and not Invitation.objects.filter(
        meeting=meeting, agency=owner_agency
    ).exclude(status=InvitationStatus.EXCLUDED).exists():
        raise Refused("owner_agency", _("Choose an agency invited to this meeting"))
    action = agree_action(
        user, subject_kind=SUBJECT_KIND, subject_id=meeting.pk, description=description,
        owner_agency=owner_agency, owner=owner, due_date=due_date,
        today=today or timezone.localdate(),
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return action


@transaction.atomic
def record_dissent(
    user: User,
    *,
    meeting_id: int,
    reason: str,
    decision_id: int | None = None,
    what: str = "",
    now: dt.datetime | None = None,
) -> Dissent:
    """SM2: the user's agency disagrees, and why; kept with the meeting and shown to all who
    read it."""
    meeting = locked(user, meeting_id)
    not_cancelled(meeting)
    if not selectors.takes_part(user, meeting):
        raise Forbidden("meeting:dissent")
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why your agency disagrees"))
    decision = None
    if decision_id is not None:
        decision = MeetingDecision.objects.filter(meeting=meeting, pk=decision_id).first()
        if decision is None:
            raise Refused("decision", _("Choose a decision of this meeting"))
    assert user.agency is not None
    dissent = Dissent.objects.create(
        meeting=meeting, decision=decision, agency=user.agency, person=user,
        what=what.strip(), reason=text, recorded_at=now or timezone.now(),
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return dissent


@transaction.atomic
def add_addendum(
    user: User,
    *,
    meeting_id: int,
    text: str,
    agreed_on: dt.date,
    agreed_with: str = "",
    now: dt.datetime | None = None,
) -> Addendum:
    """SM5: an agreement reached outside the meeting, recorded against it."""
    moment = now or timezone.now()
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    if not (text or "").strip():
        raise Refused("text", _("Write what was agreed"))
    earliest = meeting.convened_at.date() - dt.timedelta(days=1)
    if agreed_on > timezone.localdate(moment) or agreed_on < earliest:
        raise Refused("agreed_on", _("Enter the date it was agreed: after the meeting was "
                                     "convened and not in the future"))
    addendum = Addendum.objects.create(
        meeting=meeting, text=text.strip(), agreed_on=agreed_on,
        agreed_with=agreed_with.strip(), recorded_by=user, recorded_at=moment,
    )
    circulate_to_invited(user, meeting, ADDENDUM, moment)
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return addendum
