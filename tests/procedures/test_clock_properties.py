"""Properties of the clock engine over many generated start times (FD4, CP1, CP5, QA1).

Hypothesis searches for start times where a deadline would fall before its start, on a
weekend or bank holiday, or where more working days would give an earlier date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tarian.procedures.clocks import (
    LONDON,
    ClockStatus,
    add_working_days,
    due_at,
    due_soon_at,
    is_working_day,
    status,
    working_days_between,
)
from tarian.procedures.packs import Timescale, Unit, load_pack

from .support import elapsed

# No example database: these tests must not write into the repository.
PROPERTIES = hypothesis_settings(deadline=None, database=None, max_examples=150)

TIMESCALES: list[Timescale] = [
    timescale for name in ("wales", "england") for timescale in load_pack(name).timescales.values()
]
WORKING_DAY_TIMESCALES = [t for t in TIMESCALES if t.unit is Unit.WORKING_DAYS]

starts = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2060, 12, 31),
    timezones=st.sampled_from([LONDON, UTC]),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
subdivisions = st.sampled_from(["WLS", "ENG"])


@PROPERTIES
@given(timescale=st.sampled_from(TIMESCALES), start=starts)
def test_due_at_is_never_before_start(timescale: Timescale, start: datetime) -> None:
    due = due_at(timescale, start)

    assert elapsed(start, due) >= timedelta(0)
    assert due.tzinfo == LONDON


@PROPERTIES
@given(timescale=st.sampled_from(WORKING_DAY_TIMESCALES), start=starts)
def test_working_day_due_dates_never_fall_on_a_weekend_or_bank_holiday(
    timescale: Timescale, start: datetime
) -> None:
    due = due_at(timescale, start)

    assert is_working_day(due.date(), timescale.subdivision)
    assert due.time() == time.max


@PROPERTIES
@given(day=days, first=st.integers(0, 60), extra=st.integers(0, 60), subdiv=subdivisions)
def test_adding_working_days_is_monotonic_in_n(
    day: date, first: int, extra: int, subdiv: str
) -> None:
    earlier = add_working_days(day, first, subdiv)
    later = add_working_days(day, first + extra, subdiv)

    assert earlier <= later
    if first >= 1 and extra >= 1:
        assert earlier < later


@PROPERTIES
@given(day=days, n=st.integers(1, 60), subdiv=subdivisions)
def test_working_days_between_counts_what_was_added(day: date, n: int, subdiv: str) -> None:
    assert working_days_between(day, add_working_days(day, n, subdiv), subdiv) == n
    assert add_working_days(add_working_days(day, n, subdiv), -n, subdiv) <= day


@PROPERTIES
@given(timescale=st.sampled_from(TIMESCALES), start=starts)
def test_due_soon_never_comes_after_the_due_time(timescale: Timescale, start: datetime) -> None:
    assert elapsed(due_soon_at(timescale, start), due_at(timescale, start)) >= timedelta(0)


@PROPERTIES
@given(timescale=st.sampled_from(TIMESCALES), start=starts, met_at=starts)
def test_a_met_clock_is_met_exactly_when_on_time(
    timescale: Timescale, start: datetime, met_at: datetime
) -> None:
    clock = status(timescale, start, now=met_at, met_at=met_at)

    on_time = elapsed(met_at, clock.due_at) >= timedelta(0)
    assert clock.status is (ClockStatus.MET if on_time else ClockStatus.MET_LATE)
    assert clock.remaining == elapsed(met_at, clock.due_at)
