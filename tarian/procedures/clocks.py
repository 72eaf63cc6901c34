"""Clocks: due times, working days and the status of a timescale (FD3, FD4, FD5, SM4, EQ2,
CP1, CP5, CP6, AP6, QA1).

Every statutory or local timescale in Tarian is a :class:`~tarian.procedures.packs.Timescale`
from the procedures pack; this module turns one and a start time into a due time and a
status. Times are computed in the Europe/London zone, which is where the procedures are
practised, whatever zone the caller's datetime is in.

Semantics
---------
``start`` (and ``now``, ``met_at``) must be timezone-aware; a naive datetime raises
``ValueError``, because guessing its zone could move a deadline by an hour. Due times are
returned as aware datetimes in Europe/London.

``hours``
    Elapsed time: start + N hours, computed in UTC, so a clock change neither adds nor
    removes an hour (24 hours from 12:00 on the Saturday before the clocks go forward is
    13:00 on Sunday, local time).
``calendar_days``
    The same local wall-clock time N days later, so a clock change does not shift the hour.
    A time that does not exist on the due day (the hour skipped in spring) moves forward by
    the gap; an ambiguous time (the hour repeated in autumn) keeps the start's ``fold``.
``working_days``
    Working days are Monday to Friday except the bank holidays of the pack's subdivision
    (``holidays.country_holidays("GB", subdiv=...)``: England and Wales share one list;
    Scotland and Northern Ireland differ). The due time is the end (23:59:59.999999 local
    time) of the Nth working day after the start day; when the start falls on a weekend or
    bank holiday, the first working day after it is the first one counted. 0 working days
    means the end of the start day if it is a working day, otherwise the end of the next
    working day (so "the same working day").
``months``
    The same local date N months later, clamped to the last day of a shorter month (31
    January + 1 month = 28 or 29 February), and the end of that day.

Status (:func:`status`)
    met (``met_at`` at or before the due time), met late (``met_at`` after it), overdue (not
    met and ``now`` after the due time), due soon (not met and ``now`` at or after the start
    of the due-soon window), otherwise pending. The due-soon window is the timescale's
    ``due_soon`` counted back from the due time with the same unit rules (N working days
    back means from the end of the working day N working days before the due day); without
    one it is a quarter of the time from start to due, and at least one hour.
    ``remaining`` is the real time from ``now`` to the due time (negative when overdue), or,
    once met, from ``met_at`` to the due time (the margin; negative when met late).

Office hours (:func:`in_office_hours`)
    A working day, from the opening time up to (not including) the closing time, London time;
    which hours is the deployment's setting, not the pack's (``TARIAN_OFFICE_HOURS``).

A trap for callers: Python compares and subtracts two datetimes that share a ``tzinfo`` by
their wall-clock times, so across a clock change ``due_at - start`` is an hour out when both
are in Europe/London. This module converts to UTC before comparing or subtracting; do the
same (``due_at.astimezone(UTC) - start.astimezone(UTC)``) or use ``Clock.remaining``.

Tests never read the wall clock: every function takes the times it needs.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from tarian.procedures.packs import Duration, Timescale, Unit

LONDON = ZoneInfo("Europe/London")

_MINIMUM_DUE_SOON_WINDOW = timedelta(hours=1)


class ClockStatus(StrEnum):
    """Where a timescale stands."""

    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    def label(self, lang: str = "en") -> str:
        english, welsh = _STATUS_LABELS[self]
        return welsh if lang.lower().startswith("cy") else english


_STATUS_LABELS: dict[ClockStatus, tuple[str, str]] = {
    ClockStatus.PENDING: ("Pending", "Ar y gweill"),
    ClockStatus.DUE_SOON: ("Due soon", "Yn ddyledus yn fuan"),
    ClockStatus.OVERDUE: ("Overdue", "Yn hwyr"),
    ClockStatus.MET: ("Met", "Wedi'i gyflawni"),
    ClockStatus.MET_LATE: ("Met late", "Wedi'i gyflawni'n hwyr"),
}


@dataclass(frozen=True)
class Clock:
    """A timescale applied to one start time, as seen at ``now`` (or once met)."""

    timescale: Timescale
    started_at: datetime
    due_at: datetime
    due_soon_at: datetime
    status: ClockStatus
    remaining: timedelta
    met_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.timescale.key

    @property
    def is_late(self) -> bool:
        """Overdue now, or met after the due time."""
        return self.status in (ClockStatus.OVERDUE, ClockStatus.MET_LATE)

    def label(self, lang: str = "en") -> str:
        return self.status.label(lang)


# Working days -------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def bank_holidays(subdiv: str, year: int) -> frozenset[date]:
    """The bank holidays (including substitute days) of one UK subdivision in one year."""
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


def is_working_day(day: date, subdiv: str) -> bool:
    """Monday to Friday, and not a bank holiday in ``subdiv`` (``ENG``, ``WLS``, ...)."""
    day = _as_date(day)
    return day.weekday() < 5 and day not in bank_holidays(subdiv, day.year)


def add_working_days(day: date, n: int, subdiv: str) -> date:
    """The ``n``th working day after ``day`` (before it, when ``n`` is negative).

    ``n == 0`` gives ``day`` itself if it is a working day, else the next working day.
    """
    day = _as_date(day)
    if n == 0:
        while not is_working_day(day, subdiv):
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, subdiv):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, subdiv: str) -> int:
    """Working days after ``start`` up to and including ``end``; negative if ``end`` is
    earlier. ``working_days_between(d, add_working_days(d, n, s), s) == n`` for ``n >= 1``.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start, subdiv)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, subdiv):
            count += 1
    return count


