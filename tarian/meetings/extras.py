"""What other shared mechanisms add to a meeting's record: its agreed actions and the
circulation of its decisions and minutes (filled in as those mechanisms land)."""

from __future__ import annotations

from tarian.agencies.models import User
from tarian.meetings.selectors import MeetingRecord


def add_extras(user: User, record: MeetingRecord) -> None:
    record.extra.setdefault("actions", [])
    record.extra.setdefault("circulation", [])
