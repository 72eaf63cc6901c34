"""The meeting's clocks in the "due and overdue" list (issue 21): to be held by the pack's
timescale, and its decisions and minutes to be circulated (SM4)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject, register_subject
from tarian.procedures.packs import current_pack


def _describe(user: User, ids: list[str]) -> dict[str, Subject]:
    from tarian.meetings.selectors import meetings_for

    keys = [int(key) for key in ids if key.isdigit()]
    found: dict[str, Subject] = {}
    pack = current_pack()
    for meeting in meetings_for(user).filter(pk__in=keys).only("pk", "kind"):
        kind = pack.label("meeting_kinds", meeting.kind, get_language() or "en")
        found[str(meeting.pk)] = Subject(
            text=f"{kind} {meeting.reference}", link=f"/meetings/{meeting.pk}"
        )
    return found


def register() -> None:
    register_subject("meeting", label=lambda: _("Meeting"), describe=_describe)
