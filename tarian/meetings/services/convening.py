"""Convening a meeting of any kind with the agencies the rule proposes, and cancelling one
not yet held (issue 21; SM1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tarian.agencies.models import Action, User
from tarian.audit.models import AccessAction
from tarian.deadlines.services import start_clocks, stop_clock
from tarian.errors import Forbidden, Refused
from tarian.meetings import selectors
from tarian.meetings.models import Invitation, InvitationStatus, Meeting, MeetingStatus
from tarian.meetings.reasons import message_part, render
from tarian.meetings.services.guards import (
    SUBJECT_KIND,
    check_kind,
    check_when,
    locked,
    must_manage,
)
from tarian.meetings.services.invitations import Proposal, notify_invited, propose_invitees
from tarian.people.models import Person

CONVENES = gettext_noop("Convenes the meeting")


@transaction.atomic
def convene_meeting(
    user: User,
    *,
    kind: str,
    children: Sequence[Person] = (),
    professional: Person | None = None,
    proposals: Sequence[Proposal] | None = None,
    scheduled_for: dt.datetime | None = None,
    chair: User | None = None,
    chair_role: str = "",
    chair_seniority: str = "",
    origin_kind: str = "",
    origin_id: str = "",
    held_by_timescale: str = "",
    clock_started_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Convene a meeting and invite every proposed agency (SM1). The caller (the workflow)
    passes the proposals from ``propose_invitees``; the convening agency takes part too.
    ``held_by_timescale`` starts the pack's clock by which it must be held."""
    moment = now or timezone.now()
    if selectors.meeting_scope(user, Action.WRITE) is None:
        raise Forbidden("meeting:write")
    check_kind(kind)
    if not children and professional is None:
        raise Refused("children", _("Choose at least one child"))
    check_when(scheduled_for, "scheduled_for", now=moment)
    chair = chair or user
    if not chair.is_active or chair.agency is None:
        raise Refused("chair", _("Choose an active user to chair the meeting"))
    agency = user.agency
    assert agency is not None  # meeting_scope refuses a user without one
    meeting = Meeting.objects.create(
        kind=kind, professional=professional, origin_kind=origin_kind, origin_id=origin_id,
        convening_agency=agency, convened_by=user, convened_at=moment, chair=chair,
        chair_role=chair_role.strip()[:120] or _role_words(chair),
        chair_seniority=chair_seniority.strip()[:120], scheduled_for=scheduled_for,
        held_by_timescale=held_by_timescale, created_by=user, modified_by=user,
    )
    if children:
        meeting.children.set(children)
    found = list(
        proposals if proposals is not None else propose_invitees(children, on=moment.date())
    )
    language = translation.get_language() or "en"
    rows = [
        Invitation(
            meeting=meeting, agency=p.agency, reason=p.reason_in(language),
            reason_parts=list(p.reasons), invitee=p.invitee,
        )
        for p in found
    ]
    if all(p.agency.pk != agency.pk for p in found):
        convenes = message_part(CONVENES)
        rows.insert(0, Invitation(
            meeting=meeting, agency=agency, reason=render([convenes], language) or CONVENES,
            reason_parts=[convenes], proposed=False,
            status=InvitationStatus.ACCEPTED, answered_by=user, answered_at=moment,
        ))
    Invitation.objects.bulk_create(rows)
    if held_by_timescale:
        start_clocks(
            timescale=held_by_timescale, subject_kind=SUBJECT_KIND, subject_id=meeting.pk,
            started_at=clock_started_at or moment, people=list(children) or [None],
            agency=agency, owner=chair,
        )
    selectors.audit_meeting(user, meeting, action=AccessAction.CREATE)
    notify_invited(meeting, Invitation.objects.filter(meeting=meeting).select_related(
        "agency", "invitee"
    ))
    return meeting


def _role_words(user: User) -> str:
    roles = sorted(user.roles.all(), key=lambda role: role.code)
    return ", ".join(str(role.get_code_display()) for role in roles) or _("Chair")


@transaction.atomic
def cancel_meeting(
    user: User, *, meeting_id: int, reason: str, now: dt.datetime | None = None
) -> Meeting:
    """A meeting no longer needed is cancelled with a reason; its clocks stop with it."""
    moment = now or timezone.now()
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why the meeting is cancelled"))
    if meeting.status != MeetingStatus.CONVENED:
        raise Refused("reason", _("Only a meeting not yet held can be cancelled"))
    cancel_unheld(meeting, reason=text, at=moment)
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return meeting


def cancel_unheld(meeting: Meeting, *, reason: str, at: dt.datetime) -> None:
    """Cancel inside the caller's transaction (a workflow whose step was undone)."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    meeting.version += 1
    meeting.save()
    stop_clock(subject_kind=SUBJECT_KIND, subject_id=meeting.pk, stopped_at=at, reason=reason)
