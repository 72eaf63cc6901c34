"""The queues read the clocks' rows (issue 21; FD3, FD4, FD5): the Gateway's queue, the overdue
feedback and the police supervisor's backlog are open ``Deadline`` rows, their status worked out
by the database, in its order, one item per referral (its earliest due row), in a number of
statements that does not grow with the queue. The values the API gives stay as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.deadlines.models import Deadline
from tarian.deadlines.selectors import due_and_overdue
from tarian.referrals import reviews, selectors, services
from tarian.referrals.models import Referral
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
COMMENT = "Say whether the children were seen alone and what they said, then send it back."
ANSWER = "Both children were seen alone in the kitchen and said dad pushed mum; added."


def _refer(user: User, data: dict[str, Any], priority: str, at: dt.datetime) -> Referral:
    return services.submit_referral(user, data={**data, "priority": priority}, now=at)


def _rows(kind: str, referral: Referral) -> Any:
    return Deadline.objects.filter(subject_kind=kind, subject_id=str(referral.pk))


def test_fd4_issue21_the_gateway_queue_is_its_rows_most_urgent_first(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    later = _refer(school_dsl, referral_data, "standard", MONDAY.replace(hour=9))
    soon = _refer(school_dsl, referral_data, "high", MONDAY.replace(hour=9, minute=10))
    overdue = _refer(school_dsl, referral_data, "high", MONDAY - dt.timedelta(hours=31))
    items = selectors.gateway_queue(gateway_worker, now=MONDAY)
    assert [i.referral.ref for i in items] == [overdue.ref, soon.ref, later.ref]
    assert [i.clock.status for i in items] == ["overdue", "pending", "pending"]
    assert [i.age for i in items] == [
        dt.timedelta(hours=31), dt.timedelta(minutes=110), dt.timedelta(hours=2)
    ]
    assert items[1].clock.due_at == MONDAY.replace(hour=13, minute=10)
    assert items[1].clock.remaining == dt.timedelta(hours=2, minutes=10)
    # The order and the status are the rows': move one row and the queue follows it.
    moved = MONDAY + dt.timedelta(days=3)
    _rows("referral_decision", overdue).update(due_at=moved, due_soon_at=moved)
    items = selectors.gateway_queue(gateway_worker, now=MONDAY)
    assert [i.referral.ref for i in items] == [soon.ref, later.ref, overdue.ref]
    assert items[2].clock.status == "pending" and items[2].clock.due_at == moved


def test_fd4_issue21_one_item_per_referral_by_its_earliest_due_row(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = _refer(school_dsl, referral_data, "standard", MONDAY)
    rows = list(_rows("referral_decision", referral).order_by("pk"))
    assert len(rows) == 2  # one per child
    earlier = MONDAY + dt.timedelta(hours=1)
    Deadline.objects.filter(pk=rows[1].pk).update(
        due_at=earlier, due_soon_at=MONDAY + dt.timedelta(minutes=10)
    )
    [item] = selectors.gateway_queue(gateway_worker, now=MONDAY + dt.timedelta(minutes=30))
    assert item.referral == referral and item.clock.due_at == earlier
    assert item.clock.status == "due_soon"


def test_fd4_issue21_a_returned_decision_is_queued_on_its_own_clock(
    school_dsl: User, gateway_worker: User, team_manager: User, referral_data: dict[str, Any]
) -> None:
    referral = _refer(school_dsl, referral_data, "high", MONDAY)
    services.record_decision(gateway_worker, ref=referral.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal", now=MONDAY)
    assert selectors.gateway_queue(gateway_worker, now=MONDAY) == []
    returned_at = MONDAY + dt.timedelta(hours=1)
    reviews.return_decision(
        team_manager, ref=referral.ref, now=returned_at,
        reason="Check with the police whether the father is known before choosing advice.",
    )
    later = returned_at + dt.timedelta(days=5)
    [item] = selectors.gateway_queue(gateway_worker, now=later)
    assert item.clock.key == "gateway_decision_returned"
    assert item.clock.started_at == returned_at and item.age == later - returned_at
    assert item.clock.status == "overdue"
    # The same as the clock worked out from the referral (the API's values are unchanged).
    computed = selectors.with_clock(Referral.objects.get(pk=referral.pk), now=later)
    assert (item.clock.due_at, item.clock.status, item.clock.remaining, item.age) == (
        computed.clock.due_at, computed.clock.status, computed.clock.remaining, computed.age
    )


def test_fd5_issue21_overdue_feedback_is_read_from_its_rows(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = _refer(school_dsl, referral_data, "high", MONDAY)
    services.record_decision(gateway_worker, ref=referral.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal", now=MONDAY)
    [row] = _rows("referral_feedback", referral).order_by("due_at")[:1]
    assert selectors.gateway_work(gateway_worker, now=row.due_at)[1] == []
    after = row.due_at + dt.timedelta(minutes=1)
    queue, [item] = selectors.gateway_work(gateway_worker, now=after)
    assert queue == [] and item.referral == referral
    assert (item.clock.key, item.clock.status) == ("feedback_to_referrer", "overdue")
    assert item.clock.remaining == dt.timedelta(minutes=-1)
    decided = Referral.objects.select_related("decision").get(pk=referral.pk)
    assert item.clock == selectors.feedback_clock(decided, now=after)
    # The sign-off list shows the same clock, from the same rows.
    [waiting] = selectors.sign_off_queue(gateway_worker, now=after)
    assert waiting.clock == item.clock


def test_fd3_issue21_the_supervisors_backlog_is_a_row_from_submission_to_approval(
    cru_officer: User, cru_supervisor: User, gateway_worker: User, police: Any,
    referral_data: dict[str, Any],
) -> None:
    referral = _refer(cru_officer, referral_data, "medium", MONDAY)
    rows = list(_rows("referral_supervisor", referral))
    assert len(rows) == 2 and {row.person_id for row in rows} == {
        child.pk for child in referral.children.all()
    }
    assert {(r.timescale, r.role, r.agency_id, r.owner_id, r.started_at) for r in rows} == {
        ("cru_backlog", "cru_supervisor", police.pk, None, MONDAY)
    }
    assert rows[0].due_at == MONDAY + dt.timedelta(hours=24)
    [item] = selectors.supervisor_queue(cru_supervisor, now=MONDAY + dt.timedelta(hours=72))
    assert (item.clock.key, item.clock.status, item.age) == (
        "cru_backlog", "overdue", dt.timedelta(hours=72)
    )
    # On the supervisor's home page too, as something to do.
    due = due_and_overdue(cru_supervisor, now=MONDAY + dt.timedelta(hours=21))
    assert [(referral.ref in d.what, d.status) for d in due] == [(True, "due_soon")] * 2
    # Returned to the officer and sent again: the same clock runs on from the submission.
    reviews.return_referral(cru_supervisor, ref=referral.ref, comment=COMMENT,
                            now=MONDAY + dt.timedelta(hours=1))
    assert selectors.supervisor_queue(cru_supervisor, now=MONDAY) == []
    reviews.resubmit_referral(cru_officer, ref=referral.ref, answer=ANSWER,
                              now=MONDAY + dt.timedelta(hours=2))
    assert list(_rows("referral_supervisor", referral)) == rows
    [item] = selectors.supervisor_queue(cru_supervisor, now=MONDAY + dt.timedelta(hours=3))
    assert item.clock.started_at == MONDAY and item.age == dt.timedelta(hours=3)
    # Approved: met, off the supervisor's queue, onto the Gateway's.
    approved_at = MONDAY + dt.timedelta(hours=4)
    services.approve_referral(cru_supervisor, ref=referral.ref, now=approved_at)
    assert set(_rows("referral_supervisor", referral).values_list("met_at", flat=True)) == {
        approved_at
    }
    assert selectors.supervisor_queue(cru_supervisor, now=approved_at) == []
    [queued] = selectors.gateway_queue(gateway_worker, now=approved_at)
    assert queued.referral == referral and queued.age == dt.timedelta(0)


def test_fd4_issue21_the_api_gives_the_same_values_from_the_rows(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = [
        _refer(school_dsl, referral_data, priority, MONDAY - dt.timedelta(hours=hours))
        for priority, hours in (("high", 30), ("medium", 3), ("standard", 1))
    ]
    monkeypatch.setattr(timezone, "now", lambda: MONDAY)
    client = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    listed = client.get("/api/v1/referrals", {"status": "awaiting_decision"}).json()["results"]
    for item in listed:
        computed = selectors.with_clock(Referral.objects.get(ref=item["id"]), now=MONDAY)
        assert item["age_seconds"] == int(computed.age.total_seconds())
        assert item["clock_status"] == computed.clock.status
        assert dt.datetime.fromisoformat(item["clock_due_at"]) == computed.clock.due_at
    assert {item["id"] for item in listed} == {referral.ref for referral in made}


def _statements(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


def test_fd3_fd4_fd5_issue21_the_queues_cost_the_same_at_2_and_20_referrals(
    school_dsl: User, cru_officer: User, cru_supervisor: User, gateway_worker: User,
    team_manager: User, referral_data: dict[str, Any],
) -> None:
    def grow(count: int) -> None:
        while Referral.objects.count() < count * 3:
            _refer(school_dsl, referral_data, "high", MONDAY)
            _refer(cru_officer, referral_data, "high", MONDAY)
            decided = _refer(school_dsl, referral_data, "standard", MONDAY)
            services.record_decision(
                gateway_worker, ref=decided.ref, outcome="information_and_advice",
                rationale=RATIONALE, threshold_level="universal", now=MONDAY,
            )

    later = MONDAY + dt.timedelta(days=30)
    reads = {
        "gateway": lambda: selectors.gateway_work(gateway_worker, now=later),
        "supervisor": lambda: selectors.supervisor_queue(cru_supervisor, now=later),
        "sign_off": lambda: selectors.sign_off_queue(team_manager, now=later),
    }
    grow(2)
    for read in reads.values():
        read()  # the user's roles and sharing rules, read once per user
    few = {name: _statements(read) for name, read in reads.items()}
    grow(20)
    many = {name: _statements(read) for name, read in reads.items()}
    assert many == few
    queue, overdue = selectors.gateway_work(gateway_worker, now=later)
    assert len(queue) == 20 and len(overdue) == 20
    assert len(selectors.supervisor_queue(cru_supervisor, now=later)) == 20
    assert len(selectors.sign_off_queue(team_manager, now=later)) == 20
    # One for the rows, one for the referrals, one per relation shown or withheld by.
    assert few["gateway"] <= 6 and few["supervisor"] <= 6 and few["sign_off"] <= 2
