"""Issue 21 (FD4, FD5, QA1): the front door's clocks are deadline rows, written by the referral
services in their own transactions. The Gateway's decision clock starts when the Gateway
receives the referral (one row per child), its due time is ``Referral.decision_due_at``, it is
met by the decision, and a returned decision leaves it met and starts the returned clock; the
feedback clock runs from the decision until someone is told."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tarian.agencies.models import User
from tarian.deadlines.models import Deadline
from tarian.referrals import reviews, services
from tarian.referrals.deadlines import DECISION, FEEDBACK
from tarian.referrals.models import Referral
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FRIDAY_NIGHT = dt.datetime(2026, 11, 20, 21, 30, tzinfo=LONDON)
REASON = (
    "The bruising was seen by a teacher and the child is afraid to go home: check with the "
    "police whether the father is known before choosing information and advice."
)


def _rows(referral: Referral, kind: str = DECISION) -> list[Deadline]:
    return list(Deadline.objects.filter(subject_kind=kind, subject_id=str(referral.pk))
                .order_by("started_at", "person_id"))


@pytest.mark.parametrize("priority", ["high", "medium", "standard"])
def test_fd4_issue21_gateway_decision_clock_is_a_deadline_row(
    school_dsl: User, referral_data: dict[str, Any], priority: str,
) -> None:
    referral = services.submit_referral(
        school_dsl, data={**referral_data, "priority": priority}, now=FRIDAY_NIGHT
    )
    rows = _rows(referral)
    # One row per child the referral names, for the Gateway's role, due with the referral.
    assert sorted(row.person_id for row in rows) == sorted(
        referral.children.values_list("pk", flat=True)
    )
    expected = {"high": "gateway_decision_high", "medium": "gateway_decision_medium",
                "standard": "gateway_decision"}[priority]
    for row in rows:
        assert (row.timescale, row.role, row.owner_id) == (expected, "gateway_worker", None)
        assert row.started_at == FRIDAY_NIGHT
        assert row.due_at == referral.decision_due_at
        assert row.met_at is None


def test_sm4_issue21_deadline_row_written_in_the_same_transaction(
    school_dsl: User, referral_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clock is written inside the service's transaction: if anything after it fails, the
    referral and its clock are both gone; neither is saved without the other."""
    seen: list[bool] = []
    real = services.deadlines.start_decision_clock

    def spy(*args: Any, **kwargs: Any) -> None:
        seen.append(connection.in_atomic_block)
        real(*args, **kwargs)

    monkeypatch.setattr(services.deadlines, "start_decision_clock", spy)
    monkeypatch.setattr(services, "audit_referrals", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.submit_referral(school_dsl, data=referral_data, now=FRIDAY_NIGHT)
    assert seen == [True]
    assert not Referral.objects.exists()
    assert not Deadline.objects.exists()


def test_fd3_issue21_a_police_referral_starts_its_clock_when_the_supervisor_approves(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data, now=FRIDAY_NIGHT)
    assert _rows(referral) == []  # with the police supervisor: not yet the Gateway's
    approved_at = FRIDAY_NIGHT + dt.timedelta(hours=2)
    referral = services.approve_referral(cru_supervisor, ref=referral.ref, now=approved_at)
    rows = _rows(referral)
    assert rows and {row.started_at for row in rows} == {approved_at}
    assert {row.due_at for row in rows} == {referral.decision_due_at}


def test_fd4_fd5_issue21_decision_meets_the_clock_and_starts_feedback_returned_restarts(
    school_dsl: User, gateway_worker: User, team_manager: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "standard"}, now=FRIDAY_NIGHT
    )
    decided_at = FRIDAY_NIGHT + dt.timedelta(days=2, hours=13)  # Monday 10:30
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="information_and_advice",
        rationale=RATIONALE, threshold_level="universal", now=decided_at,
    )
    assert {row.met_at for row in _rows(referral)} == {decided_at}
    feedback = _rows(referral, FEEDBACK)
    assert feedback and {(row.timescale, row.started_at, row.met_at) for row in feedback} == {
        ("feedback_to_referrer", decided_at, None)
    }
    returned_at = decided_at + dt.timedelta(hours=2)
    reviews.return_decision(team_manager, ref=referral.ref, reason=REASON, now=returned_at)
    referral.refresh_from_db()
    met, returned = [
        [row for row in _rows(referral) if row.timescale == code]
        for code in ("gateway_decision", "gateway_decision_returned")
    ]
    assert {row.met_at for row in met} == {decided_at}  # the met row stays met
    assert {(row.owner_id, row.started_at, row.due_at, row.met_at) for row in returned} == {
        (gateway_worker.pk, returned_at, referral.decision_due_at, None)
    }
    assert referral.decision_due_at == returned_at + dt.timedelta(hours=4)
    assert {(row.stopped_at, row.stop_reason) for row in _rows(referral, FEEDBACK)} == {
        (returned_at, "decision returned")
    }
    again = returned_at + dt.timedelta(hours=1)
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="strategy_discussion",
        rationale=RATIONALE, threshold_level="universal", now=again,
    )
    assert {row.met_at for row in _rows(referral) if row.timescale.endswith("returned")} == {
        again
    }
    signed_at = again + dt.timedelta(hours=1)
    services.sign_off_decision(team_manager, ref=referral.ref, now=signed_at)
    assert sorted((row.started_at, row.met_at) for row in _rows(referral, FEEDBACK)) == sorted(
        [(decided_at, None)] * 2 + [(again, signed_at)] * 2
    )


def test_fd4_issue21_the_managers_own_decision_meets_the_clocks(
    school_dsl: User, gateway_worker: User, team_manager: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data, now=FRIDAY_NIGHT)
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="information_and_advice",
        rationale=RATIONALE, threshold_level="universal",
        now=FRIDAY_NIGHT + dt.timedelta(hours=1),
    )
    managers_at = FRIDAY_NIGHT + dt.timedelta(hours=3)
    reviews.record_managers_decision(
        team_manager, ref=referral.ref, outcome="strategy_discussion", rationale=RATIONALE,
        threshold_level="universal", now=managers_at,
    )
    assert all(row.met_at is not None for row in _rows(referral))
    open_feedback = [row for row in _rows(referral, FEEDBACK) if row.is_open]
    assert open_feedback == []  # the worker's stopped, the manager's met when told
    assert {row.met_at for row in _rows(referral, FEEDBACK) if row.met_at} == {managers_at}
