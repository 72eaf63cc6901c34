"""Issue 21: every statutory clock as a row — started, due, met or stopped — written in the
caller's transaction, with its due time from the procedures pack, one open clock per
timescale, subject and child, and a status the database works out (QA1)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from tarian.agencies.models import Agency, User
from tarian.deadlines import selectors, services
from tarian.deadlines.models import Deadline
from tarian.people.models import Person
from tarian.procedures.clocks import due_at, due_soon_at
from tarian.procedures.packs import current_pack

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
END_OF_DAY = dt.time(23, 59, 59, 999999)
KIND = "test_subject"


def _start(code: str = "gateway_decision", at: dt.datetime | None = None,
           subject: object = 1, **who: object) -> Deadline:
    with transaction.atomic():
        return services.start_clock(
            timescale=code, subject_kind=KIND, subject_id=subject,
            started_at=at or dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON), **who,  # type: ignore[arg-type]
        )


def test_qa1_issue21_a_clock_is_a_row_due_when_the_pack_says() -> None:
    started = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
    row = _start("gateway_decision_medium", started)
    scale = current_pack().timescale("gateway_decision_medium")
    row.refresh_from_db()
    assert row.due_at == due_at(scale, started)
    assert row.due_soon_at == due_soon_at(scale, started)
    assert (row.subject_kind, row.subject_id, row.met_at, row.stopped_at) == (
        KIND, "1", None, None
    )


def test_qa1_issue21_a_working_day_clock_across_a_weekend_and_a_bank_holiday() -> None:
    """Christmas Eve 2026 is a Thursday; Christmas Day and Monday 28 December (Boxing Day's
    substitute) are bank holidays in Wales; one working day is the end of Tuesday 29th."""
    row = _start("gateway_decision", dt.datetime(2026, 12, 24, 20, 0, tzinfo=LONDON))
    assert row.due_at == dt.datetime.combine(dt.date(2026, 12, 29), END_OF_DAY, tzinfo=LONDON)
    friday = _start("gateway_decision", dt.datetime(2026, 11, 20, 21, 30, tzinfo=LONDON),
                    subject=2)
    assert friday.due_at == dt.datetime.combine(dt.date(2026, 11, 23), END_OF_DAY, tzinfo=LONDON)


def test_qa1_issue21_a_clock_starts_only_inside_the_callers_transaction() -> None:
    """Outside a transaction the clock could be saved without the work it times (or the work
    without it): refused."""
    in_block = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            services.start_clock(
                timescale="gateway_decision", subject_kind=KIND, subject_id=1,
                started_at=dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON),
            )
    finally:
        connection.in_atomic_block = in_block
    assert not Deadline.objects.exists()


def test_qa1_issue21_a_clock_rolls_back_with_the_work_it_times() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _start()
        1 / 0  # noqa: B018 - the work fails after its clock started
    assert not Deadline.objects.exists()


def test_qa1_issue21_one_open_clock_per_timescale_subject_and_child(child: Person) -> None:
    _start(person=child)
    _start()  # about no child: its own open clock
    with pytest.raises(IntegrityError), transaction.atomic():
        _start(person=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        _start()
    # Once met, the same clock may run again (a decision returned starts a new row).
    with transaction.atomic():
        services.meet_clock(subject_kind=KIND, subject_id=1,
                            met_at=dt.datetime(2026, 11, 16, 12, 0, tzinfo=LONDON))
    _start(person=child)
    assert Deadline.objects.filter(subject_id="1").count() == 3


def test_qa1_issue21_due_is_never_before_the_start() -> None:
    start = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            timescale="gateway_decision", subject_kind=KIND, subject_id="9", started_at=start,
            due_soon_at=start - dt.timedelta(hours=2), due_at=start - dt.timedelta(hours=1),
            due_month=dt.date(2026, 11, 1),
        )


def test_qa1_issue21_meeting_is_idempotent_and_keeps_the_first_time() -> None:
    row = _start()
    first = dt.datetime(2026, 11, 16, 12, 0, tzinfo=LONDON)
    with transaction.atomic():
        assert services.meet_clock(subject_kind=KIND, subject_id=1, met_at=first) == 1
        assert services.meet_clock(subject_kind=KIND, subject_id=1,
                                   met_at=first + dt.timedelta(hours=2)) == 0
    row.refresh_from_db()
    assert row.met_at == first


@pytest.mark.parametrize("reason", ["", "   "])
def test_qa1_issue21_a_clock_is_stopped_only_with_a_reason(reason: str) -> None:
    _start()
    with pytest.raises(ValueError, match="reason"), transaction.atomic():
        services.stop_clock(subject_kind=KIND, subject_id=1, reason=reason,
                            stopped_at=dt.datetime(2026, 11, 16, 12, 0, tzinfo=LONDON))
    # The database refuses it too, whoever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.update(stopped_at=dt.datetime(2026, 11, 16, 12, 0, tzinfo=LONDON))
    with transaction.atomic():
        assert services.stop_clock(
            subject_kind=KIND, subject_id=1, reason="referral withdrawn",
            stopped_at=dt.datetime(2026, 11, 16, 12, 0, tzinfo=LONDON),
        ) == 1
    assert Deadline.objects.get().stop_reason == "referral withdrawn"


def test_qa1_issue21_restart_stops_the_open_clock_and_starts_a_new_row() -> None:
    _start()
    at = dt.datetime(2026, 11, 16, 13, 0, tzinfo=LONDON)
    with transaction.atomic():
        services.restart_clocks(timescale="gateway_decision_returned", subject_kind=KIND,
                                subject_id=1, at=at, reason="started over")
    old, new = Deadline.objects.order_by("pk")
    assert (old.stopped_at, old.stop_reason) == (at, "started over")
    assert (new.timescale, new.started_at, new.due_at) == (
        "gateway_decision_returned", at, at + dt.timedelta(hours=4)
    )


# Whose clocks, and where they stand (issue 21) -------------------------------------------------


def test_qa1_issue21_due_and_overdue_for_owner_role_or_agency_most_overdue_first(
    gateway_worker: User, social_worker: User, school_dsl: User, childrens_services: Agency,
) -> None:
    monday = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
    overdue = _start("gateway_decision_high", monday, subject=1, role="gateway_worker")
    soon = _start("gateway_decision_high", monday + dt.timedelta(hours=4, minutes=30),
                  subject=2, owner=gateway_worker)
    pending = _start("gateway_decision_high", monday + dt.timedelta(hours=6), subject=3,
                     agency=childrens_services)
    _start("feedback_to_referrer", monday, subject=4, owner=social_worker)
    later = _start("feedback_to_referrer", monday, subject=5, role="gateway_worker")
    now = monday + dt.timedelta(hours=7, minutes=45)
    rows = list(selectors.open_due(gateway_worker, now=now))
    assert [(r.pk, r.status) for r in rows] == [  # type: ignore[attr-defined]
        (overdue.pk, "overdue"), (soon.pk, "due_soon"), (pending.pk, "pending"),
    ]
    assert later.pk not in {r.pk for r in rows}  # due in three working days: not yet listed
    # Another role at the same agency sees the agency's unowned clock, not the Gateway's.
    assert [r.pk for r in selectors.open_due(social_worker, now=now)] == [pending.pk]
    assert list(selectors.open_due(school_dsl, now=now)) == []


def test_qa1_issue21_due_and_overdue_is_one_statement_for_the_clocks(
    gateway_worker: User, django_assert_num_queries: object,
) -> None:
    monday = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
    for subject in range(5):
        _start("gateway_decision_high", monday, subject=subject, role="gateway_worker")
    gateway_worker.role_codes()
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = list(selectors.open_due(gateway_worker, now=monday + dt.timedelta(hours=5)))
    assert len(rows) == 5


def test_qa1_issue21_counts_by_month_in_one_statement(
    django_assert_num_queries: object,
) -> None:
    """Met on time, met late, overdue and open, not yet due, stopped — per month of the due
    time and per timescale, in one GROUP BY."""
    nov = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
    dec = dt.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
    for subject in range(3):
        _start("gateway_decision_high", nov, subject=f"n{subject}")
    _start("gateway_decision_high", dec, subject="d1")
    _start("gateway_decision_high", dec, subject="d2")
    _start("feedback_to_referrer", dec, subject="f1")
    with transaction.atomic():
        services.meet_clock(subject_kind=KIND, subject_id="n0", met_at=nov + dt.timedelta(hours=1))
        services.meet_clock(subject_kind=KIND, subject_id="n1", met_at=nov + dt.timedelta(hours=9))
        services.stop_clock(subject_kind=KIND, subject_id="d1", stopped_at=dec,
                            reason="referral withdrawn")
    now = dec + dt.timedelta(hours=5)
    with django_assert_num_queries(1):  # type: ignore[operator]
        counts = selectors.counts_by_month(
            since=dt.date(2026, 1, 1), until=dt.date(2027, 1, 1), now=now,
        )
    table = {(c.month, c.timescale): (c.met_on_time, c.met_late, c.overdue, c.pending, c.stopped)
             for c in counts}
    assert table == {
        (dt.date(2026, 11, 1), "gateway_decision_high"): (1, 1, 1, 0, 0),
        (dt.date(2026, 12, 1), "feedback_to_referrer"): (0, 0, 0, 1, 0),
        (dt.date(2026, 12, 1), "gateway_decision_high"): (0, 0, 1, 0, 1),
    }


def test_qa1_issue21_a_month_is_a_london_month() -> None:
    """Due at 00:30 on 1 July, London (23:30 on 30 June in UTC): July's."""
    start = dt.datetime(2026, 6, 30, 20, 30, tzinfo=LONDON)
    row = _start("gateway_decision_high", start)
    assert row.due_month == dt.date(2026, 7, 1)
    (count,) = selectors.counts_by_month(
        since=dt.date(2026, 6, 1), until=dt.date(2026, 8, 1), now=start,
    )
    assert count.month == dt.date(2026, 7, 1)
