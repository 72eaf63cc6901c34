"""Procedures packs and clocks: the vocabulary and timescales of the procedures a deployment
follows (FD4, FD5, FD7, SM4, EQ2, CP1, CP5, CP6, AP6, QA1).

Other apps ask here rather than writing numbers or names in code::

    from tarian import procedures

    procedures.clock("icpc", strategy_discussion_at, now=now).due_at
    procedures.current_pack().term("plan_name", lang="cy")

Importing this package loads no Django models; the pack named by
``settings.TARIAN_PROCEDURES`` is read on first use.
"""

from __future__ import annotations

from datetime import datetime

from tarian.procedures import clocks
from tarian.procedures.clocks import (
    Clock,
    ClockStatus,
    add_working_days,
    in_office_hours,
    is_working_day,
    status,
    working_days_between,
)
from tarian.procedures.packs import (
    ListItem,
    Pack,
    PackError,
    Term,
    Timescale,
    Unit,
    clear_cache,
    current_pack,
    load_pack,
)

__all__ = [
    "Clock",
    "ClockStatus",
    "ListItem",
    "Pack",
    "PackError",
    "Term",
    "Timescale",
    "Unit",
    "add_working_days",
    "clear_cache",
    "clock",
    "current_pack",
    "due_at",
    "in_office_hours",
    "is_working_day",
    "load_pack",
    "working_days_between",
]


def clock(
    key: str,
    start: datetime,
    *,
    now: datetime | None = None,
    met_at: datetime | None = None,
    pack: Pack | None = None,
) -> Clock:
    """The clock for timescale ``key`` of the current pack (or ``pack``) started at ``start``.

    ``now`` defaults to the current time; tests pass it.
    """
    if now is None:
        from django.utils import timezone

        now = timezone.now()
    timescale = (pack or current_pack()).timescale(key)
    return status(timescale, start, now=now, met_at=met_at)


def due_at(key: str, start: datetime, *, pack: Pack | None = None) -> datetime:
    """When timescale ``key`` of the current pack (or ``pack``) falls due after ``start``."""
    return clocks.due_at((pack or current_pack()).timescale(key), start)
