"""Where one match spends its time: a profiling aid for the matcher (issue "Matching engine").

Runs the benchmark's own queries through the real request path (middleware, token
authentication, ``GET /api/v1/people/match``) inside this process, against a database that
``bench/match.py`` has already loaded, and prints the database queries of one request, the
time spent in the database and in Python, and the functions that took the most time. Not a
test, not the benchmark: ``bench/match.py`` measures through a real server.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tarian_bench \\
      .venv/bin/python bench/match_profile.py var/bench/config-postgres.json --queries 300
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    from bench.matching.loaded import parser as make_parser
    from bench.matching.loaded import use_loaded_database

    parser = make_parser(__doc__)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--top", type=int, default=25, help="functions listed by time")
    parser.add_argument("--show-sql", action="store_true", help="print one request's SQL")
    args = parser.parse_args(argv)
    config = use_loaded_database(args.config)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.matching.data import Query
    from bench.matching.tarian_side import MATCH_PATH, _bench_user_token

    queries = [Query.from_json(q) for q in config["queries_list"]][: args.queries]
    token = _bench_user_token()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json")

    def ask(query: Query) -> Any:
        return client.get(f"{MATCH_PATH}?{urlencode(query.params())}")

    for query in queries[:20]:  # warm caches as a running server would have them
        ask(query)

    with CaptureQueriesContext(connection) as captured:
        response = ask(queries[0])
    print(f"One request: HTTP {response.status_code}, {len(captured.captured_queries)} queries")
    for item in captured.captured_queries:
        sql = item["sql"] if args.show_sql else item["sql"][:110]
        print(f"  {float(item['time']) * 1000:6.2f} ms  {sql}")

    totals: list[float] = []
    in_db: list[float] = []
    counts: list[int] = []
    profiler = cProfile.Profile()
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profiler.enable()
            ask(query)
            profiler.disable()
            totals.append(time.perf_counter() - started)
        in_db.append(sum(float(q["time"]) for q in captured.captured_queries))
        counts.append(len(captured.captured_queries))

    def ms(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    print(
        f"\n{len(queries)} requests in process ({connection.vendor}): "
        f"p50 {ms(totals, 0.5):.1f} ms, p95 {ms(totals, 0.95):.1f} ms; "
        f"database p50 {ms(in_db, 0.5):.1f} ms, p95 {ms(in_db, 0.95):.1f} ms; "
        f"queries per request {statistics.mean(counts):.1f} (with profiling on)"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
