"""Benchmark (issue 21): the home page's "due and overdue" list and the board's deadline count
by month, read from ``deadlines_deadline`` on PostgreSQL with the clocks of N children. Prints
p50/p95 in ms and the load average; not a test. Target: under 50 ms at 1,000,000 children.

    nice .venv/bin/python bench/deadlines.py                      # 1,000,000 children
    nice .venv/bin/python bench/deadlines.py --children 100000 --reuse

The database (``--database-url``, default ``tarian_bench_deadlines`` on the local server) is
made afresh and migrated, then filled in one ``INSERT … SELECT generate_series`` (foreign keys
are not checked during the load, ``session_replication_role = replica``: the people and users
the rows point at are not loaded, and no statement timed joins their tables), then vacuumed and
analysed as autovacuum leaves a table in use. The mix is an
assumption written down here, about 0.25 clocks per child per year over three years (so
750,000 rows at 1,000,000 children): referrals (5 % of children a year) each with a decision
and a feedback clock, the strategy discussions, enquiries and conferences that follow, and the
visits of children on plans; 30 % are Gateway decisions (no owner, the ``gateway_worker`` role),
the rest owned by one of N/200 practitioners. Clocks due before now were met on time (75 %),
met late (15 %), stopped (5 %) or are still open and overdue (5 %); 70 % of those due later are
open.

Timed, after a warm-up, each ``--repeat`` times: ``open_due`` (the list's one statement) for an
owner and for a Gateway worker; ``due_and_overdue`` (the page's selector: the rows, the children
the reader may open, what each subject is) for the Gateway worker; and ``counts_by_month`` over
the twelve months to now.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tarian_bench_deadlines"
CLOCKS_PER_CHILD_PER_YEAR = 0.25
YEARS = 3

# (timescale, subject kind, hours from start to due, share of rows)
MIX = [
    ("gateway_decision_high", "referral_decision", 4, 0.10),
    ("gateway_decision", "referral_decision", 24, 0.20),
    ("feedback_to_referrer", "referral_feedback", 72, 0.25),
    ("strategy_discussion", "strategy_discussion", 24, 0.05),
    ("section_47_child_seen", "enquiry", 72, 0.05),
    ("icpc", "conference", 360, 0.03),
    ("statutory_visit", "visit", 240, 0.32),
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the rows loaded before")
    return parser.parse_args()


def _load(children: int) -> int:
    """Fill the table; returns how many rows."""
    from django.db import connection

    rows = int(children * CLOCKS_PER_CHILD_PER_YEAR * YEARS)
    practitioners = max(children // 200, 10)
    cases = []
    upper = 0.0
    for timescale, kind, hours, share in MIX:
        lower, upper = upper, upper + share
        cases.append((lower, upper, timescale, kind, hours))
    pick = " ".join(
        f"WHEN r.k < {up} THEN '{value}'" for low, up, *rest in cases
        for value in [rest[0]]
    )
    kinds = " ".join(f"WHEN r.k < {up} THEN '{rest[1]}'" for low, up, *rest in cases)
    hours = " ".join(f"WHEN r.k < {up} THEN {rest[2]}" for low, up, *rest in cases)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SELECT setseed(0.21)")
        # Only integers and the constants of MIX are formatted into the statement.
        statement = f"""
            INSERT INTO deadlines_deadline (timescale, subject_kind, subject_id, person_id,
                owner_id, agency_id, role, started_at, due_soon_at, due_at, due_month, met_at,
                stopped_at, stop_reason, created_at)
            SELECT timescale, kind, (g / 2)::text, 1 + (g::bigint * 7919) % {children},
                CASE WHEN kind = 'referral_decision' THEN NULL
                     ELSE 1 + (g::bigint * 104729) % {practitioners} END,
                NULL, CASE WHEN kind = 'referral_decision' THEN 'gateway_worker' ELSE '' END,
                started, due - (due - started) / 4, due,
                date_trunc('month', due AT TIME ZONE 'Europe/London')::date,
                CASE WHEN due < now() AND outcome < 0.75
                         THEN started + (due - started) * o2
                     WHEN due < now() AND outcome < 0.90
                         THEN due + interval '1 hour' * (1 + o2 * 48)
                     WHEN due >= now() AND outcome < 0.30 AND started < now()
                         THEN started
                END,
                CASE WHEN due < now() AND outcome >= 0.90 AND outcome < 0.95 THEN due END,
                CASE WHEN due < now() AND outcome >= 0.90 AND outcome < 0.95
                     THEN 'referral withdrawn' ELSE '' END,
                started
            FROM (
                SELECT g, CASE {pick} END AS timescale, CASE {kinds} END AS kind,
                       started, started + interval '1 hour' * (CASE {hours} END) AS due,
                       outcome, o2
                FROM (
                    SELECT g, random() AS k,
                           now() - interval '{YEARS - 1} years 6 months'
                               + interval '1 second' * (random() * {YEARS} * 365 * 86400)
                               AS started,
                           random() AS outcome, random() AS o2
                    FROM generate_series(1, {rows}) AS g
                ) AS r
            ) AS d
        """  # noqa: S608
        cursor.execute(statement)
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SELECT count(*) FROM deadlines_deadline")
        return int(cursor.fetchone()[0])


def _time(repeat: int, read: Callable[[], Any]) -> tuple[float, float, Any]:
    for _ in range(10):
        result = read()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = read()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], result


def main() -> None:
    args = _arguments()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarian.settings")
    os.environ.setdefault("TARIAN_DEBUG", "1")
    from bench.databases import fresh_postgres, postgres_exists

    reuse = args.reuse and postgres_exists(args.database_url)
    if not reuse:
        fresh_postgres(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tarian.agencies.models import Agency, AgencyType, Role, User
    from tarian.deadlines import selectors
    from tarian.deadlines.models import Deadline
    from tarian.procedures.clocks import LONDON

    print(f"load average at start: {os.getloadavg()}")
    started = time.perf_counter()
    if not reuse:
        call_command("migrate", verbosity=0)
        agency, _ = Agency.objects.get_or_create(
            slug="bench-cs", defaults={"name": "Bench CS", "type": AgencyType.CHILDRENS_SERVICES}
        )
        for username, role in (("bench-owner", "social_worker"), ("bench-gateway",
                                                                  "gateway_worker")):
            user = User.objects.create(username=username, agency=agency)
            user.roles.add(Role.objects.get(code=role))
        rows = _load(args.children)
    else:
        rows = Deadline.objects.count()
    # As autovacuum leaves a table in use: statistics, and the visibility map that lets a
    # count read the index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE deadlines_deadline")
    print(f"{args.children:,} children, {rows:,} deadline rows "
          f"({'kept' if reuse else 'loaded'} in {time.perf_counter() - started:.1f} s)")
    # The owner with the most open clocks due by tomorrow: the busiest list.
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("""SELECT owner_id FROM deadlines_deadline
            WHERE met_at IS NULL AND stopped_at IS NULL AND owner_id IS NOT NULL
            AND due_soon_at <= %s GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1""",
                       [now + dt.timedelta(days=1)])
        busiest = cursor.fetchone()[0]
    owner = User.objects.get(username="bench-owner")
    Deadline.objects.filter(owner_id=busiest).update(owner=owner)
    gateway = User.objects.get(username="bench-gateway")
    for user in (owner, gateway):
        user.role_codes()
    this_month = now.astimezone(LONDON).date().replace(day=1)
    year_ago = this_month.replace(year=this_month.year - 1)
    reads: list[tuple[str, Callable[[], Any]]] = [
        ("open_due, busiest owner", lambda: list(selectors.open_due(owner, now=now)[:50])),
        ("open_due, Gateway worker", lambda: list(selectors.open_due(gateway, now=now)[:50])),
        ("due_and_overdue (page), Gateway worker",
         lambda: selectors.due_and_overdue(gateway, now=now)),
        ("counts_by_month, 12 months",
         lambda: selectors.counts_by_month(since=year_ago, until=this_month, now=now)),
    ]
    print(f"{'read':42} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name, read in reads:
        p50, p95, result = _time(args.repeat, read)
        print(f"{name:42} {len(result):>6} {p50:>8.2f} {p95:>8.2f}")
    from django.test.utils import CaptureQueriesContext

    for name, read in (reads[0], reads[1], reads[3]):
        with CaptureQueriesContext(connection) as captured:
            read()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[-1]["sql"])
            print(f"\n{name}:\n" + "\n".join(f"  {line}" for (line,) in cursor.fetchall()))
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
