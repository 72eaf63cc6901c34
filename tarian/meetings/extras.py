"""What other shared mechanisms add to a meeting's record: the circulation of its decisions,
minutes and addenda, with each agency's receipt (SM4, SM5), and its agreed actions (SM3)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.actions.selectors import actions_for_subject, completable
from tarian.agencies.models import User
from tarian.deadlines.selectors import clocks_of
from tarian.meetings.selectors import MeetingRecord
from tarian.notifications.selectors import latest_receipts

CIRCULATED = ("decisions", "minutes", "addendum")


def what_label(what: str) -> str:
    """What was circulated, in the reader's language."""
    return {
        "decisions": _("Decisions"), "minutes": _("Minutes"), "addendum": _("Addendum"),
    }.get(what, what)


def circulation_rows(record: MeetingRecord) -> list[dict[str, Any]]:
    """Per thing circulated and agency: when it was sent, first opened and acknowledged."""
    rows: list[dict[str, Any]] = []
    found = latest_receipts("meeting", str(record.meeting.pk), whats=CIRCULATED)
    for what in CIRCULATED:
        for receipt in found.get(what, {}).values():
            rows.append({
                "agency": receipt.agency_slug, "agency_name": receipt.agency_name,
                "what": what, "what_label": what_label(what), "sent_at": receipt.sent_at,
                "opened_at": receipt.opened_at,
                "acknowledged_at": receipt.acknowledged_at,
            })
    return rows


def action_rows(user: User, record: MeetingRecord) -> list[dict[str, Any]]:
    """SM3: the meeting's agreed actions, each with its owner, due date, status and outcome,
    overdue ones marked, and whether the reader may complete each. One statement however
    many (and one to ask whether the reader may complete actions another agency owns)."""
    today = timezone.localdate()
    actions = actions_for_subject(user, "meeting", record.meeting.pk)
    may_complete = completable(user, actions)
    return [
        {
            "id": action.pk,
            "description": action.description,
            "owner_agency": action.owner_agency.slug,
            "owner_agency_name": action.owner_agency.display_name(get_language() or "en"),
            "owner": action.owner.username if action.owner else None,
            "owner_name": (action.owner.get_full_name() or action.owner.username)
            if action.owner else "",
            "due_date": action.due_date,
            "status": action.status,
            "outcome": action.outcome,
            "completed_at": action.completed_at,
            "is_overdue": action.status == "open" and action.due_date < today,
            "may_complete": action.pk in may_complete,
        }
        for action in actions
    ]


def clock_rows(record: MeetingRecord) -> list[dict[str, Any]]:
    """SM4: the meeting's clocks (to be held, decisions and minutes circulated), late ones
    marked, so late circulation is visible on the meeting as the board counts it."""
    return [
        {
            "timescale": clock.timescale, "label": clock.label, "due_at": clock.due_at,
            "met_at": clock.met_at, "status": clock.status, "status_label": clock.status_label,
            "is_late": clock.is_late, "stopped": clock.stopped,
        }
        for clock in clocks_of("meeting", record.meeting.pk, now=timezone.now())
    ]


def add_extras(user: User, record: MeetingRecord) -> None:
    record.extra["actions"] = action_rows(user, record)
    record.extra["circulation"] = circulation_rows(record)
    record.extra["clocks"] = clock_rows(record)
