"""``GET /api/v1/referrals`` answers what its schema says, with or without ``status`` (#17).

The schema marks ``age_seconds`` and ``clock_status`` required on every item. Before the fix
the list without ``status`` (and with a status other than the two queues) left them out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.referrals import services
from tarian.referrals.models import ReferralStatus
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
CLOCK_STATUSES = {"pending", "due_soon", "overdue", "met", "met_late"}


@pytest.fixture
def referrals(
    school_dsl: User,
    cru_officer: User,
    gateway_worker: User,
    team_manager: User,
    referral_data: dict[str, Any],
) -> dict[str, str]:
    """One referral at each stage, made at fixed times; by status, its Tarian reference. Of
    standard priority: the Gateway decides within one working day (a decision after 5 hours is
    in time)."""
    referral_data = {**referral_data, "priority": "standard"}
    made = {
        ReferralStatus.AWAITING_SUPERVISOR: services.submit_referral(
            cru_officer, data=referral_data, now=MONDAY
        ),
        ReferralStatus.AWAITING_DECISION: services.submit_referral(
            school_dsl, data=referral_data, now=MONDAY
        ),
    }
    for status in (ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED):
        referral = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
        services.record_decision(
            gateway_worker,
            ref=referral.ref,
            outcome="early_help",
            rationale=RATIONALE,
            now=MONDAY + dt.timedelta(hours=5),
        )
        if status == ReferralStatus.DECIDED:
            services.sign_off_decision(
                team_manager, ref=referral.ref, now=MONDAY + dt.timedelta(hours=6)
            )
        made[status] = referral
    return {status: referral.ref for status, referral in made.items()}


def _items(user: User, **query: str) -> list[dict[str, Any]]:
    client = Client(headers={"authorization": f"Bearer {issue_token(user)}"})
    response = client.get("/api/v1/referrals", query)
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


@pytest.mark.parametrize("status", ["", *ReferralStatus.values])
def test_fd4_every_listed_referral_has_its_age_and_clock_status(
    referrals: dict[str, str], gateway_worker: User, status: str
) -> None:
    # A Gateway worker sees every referral (scope all) but only the decision queue to act on.
    items = _items(gateway_worker, **({"status": status} if status else {}))
    expected = [ref for s, ref in referrals.items() if not status or s == status]
    assert sorted(i["id"] for i in items) == sorted(expected)
    for item in items:
        assert isinstance(item["age_seconds"], int) and item["age_seconds"] >= 0, item
        assert item["clock_status"] in CLOCK_STATUSES, item


def test_fd4_a_decided_referral_shows_the_time_its_decision_took(
    referrals: dict[str, str], gateway_worker: User
) -> None:
    by_ref = {i["id"]: i for i in _items(gateway_worker)}
    for status in (ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED):
        item = by_ref[referrals[status]]
        assert (item["age_seconds"], item["clock_status"]) == (5 * 3600, "met")


def test_fd3_a_referral_with_the_supervisor_is_on_the_backlog_clock(
    referrals: dict[str, str], cru_supervisor: User
) -> None:
    [item] = _items(cru_supervisor, status=ReferralStatus.AWAITING_SUPERVISOR)
    assert item["id"] == referrals[ReferralStatus.AWAITING_SUPERVISOR]
    # Submitted on a fixed Monday in the past: long overdue by now, whenever the test runs.
    assert item["clock_status"] == "overdue"
