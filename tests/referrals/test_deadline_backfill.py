"""Issue 21: referrals already at the Gateway get their clocks as rows when the deadlines app
arrives (``referrals/migrations/0012_decision_deadlines``), due when ``decision_due_at`` says;
the migration reverses by deleting what it wrote, and migrates back and forward."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tarian.agencies.models import User
from tarian.deadlines.models import Deadline
from tarian.referrals import reviews, services
from tests.referrals.conftest import RATIONALE

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
backfill_migration = importlib.import_module("tarian.referrals.migrations.0012_decision_deadlines")


@pytest.mark.django_db
def test_fd4_fd5_issue21_backfill_writes_the_clocks_of_referrals_at_the_gateway(
    school_dsl: User, gateway_worker: User, team_manager: User, referral_data: dict[str, Any],
) -> None:
    waiting = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    returned = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    services.record_decision(gateway_worker, ref=returned.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal", now=MONDAY)
    reviews.return_decision(
        team_manager, ref=returned.ref, now=MONDAY + dt.timedelta(hours=1),
        reason="Check with the police whether the father is known before choosing advice.",
    )
    untold = services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    services.record_decision(gateway_worker, ref=untold.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal", now=MONDAY)
    written = sorted(
        Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).values_list(
            "timescale", "subject_kind", "subject_id", "person_id", "owner_id", "role",
            "started_at", "due_soon_at", "due_at",
        )
    )
    Deadline.objects.all().delete()  # as before the deadlines app

    backfill_migration.backfill(apps, None)
    assert sorted(Deadline.objects.values_list(
        "timescale", "subject_kind", "subject_id", "person_id", "owner_id", "role",
        "started_at", "due_soon_at", "due_at",
    )) == written
    for referral in (waiting, returned):
        referral.refresh_from_db()
        assert set(Deadline.objects.filter(
            subject_kind="referral_decision", subject_id=str(referral.pk)
        ).values_list("due_at", flat=True)) == {referral.decision_due_at}

    backfill_migration.remove(apps, None)
    assert not Deadline.objects.exists()


@pytest.fixture
def latest() -> Iterator[None]:
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest")
def test_issue21_deadline_migrations_reverse_and_reapply() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("referrals", "0011_unseen_children"), ("deadlines", None)])
    with connection.cursor() as cursor:
        assert "deadlines_deadline" not in connection.introspection.table_names(cursor)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        assert "deadlines_deadline" in connection.introspection.table_names(cursor)
