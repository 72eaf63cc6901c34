"""Each referrer priority sets its own Gateway decision timescale (FD1, FD4, #20 item 1).

A high-priority referral sent on a Friday night was due "Monday 23:59". Now each priority of
the pack names its timescale: high is counted in hours, through nights, weekends and bank
holidays; medium and standard in working days, which skip them. Office hours (the
deployment's setting) say when the emergency duty team covers instead.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tarian.procedures import clocks, in_office_hours, load_pack
from tarian.procedures.packs import Pack, Unit
from tests.procedures.support import london

PACKS = ["wales", "england"]
END_OF_DAY = timedelta(hours=23, minutes=59, seconds=59, microseconds=999999)
OFFICE_HOURS = (time(9, 0), time(17, 0))


def _due(pack: Pack, priority: str, received: datetime) -> datetime:
    return clocks.due_at(pack.timescale_of("referrer_priorities", priority), received)


@pytest.mark.parametrize("name", PACKS)
def test_fd4_20_each_priority_names_its_own_decision_timescale(name: str) -> None:
    pack = load_pack(name)
    timescales = {
        code: pack.timescale_of("referrer_priorities", code)
        for code in pack.codes("referrer_priorities")
    }
    assert {code: t.key for code, t in timescales.items()} == {
        "high": "gateway_decision_high",
        "medium": "gateway_decision_medium",
        "standard": "gateway_decision",
    }
    for timescale in timescales.values():
        assert timescale.starts == "report_received"
        assert timescale.source
    high = timescales["high"]
    assert (high.amount, high.unit, high.local_practice) == (4, Unit.HOURS, True)
    assert high.source.startswith("Local practice")
    for code in ("medium", "standard"):
        assert (timescales[code].amount, timescales[code].unit) == (1, Unit.WORKING_DAYS)


@pytest.mark.parametrize("name", PACKS)
def test_fd4_20_a_high_priority_clock_runs_through_the_weekend(name: str) -> None:
    """Friday 21:30: a high-priority referral is due at 01:30 on Saturday, not on Monday."""
    pack = load_pack(name)
    friday_night = london(2026, 11, 20, 21, 30)
    assert _due(pack, "high", friday_night) == london(2026, 11, 21, 1, 30)
    # Working days skip the weekend: the end of Monday.
    monday_end = london(2026, 11, 23, 0, 0) + END_OF_DAY
    assert _due(pack, "standard", friday_night) == monday_end
    assert _due(pack, "medium", friday_night) == monday_end


@pytest.mark.parametrize("name", PACKS)
def test_fd4_20_a_high_priority_clock_runs_through_bank_holidays(name: str) -> None:
    """Christmas Eve 2026 is a Thursday; Christmas Day and Monday 28 December (Boxing Day's
    substitute) are bank holidays in England and in Wales."""
    pack = load_pack(name)
    christmas_eve = london(2026, 12, 24, 20, 0)
    assert _due(pack, "high", christmas_eve) == london(2026, 12, 25, 0, 0)
    assert _due(pack, "high", london(2026, 12, 25, 10, 0)) == london(2026, 12, 25, 14, 0)
    tuesday_end = london(2026, 12, 29, 0, 0) + END_OF_DAY
    assert _due(pack, "standard", christmas_eve) == tuesday_end
    # Received on Good Friday: the working days start on the Tuesday after Easter Monday.
    assert _due(pack, "medium", london(2026, 4, 3, 11, 0)) == (
        london(2026, 4, 7, 0, 0) + END_OF_DAY
    )


@pytest.mark.parametrize(
    ("moment", "in_hours"),
    [
        (london(2026, 11, 20, 9, 0), True),  # Friday, opening time
        (london(2026, 11, 20, 16, 59), True),
        (london(2026, 11, 20, 17, 0), False),  # closing time is out of hours
        (london(2026, 11, 20, 8, 59), False),
        (london(2026, 11, 21, 11, 0), False),  # Saturday
        (london(2026, 12, 28, 11, 0), False),  # Boxing Day (observed), a Monday
    ],
)
def test_fd4_20_office_hours_are_working_days_between_the_set_times(
    moment: datetime, in_hours: bool
) -> None:
    for subdivision in ("ENG", "WLS"):
        assert in_office_hours(moment, subdivision, OFFICE_HOURS) is in_hours


def test_office_hours_refuse_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        in_office_hours(london(2026, 11, 20).replace(tzinfo=None), "ENG", OFFICE_HOURS)


@pytest.mark.parametrize("name", PACKS)
def test_fd5_20_every_gateway_outcome_says_what_happens_next_in_both_languages(
    name: str,
) -> None:
    pack = load_pack(name)
    for outcome in pack.list("gateway_outcomes"):
        english, welsh = outcome.description("en"), outcome.description("cy")
        assert english and welsh and english != welsh, outcome.code
