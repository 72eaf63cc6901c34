"""What every step on a meeting checks first (issue 21): the meeting locked and readable, the
user one who manages it, the meeting not cancelled, times within reach; and the names of the
meeting's clocks as ``deadlines`` rows (SM4)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tarian.agencies.models import Action, User
from tarian.errors import Forbidden, Refused
from tarian.meetings import selectors
from tarian.meetings.models import Meeting, MeetingStatus
from tarian.procedures.packs import current_pack

SUBJECT_KIND = "meeting"
DECISIONS_CIRCULATION = "decisions_circulation"
MINUTES_CIRCULATION = "minutes_circulation"
# How far back a meeting may be recorded as held, and how far ahead one may be scheduled.
HELD_DAYS_BACK = 31
SCHEDULED_DAYS_AHEAD = 366


def check_kind(kind: str) -> None:
    if kind not in current_pack().codes("meeting_kinds"):
        raise Refused("kind", _("Choose a kind of meeting from the procedures"))


def check_when(value: dt.datetime | None, field: str, *, now: dt.datetime) -> None:
    if value is None:
        return
    if value < now - dt.timedelta(days=HELD_DAYS_BACK):
        raise Refused(field, _("Enter a time no more than a month ago"))
    if value > now + dt.timedelta(days=SCHEDULED_DAYS_AHEAD):
        raise Refused(field, _("Enter a time no more than a year from today"))


def locked(user: User, meeting_id: int, action: str = Action.READ) -> Meeting:
    """The meeting the user may read (else ``NotFound``), locked for the transaction."""
    meeting = selectors.meeting_for(user, meeting_id, action=action)
    return Meeting.objects.select_for_update().select_related("chair").get(pk=meeting.pk)


def must_manage(user: User, meeting: Meeting) -> None:
    if not selectors.may_manage(user, meeting):
        raise Forbidden("meeting:manage")


def not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("__all__", _("This meeting was cancelled"))
