"""What other shared mechanisms add to a meeting's record: the circulation of its decisions,
minutes and addenda, with each agency's receipt (SM4, SM5), and its agreed actions (SM3)."""

from __future__ import annotations

from typing import Any

from tarian.agencies.models import User
from tarian.meetings.selectors import MeetingRecord
from tarian.notifications.selectors import latest_receipts_by_agency

CIRCULATED = ("decisions", "minutes", "addendum")


def circulation_rows(record: MeetingRecord) -> list[dict[str, Any]]:
    """Per thing circulated and agency: when it was sent, first opened and acknowledged."""
    rows: list[dict[str, Any]] = []
    for what in CIRCULATED:
        for receipt in latest_receipts_by_agency("meeting", str(record.meeting.pk), what).values():
            rows.append({
                "agency": receipt.agency_slug, "agency_name": receipt.agency_name,
                "what": what, "sent_at": receipt.sent_at, "opened_at": receipt.opened_at,
                "acknowledged_at": receipt.acknowledged_at,
            })
    return rows


def add_extras(user: User, record: MeetingRecord) -> None:
    record.extra.setdefault("actions", [])
    record.extra["circulation"] = circulation_rows(record)
