"""Every referral has a clock, whatever its status, as the API lists it (#17; FD3, FD4).

``selectors.with_clock`` gives the clock that applies now: the police backlog from submission
while a supervisor has it, the Gateway decision clock from receipt after, met at the decision.
Times are fixed (a Monday in November 2026), never the wall clock. The decision clocks here
are a standard referral's (one working day); a high-priority referral's clock runs in hours
(tests/referrals/test_priority_clocks.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tarian.agencies.models import User
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral, ReferralStatus
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
HOUR = dt.timedelta(hours=1)


def _clock(ref: str, now: dt.datetime) -> selectors.QueueItem:
    referral = Referral.objects.select_related("decision").get(ref=ref)
    return selectors.with_clock(referral, now=now)


def test_fd3_a_referral_with_the_supervisor_runs_the_backlog_clock(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data, now=MONDAY)
    assert referral.status == ReferralStatus.AWAITING_SUPERVISOR
    item = _clock(referral.ref, MONDAY + 2 * HOUR)
    assert (item.clock.key, item.clock.status, item.age) == ("cru_backlog", "pending", 2 * HOUR)
    late = _clock(referral.ref, MONDAY + 30 * HOUR)
    assert (late.clock.status, late.age) == ("overdue", 30 * HOUR)


def test_fd4_a_received_referral_runs_the_decision_clock_until_decided(
    school_dsl: User, gateway_worker: User, team_manager: User, referral_data: dict[str, Any]
) -> None:
    standard = {**referral_data, "priority": "standard"}
    referral = services.submit_referral(school_dsl, data=standard, now=MONDAY)
    waiting = _clock(referral.ref, MONDAY + 3 * HOUR)
    assert (waiting.clock.key, waiting.clock.status, waiting.age) == (
        "gateway_decision",
        "pending",
        3 * HOUR,
    )
    assert _clock(referral.ref, MONDAY + 72 * HOUR).clock.status == "overdue"
    services.record_decision(
        gateway_worker,
        ref=referral.ref,
        outcome="early_help",
        rationale=RATIONALE,
        now=MONDAY + 5 * HOUR,
    )
    for status, now in (
        (ReferralStatus.AWAITING_SIGN_OFF, MONDAY + 6 * HOUR),
        (ReferralStatus.DECIDED, MONDAY + 500 * HOUR),
    ):
        if status == ReferralStatus.DECIDED:
            services.sign_off_decision(team_manager, ref=referral.ref, now=MONDAY + 7 * HOUR)
        decided = _clock(referral.ref, now)
        assert decided.referral.status == status
        # Met when decided, and its age stops there: a decided referral does not grow older.
        assert (decided.clock.status, decided.age) == ("met", 5 * HOUR)


def test_fd4_a_decision_after_the_due_time_is_met_late(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    standard = {**referral_data, "priority": "standard"}
    referral = services.submit_referral(school_dsl, data=standard, now=MONDAY)
    services.record_decision(
        gateway_worker,
        ref=referral.ref,
        outcome="early_help",
        rationale=RATIONALE,
        now=MONDAY + 72 * HOUR,
    )
    item = _clock(referral.ref, MONDAY + 100 * HOUR)
    assert (item.clock.status, item.age) == ("met_late", 72 * HOUR)
