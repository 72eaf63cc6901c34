"""Issue 21: the queues read rows, so ``referrals/migrations/0013_queue_deadlines`` writes the
rows open referrals are missing — the police supervisor's backlog, which no code wrote before,
and any decision or feedback clock absent — as the services write them, and nothing twice; its
reverse deletes the backlog rows."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from tarian.agencies.models import User
from tarian.deadlines.models import Deadline
from tarian.referrals import reviews, selectors, services
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
migration = importlib.import_module("tarian.referrals.migrations.0013_queue_deadlines")
COLUMNS = ("timescale", "subject_kind", "subject_id", "person_id", "owner_id", "agency_id",
           "role", "started_at", "due_soon_at", "due_at", "due_month")


def _open() -> list[tuple[Any, ...]]:
    return sorted(
        Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True)
        .values_list(*COLUMNS)
    )


def test_fd3_fd4_fd5_issue21_backfill_puts_every_open_referral_back_on_its_queue(
    school_dsl: User, cru_officer: User, cru_supervisor: User, gateway_worker: User,
    team_manager: User, referral_data: dict[str, Any],
) -> None:
    services.submit_referral(cru_officer, data=referral_data, now=MONDAY)
    returned = services.submit_referral(cru_officer, data=referral_data, now=MONDAY)
    reviews.return_referral(
        cru_supervisor, ref=returned.ref, now=MONDAY + dt.timedelta(hours=1),
        comment="Say whether the children were seen alone and what they said, then send it.",
    )
    services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    decided = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    services.record_decision(gateway_worker, ref=decided.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal", now=MONDAY)
    sent_back = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    services.record_decision(gateway_worker, ref=sent_back.ref,
                             outcome="information_and_advice", rationale=RATIONALE,
                             threshold_level="universal", now=MONDAY)
    reviews.return_decision(
        team_manager, ref=sent_back.ref, now=MONDAY + dt.timedelta(hours=1),
        reason="Check with the police whether the father is known before choosing advice.",
    )
    written = _open()
    later = MONDAY + dt.timedelta(days=30)
    before = (
        [i.referral.ref for i in selectors.gateway_queue(gateway_worker, now=later)],
        [i.referral.ref for i in selectors.gateway_work(gateway_worker, now=later)[1]],
        [i.referral.ref for i in selectors.supervisor_queue(cru_supervisor, now=later)],
    )
    assert all(before) and len(before[0]) == 2
    # A database from before: no backlog rows, and some clocks lost.
    Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).delete()
    assert selectors.gateway_queue(gateway_worker, now=later) == []

    migration.backfill(apps, None)
    assert _open() == written
    assert (
        [i.referral.ref for i in selectors.gateway_queue(gateway_worker, now=later)],
        [i.referral.ref for i in selectors.gateway_work(gateway_worker, now=later)[1]],
        [i.referral.ref for i in selectors.supervisor_queue(cru_supervisor, now=later)],
    ) == before
    migration.backfill(apps, None)  # nothing twice
    assert _open() == written

    migration.remove(apps, None)
    assert not Deadline.objects.filter(subject_kind="referral_supervisor").exists()
    assert _open() == [row for row in written if row[1] != "referral_supervisor"]
