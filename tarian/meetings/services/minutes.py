"""The meeting's minutes (issue 21; SM4, SM6): drafted and autosaved by those who manage the
meeting, approved only by the chair, and circulated when approved."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.errors import Conflict, Forbidden, Refused
from tarian.meetings.models import MeetingStatus, Minutes, MinutesStatus
from tarian.meetings.services.circulation import MINUTES, circulated
from tarian.meetings.services.guards import MINUTES_CIRCULATION, locked, must_manage


@transaction.atomic
def save_minutes(
    user: User,
    *,
    meeting_id: int,
    text: str,
    translation_text: str = "",
    language: str = "en",
    version: int | None = None,
) -> Minutes:
    """SM4: draft minutes, saved as they are written (autosave); a stale version is refused,
    never silently overwritten. Approved minutes are not changed: add an addendum."""
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    if language not in ("en", "cy"):
        raise Refused("language", _("Choose English or Welsh"))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting, created_by=user, version=0)
    elif version is not None and version != minutes.version:
        raise Conflict(minutes.version)
    if minutes.status == MinutesStatus.APPROVED:
        raise Refused("text", _("The chair has approved these minutes: record a change as an "
                                "addendum"))
    minutes.text = text.replace("\x00", "")
    minutes.translation = translation_text.replace("\x00", "")
    minutes.language = language
    minutes.version += 1
    minutes.modified_by = user
    minutes.save()
    return minutes


@transaction.atomic
def approve_minutes(
    user: User, *, meeting_id: int, version: int | None = None, now: dt.datetime | None = None
) -> Minutes:
    """SM4, SM6: only the chair approves the minutes; approving circulates them."""
    moment = now or timezone.now()
    meeting = locked(user, meeting_id)
    if meeting.chair_id != user.pk:
        raise Forbidden("meeting:approve")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise Refused("text", _("Write the minutes before approving them"))
    if version is not None and version != minutes.version:
        raise Conflict(minutes.version)
    if minutes.status == MinutesStatus.APPROVED:
        raise Refused("text", _("These minutes are already approved"))
    if meeting.status != MeetingStatus.HELD:
        raise Refused("held_at", _("Record when the meeting was held before approving its "
                                   "minutes"))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = user
    minutes.approved_at = moment
    minutes.version += 1
    minutes.modified_by = user
    minutes.save()
    circulated(user, meeting, MINUTES, timescale=MINUTES_CIRCULATION, at=moment)
    return minutes