def in_office_hours(moment: datetime, subdiv: str, hours: tuple[time, time]) -> bool:
    """Whether ``moment`` is in office hours: on a working day of ``subdiv``, from the opening
    time (inclusive) to the closing time (exclusive) of ``hours``, Europe/London time.
    Weekends and bank holidays are out of hours all day."""
    _require_aware(moment, "moment")
    local = moment.astimezone(LONDON)
    opens, closes = hours
    return is_working_day(local.date(), subdiv) and opens <= local.time() < closes


# Due times ----------------------------------------------------------------------------------


def due_at(timescale: Timescale, start: datetime) -> datetime:
    """When ``timescale`` falls due for something that started at ``start``."""
    _require_aware(start, "start")
    return _add(start, timescale.amount, timescale.unit, timescale.subdivision)


def due_soon_at(timescale: Timescale, start: datetime) -> datetime:
    """When a clock started at ``start`` becomes due soon."""
    due = due_at(timescale, start)
    if timescale.due_soon is None:
        window = max(_elapsed(start, due) / 4, _MINIMUM_DUE_SOON_WINDOW)
        return (due.astimezone(UTC) - window).astimezone(LONDON)
    return _subtract(due, timescale.due_soon, timescale.subdivision)


def status(
    timescale: Timescale,
    start: datetime,
    *,
    now: datetime,
    met_at: datetime | None = None,
) -> Clock:
    """The :class:`Clock` for ``timescale`` started at ``start``, seen at ``now``."""
    _require_aware(start, "start")
    _require_aware(now, "now")
    due = due_at(timescale, start)
    soon = due_soon_at(timescale, start)
    # Compare and subtract in UTC: Python compares and subtracts two datetimes that share a
    # tzinfo by their wall-clock times, which is an hour out across a clock change.
    if met_at is not None:
        _require_aware(met_at, "met_at")
        remaining = _elapsed(met_at, due)
        clock_status = ClockStatus.MET if remaining >= timedelta(0) else ClockStatus.MET_LATE
    else:
        remaining = _elapsed(now, due)
        if remaining < timedelta(0):
            clock_status = ClockStatus.OVERDUE
        elif _elapsed(soon, now) >= timedelta(0):
            clock_status = ClockStatus.DUE_SOON
        else:
            clock_status = ClockStatus.PENDING
    return Clock(
        timescale=timescale,
        started_at=start,
        due_at=due,
        due_soon_at=soon,
        status=clock_status,
        remaining=remaining,
        met_at=met_at,
    )


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 on ``day``, Europe/London time."""
    return datetime.combine(day, time.max, tzinfo=LONDON)


def _add(start: datetime, amount: int, unit: Unit, subdiv: str) -> datetime:
    if unit is Unit.HOURS:
        return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(LONDON)
    local = start.astimezone(LONDON)
    if unit is Unit.CALENDAR_DAYS:
        return _wall_clock(local.replace(tzinfo=None) + timedelta(days=amount), local.fold)
    if unit is Unit.WORKING_DAYS:
        return end_of_day(add_working_days(local.date(), amount, subdiv))
    return end_of_day(_add_months(local.date(), amount))


def _subtract(due: datetime, window: Duration, subdiv: str) -> datetime:
    if window.unit is Unit.HOURS:
        return (due.astimezone(UTC) - timedelta(hours=window.amount)).astimezone(LONDON)
    local = due.astimezone(LONDON)
    if window.unit is Unit.CALENDAR_DAYS:
        return _wall_clock(local.replace(tzinfo=None) - timedelta(days=window.amount), local.fold)
    if window.unit is Unit.WORKING_DAYS:
        if window.amount == 0:
            return local
        return end_of_day(add_working_days(local.date(), -window.amount, subdiv))
    earlier = _add_months(local.date(), -window.amount)
    return _wall_clock(datetime.combine(earlier, local.time()), local.fold)


def _add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def _wall_clock(naive: datetime, fold: int) -> datetime:
    """A local wall-clock time in London; a skipped time moves forward by the gap."""
    aware = naive.replace(tzinfo=LONDON, fold=fold).astimezone(UTC).astimezone(LONDON)
    if aware.replace(tzinfo=None) != naive:
        # The time was skipped when the clocks went forward: fold 0 reads it with the
        # offset before the change, which lands the same distance after the gap.
        aware = naive.replace(tzinfo=LONDON, fold=0).astimezone(UTC).astimezone(LONDON)
    return aware


def _elapsed(earlier: datetime, later: datetime) -> timedelta:
    """Real time from ``earlier`` to ``later`` (negative if ``later`` comes first)."""
    return later.astimezone(UTC) - earlier.astimezone(UTC)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {moment!r}")


def _as_date(day: date) -> date:
    """A plain date; an aware datetime becomes its London date, a naive one is refused."""
    if isinstance(day, datetime):
        _require_aware(day, "day")
        return day.astimezone(LONDON).date()
    return day


def window_start(end: datetime, window: Duration) -> datetime:
    """The start of a look-back window of whole days or months ending at ``end`` (FD6: the
    twelve months in which three referrals are repeat referrals), in Europe/London time."""
    _require_aware(end, "end")
    if window.unit not in (Unit.CALENDAR_DAYS, Unit.MONTHS):
        raise ValueError(f"a look-back window is counted in days or months, not {window.unit}")
    return _subtract(end, window, "")
