"""Helpers for the procedures tests: aware London times, never the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An aware Europe/London datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def elapsed(earlier: datetime, later: datetime) -> timedelta:
    """Real time between two aware datetimes.

    Python subtracts datetimes that share a tzinfo by wall clock, which is an hour out across
    a clock change, so convert to UTC first.
    """
    return later.astimezone(UTC) - earlier.astimezone(UTC)
