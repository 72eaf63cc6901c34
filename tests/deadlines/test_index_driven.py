"""Issue 21: the "due and overdue" list and the board's counts find their rows through an index
(the cost grows with the rows returned, not the table), checked with the database's own plan,
as ``tests/test_query_counts.py`` checks a record's read."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tarian.agencies.models import User
from tarian.deadlines import selectors

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _full_scans(sql: str) -> list[str]:
    """What the database would read in full to answer ``sql``."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [str(row[-1]) for row in cursor.fetchall()
                    if re.match(r"SCAN (?!.*USING INTEGER PRIMARY KEY)", str(row[-1]))]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        scans = [line for (line,) in cursor.fetchall() if "Seq Scan" in line]
        cursor.execute("SET LOCAL enable_seqscan = on")
        return scans


@pytest.mark.parametrize("who", ["gateway_worker", "social_worker", "school_dsl"])
def test_qa1_issue21_due_and_overdue_reads_through_an_index(
    who: str, request: pytest.FixtureRequest,
) -> None:
    user: User = request.getfixturevalue(who)
    user.role_codes()
    with CaptureQueriesContext(connection) as captured:
        list(selectors.open_due(user, now=NOW)[:50])
    (query,) = captured.captured_queries
    assert _full_scans(query["sql"]) == []


def test_qa1_issue21_counts_by_month_read_a_range_of_an_index() -> None:
    with CaptureQueriesContext(connection) as captured:
        selectors.counts_by_month(since=dt.date(2025, 12, 1), until=dt.date(2026, 12, 1), now=NOW)
    (query,) = captured.captured_queries
    assert _full_scans(query["sql"]) == []
