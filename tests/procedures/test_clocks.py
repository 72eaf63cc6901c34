"""Clocks: due times over weekends, bank holidays and clock changes, and clock status (FD4,
FD3, CP1, CP5, CP6, SM4, EQ2, AP6)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from pytest_django import Settings

from tarian import procedures
from tarian.procedures.clocks import (
    LONDON,
    ClockStatus,
    add_working_days,
    bank_holidays,
    due_at,
    due_soon_at,
    end_of_day,
    is_working_day,
    status,
    window_start,
    working_days_between,
)
from tarian.procedures.packs import Duration, Pack, Unit

from .support import elapsed, london

# Working days and bank holidays --------------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert is_working_day(date(2026, 3, 6), "WLS")  # Friday
    assert not is_working_day(date(2026, 3, 7), "WLS")  # Saturday
    assert not is_working_day(date(2026, 3, 8), "WLS")  # Sunday


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "early May bank holiday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day substitute (26th is a Saturday)"),
        (date(2027, 12, 27), "Christmas Day substitute (25th is a Saturday)"),
        (date(2027, 12, 28), "Boxing Day substitute (26th is a Sunday)"),
    ],
)
@pytest.mark.parametrize("subdiv", ["WLS", "ENG"])
def test_england_and_wales_bank_holidays_are_not_working_days(
    day: date, name: str, subdiv: str
) -> None:
    assert not is_working_day(day, subdiv), name


def test_wales_uses_the_england_and_wales_bank_holidays() -> None:
    for year in range(2020, 2031):
        assert bank_holidays("WLS", year) == bank_holidays("ENG", year)


def test_scotland_differs_so_the_subdivision_matters() -> None:
    assert is_working_day(date(2026, 1, 2), "WLS")
    assert not is_working_day(date(2026, 1, 2), "SCT")
    assert not is_working_day(date(2026, 4, 6), "WLS")
    assert is_working_day(date(2026, 4, 6), "SCT")


def test_add_working_days_counts_from_the_day_after() -> None:
    assert add_working_days(date(2026, 3, 2), 1, "WLS") == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 6), 1, "WLS") == date(2026, 3, 9)


def test_add_zero_working_days_is_the_same_or_next_working_day() -> None:
    assert add_working_days(date(2026, 3, 4), 0, "WLS") == date(2026, 3, 4)
    assert add_working_days(date(2026, 3, 7), 0, "WLS") == date(2026, 3, 9)
    assert add_working_days(date(2026, 12, 25), 0, "WLS") == date(2026, 12, 29)


def test_add_negative_working_days_counts_back() -> None:
    assert add_working_days(date(2026, 4, 7), -1, "WLS") == date(2026, 4, 2)


def test_working_days_between_inverts_add_working_days() -> None:
    start = date(2026, 3, 30)
    end = add_working_days(start, 10, "WLS")

    assert working_days_between(start, end, "WLS") == 10
    assert working_days_between(end, start, "WLS") == -10
    assert working_days_between(start, start, "WLS") == 0


def test_working_day_helpers_take_aware_datetimes_as_their_london_date() -> None:
    # 23:30 UTC on Friday 1 May 2026 is 00:30 on Saturday in London.
    late_friday_utc = datetime(2026, 5, 1, 23, 30, tzinfo=UTC)

    assert not is_working_day(late_friday_utc, "WLS")


def test_naive_datetime_is_refused_by_working_day_helpers() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_working_day(datetime(2026, 3, 2, 9), "WLS")


# FD4 Gateway decision: one working day -----------------------------------------------------


def test_fd4_gateway_decision_due_end_of_next_working_day(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), london(2026, 3, 2, 10))  # Monday

    assert due == end_of_day(date(2026, 3, 3))
    assert (due.hour, due.minute, due.second, due.microsecond) == (23, 59, 59, 999999)


def test_fd4_gateway_decision_on_friday_due_monday(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), london(2026, 3, 6, 16))

    assert due.date() == date(2026, 3, 9)


def test_fd4_report_at_the_weekend_due_end_of_monday(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), london(2026, 3, 7, 11))  # Saturday

    assert due.date() == date(2026, 3, 9)


def test_fd4_gateway_decision_skips_good_friday_and_easter_monday(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), london(2026, 4, 2, 15))  # Thursday

    assert due.date() == date(2026, 4, 7)


def test_fd4_gateway_decision_skips_christmas_substitute_days(england: Pack) -> None:
    gateway = england.timescale("gateway_decision")

    assert due_at(gateway, london(2026, 12, 24, 12)).date() == date(2026, 12, 29)
    assert due_at(gateway, london(2027, 12, 24, 12)).date() == date(2027, 12, 29)


def test_fd4_gateway_decision_skips_early_may_bank_holiday(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), london(2026, 5, 1, 9))

    assert due.date() == date(2026, 5, 5)


def test_due_times_are_returned_in_london_time(wales: Pack) -> None:
    due = due_at(wales.timescale("gateway_decision"), datetime(2026, 7, 1, 8, tzinfo=UTC))

    assert due.tzinfo == LONDON
    assert due.utcoffset() == timedelta(hours=1)


# CP1 / CP5 conferences, plans and core groups --------------------------------------------------


def test_cp1_icpc_due_15_working_days_after_strategy_discussion_over_easter(
    wales: Pack,
) -> None:
    due = due_at(wales.timescale("icpc"), london(2026, 3, 23, 14))

    assert due.date() == date(2026, 4, 15)


def test_cp5_first_core_group_skips_easter_bank_holidays(wales: Pack) -> None:
    due = due_at(wales.timescale("first_core_group"), london(2026, 3, 30, 10))

    assert due.date() == date(2026, 4, 15)


def test_cp5_outline_plan_due_5_working_days_after_conference(wales: Pack) -> None:
    due = due_at(wales.timescale("outline_plan"), london(2026, 4, 1, 10))

    assert due.date() == date(2026, 4, 10)


def test_cp5_first_review_conference_3_months_to_the_end_of_the_day(wales: Pack) -> None:
    due = due_at(wales.timescale("first_review_conference"), london(2026, 1, 15, 10))

    assert due == end_of_day(date(2026, 4, 15))


def test_cp5_review_conference_months_clamp_to_the_end_of_a_short_month(wales: Pack) -> None:
    review = wales.timescale("review_conference_interval")

    assert due_at(review, london(2026, 8, 31, 10)).date() == date(2027, 2, 28)
    assert due_at(review, london(2027, 8, 31, 10)).date() == date(2028, 2, 29)


def test_ap6_one_month_from_31_january_is_the_end_of_february(england: Pack) -> None:
    one_month = england.timescale("allegation_resolution_1_month")

    assert due_at(one_month, london(2026, 1, 31, 10)).date() == date(2026, 2, 28)
    assert due_at(one_month, london(2028, 1, 31, 10)).date() == date(2028, 2, 29)


def test_cp5_wales_continuing_assessment_42_working_days_from_section_47(wales: Pack) -> None:
    start = london(2026, 3, 2, 9)

    due = due_at(wales.timescale("continuing_assessment"), start)

    assert working_days_between(start.date(), due.date(), "WLS") == 42


def test_england_assessment_45_working_days_from_referral(england: Pack) -> None:
    start = london(2026, 11, 2, 9)

    due = due_at(england.timescale("assessment"), start)

    assert working_days_between(start.date(), due.date(), "ENG") == 45
    assert is_working_day(due.date(), "ENG")


# SM4 same-working-day circulation ---------------------------------------------------------------


def test_sm4_decisions_due_by_the_end_of_the_same_working_day(wales: Pack) -> None:
    circulation = wales.timescale("decisions_circulation")

    assert due_at(circulation, london(2026, 3, 3, 14)) == end_of_day(date(2026, 3, 3))


def test_sm4_decisions_of_a_weekend_meeting_due_end_of_monday(wales: Pack) -> None:
    circulation = wales.timescale("decisions_circulation")

    assert due_at(circulation, london(2026, 3, 7, 14)).date() == date(2026, 3, 9)
    assert due_at(circulation, london(2026, 12, 28, 10)).date() == date(2026, 12, 29)


# Hours and calendar days across clock changes --------------------------------------------------


def test_hours_are_elapsed_time_across_spring_forward(wales: Pack) -> None:
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    start = london(2026, 3, 28, 12)

    due = due_at(wales.timescale("report_written_confirmation"), start)

    assert elapsed(start, due) == timedelta(hours=24)
    assert (due.day, due.hour) == (29, 13)


def test_hours_are_elapsed_time_across_fall_back(wales: Pack) -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    start = london(2026, 10, 24, 12)

    due = due_at(wales.timescale("allegation_report_to_designated_officer"), start)

    assert elapsed(start, due) == timedelta(hours=24)
    assert (due.day, due.hour) == (25, 11)


def test_cp6_return_home_interview_72_hours(wales: Pack) -> None:
    start = london(2026, 10, 23, 20)

    due = due_at(wales.timescale("return_home_interview"), start)

    assert elapsed(start, due) == timedelta(hours=72)
    assert (due.day, due.hour) == (26, 19)


def test_calendar_days_keep_the_wall_clock_hour_across_spring_forward(wales: Pack) -> None:
    start = london(2026, 3, 21, 10)  # GMT

    due = due_at(wales.timescale("core_group_interval"), start)  # 42 days

    assert (due.date(), due.hour, due.minute) == (date(2026, 5, 2), 10, 0)
    assert elapsed(start, due) == timedelta(days=42, hours=-1)


def test_calendar_days_keep_the_wall_clock_hour_across_fall_back(wales: Pack) -> None:
    start = london(2026, 10, 1, 10)  # BST

    due = due_at(wales.timescale("core_group_interval"), start)

    assert (due.date(), due.hour) == (date(2026, 11, 12), 10)
    assert elapsed(start, due) == timedelta(days=42, hours=1)


def test_calendar_days_landing_in_the_skipped_hour_move_forward(wales: Pack) -> None:
    start = london(2026, 2, 15, 1, 30)  # 42 days later is 01:30 on 29 March, which is skipped

    due = due_at(wales.timescale("core_group_interval"), start)

    assert (due.date(), due.hour, due.minute) == (date(2026, 3, 29), 2, 30)


def test_calendar_days_from_the_repeated_hour_keep_its_fold(wales: Pack) -> None:
    second_half_past_one = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1)  # GMT
    same_day = dataclasses.replace(wales.timescale("core_group_interval"), amount=0)

    assert due_at(same_day, second_half_past_one) == second_half_past_one
    assert due_at(same_day, second_half_past_one).utcoffset() == timedelta(0)


def test_naive_start_is_refused(wales: Pack) -> None:
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        due_at(wales.timescale("icpc"), datetime(2026, 3, 2, 9))


# Status ----------------------------------------------------------------------------------------

MONDAY_10 = london(2026, 3, 2, 10)
TUESDAY_END = end_of_day(date(2026, 3, 3))


def test_fd4_clock_pending_before_the_due_soon_window(wales: Pack) -> None:
    clock = status(wales.timescale("gateway_decision"), MONDAY_10, now=london(2026, 3, 2, 12))

    assert clock.status is ClockStatus.PENDING
    assert clock.due_at == TUESDAY_END
    assert clock.remaining == elapsed(london(2026, 3, 2, 12), TUESDAY_END)
    assert not clock.is_late


def test_fd4_clock_due_soon_in_the_last_four_hours(wales: Pack) -> None:
    gateway = wales.timescale("gateway_decision")

    assert status(gateway, MONDAY_10, now=london(2026, 3, 3, 19, 59)).status == "pending"
    assert status(gateway, MONDAY_10, now=london(2026, 3, 3, 20)).status == "due_soon"
    assert status(gateway, MONDAY_10, now=TUESDAY_END).status == "due_soon"


def test_fd4_clock_overdue_after_the_due_time(wales: Pack) -> None:
    now = london(2026, 3, 4, 9)

    clock = status(wales.timescale("gateway_decision"), MONDAY_10, now=now)

    assert clock.status is ClockStatus.OVERDUE
    assert clock.remaining < timedelta(0)
    assert clock.is_late


def test_fd4_clock_met_on_time_even_when_seen_later(wales: Pack) -> None:
    clock = status(
        wales.timescale("gateway_decision"),
        MONDAY_10,
        now=london(2026, 3, 20, 9),
        met_at=TUESDAY_END,
    )

    assert clock.status is ClockStatus.MET
    assert clock.remaining == timedelta(0)


def test_fd4_clock_met_late(wales: Pack) -> None:
    met_at = london(2026, 3, 4, 9)

    clock = status(
        wales.timescale("gateway_decision"), MONDAY_10, now=london(2026, 3, 5, 9), met_at=met_at
    )

    assert clock.status is ClockStatus.MET_LATE
    assert clock.remaining == elapsed(met_at, TUESDAY_END)
    assert clock.is_late


def test_default_due_soon_window_is_a_quarter_of_the_time(wales: Pack) -> None:
    rhi = wales.timescale("return_home_interview")  # 72 hours, no due_soon in the pack
    start = london(2026, 6, 1, 9)

    assert rhi.due_soon is None
    assert due_soon_at(rhi, start) == start + timedelta(hours=54)


def test_default_due_soon_window_is_at_least_an_hour(wales: Pack) -> None:
    circulation = wales.timescale("decisions_circulation")
    start = london(2026, 3, 3, 23, 30)

    assert due_soon_at(circulation, start) == TUESDAY_END - timedelta(hours=1)
    assert status(circulation, start, now=start).status is ClockStatus.DUE_SOON


def test_calendar_day_due_soon_window_keeps_the_wall_clock(wales: Pack) -> None:
    interval = wales.timescale("core_group_interval")  # 42 days, amber for the last 14
    start = london(2026, 3, 21, 10)

    assert due_soon_at(interval, start) == london(2026, 4, 18, 10)


def test_month_due_soon_window_counts_back_from_the_due_time(england: Pack) -> None:
    timescale = dataclasses.replace(
        england.timescale("first_review_conference"), due_soon=Duration(1, Unit.MONTHS)
    )

    assert due_soon_at(timescale, london(2026, 1, 31, 9)) == end_of_day(date(2026, 3, 30))


def test_naive_now_and_met_at_are_refused(wales: Pack) -> None:
    gateway = wales.timescale("gateway_decision")

    with pytest.raises(ValueError, match="now must be"):
        status(gateway, MONDAY_10, now=datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="met_at must be"):
        status(gateway, MONDAY_10, now=MONDAY_10, met_at=datetime(2026, 3, 2, 12))


@pytest.mark.parametrize(
    ("clock_status", "english", "welsh"),
    [
        (ClockStatus.PENDING, "Pending", "Ar y gweill"),
        (ClockStatus.DUE_SOON, "Due soon", "Yn ddyledus yn fuan"),
        (ClockStatus.OVERDUE, "Overdue", "Yn hwyr"),
        (ClockStatus.MET, "Met", "Wedi'i gyflawni"),
        (ClockStatus.MET_LATE, "Met late", "Wedi'i gyflawni'n hwyr"),
    ],
)
def test_status_labels_in_english_and_welsh(
    clock_status: ClockStatus, english: str, welsh: str
) -> None:
    assert clock_status.label("en") == english
    assert clock_status.label("cy") == welsh


def test_clock_label_follows_its_status(wales: Pack) -> None:
    clock = status(wales.timescale("icpc"), MONDAY_10, now=london(2026, 6, 1))

    assert clock.label("cy") == "Yn hwyr"
    assert clock.key == "icpc"


# The package-level helpers read the configured pack ---------------------------------------------


def test_procedures_clock_uses_the_configured_pack(settings: Settings) -> None:
    start = london(2026, 3, 2, 9)
    settings.TARIAN_PROCEDURES = "wales"
    wales_due = procedures.due_at("continuing_assessment", start)

    settings.TARIAN_PROCEDURES = "england"
    england_clock = procedures.clock("continuing_assessment", start, now=start)

    assert working_days_between(start.date(), wales_due.date(), "WLS") == 42
    assert working_days_between(start.date(), england_clock.due_at.date(), "ENG") == 45
    assert england_clock.status is ClockStatus.PENDING


def test_procedures_clock_accepts_an_explicit_pack(england: Pack) -> None:
    start = london(2026, 3, 2, 9)

    clock = procedures.clock("icpc", start, now=start, met_at=london(2026, 3, 20), pack=england)

    assert clock.status is ClockStatus.MET
    assert clock.due_at.date() == date(2026, 3, 23)


def test_remaining_is_real_time_across_a_clock_change(wales: Pack) -> None:
    # Due at the end of Monday 26 October 2026 (GMT); seen on Saturday 24th (BST).
    clock = status(
        wales.timescale("gateway_decision"), london(2026, 10, 23, 10), now=london(2026, 10, 24, 12)
    )

    assert clock.due_at == end_of_day(date(2026, 10, 26))
    assert clock.remaining == timedelta(days=2, hours=12, seconds=59 * 60 + 59, microseconds=999999)


@pytest.mark.parametrize(
    ("end", "window", "start"),
    [
        (london(2026, 3, 31, 9), Duration(12, Unit.MONTHS), london(2025, 3, 31, 9)),
        (london(2024, 2, 29, 9), Duration(12, Unit.MONTHS), london(2023, 2, 28, 9)),
        (london(2026, 4, 10, 9), Duration(30, Unit.CALENDAR_DAYS), london(2026, 3, 11, 9)),
    ],
)
def test_fd6_a_look_back_window_counts_whole_days_or_months(
    end: datetime, window: Duration, start: datetime
) -> None:
    assert window_start(end, window) == start


def test_fd6_a_look_back_window_refuses_working_days_and_naive_times() -> None:
    with pytest.raises(ValueError, match="days or months"):
        window_start(london(2026, 3, 31), Duration(5, Unit.WORKING_DAYS))
    with pytest.raises(ValueError, match="timezone-aware"):
        window_start(datetime(2026, 3, 31, 9), Duration(12, Unit.MONTHS))
