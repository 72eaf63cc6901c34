"""Benchmark (issue 17, item 7): Tarian's reads through its API against a bare Django view
reading the same person's row from the same database, both under gunicorn with the same
workers. Prints requests per second, p50/p95 latency and the ratio to bare Django for each
endpoint and reader, and checks the targets; not a test.

    .venv/bin/python bench/api_reads.py --people 10000 --database sqlite
    .venv/bin/python bench/api_reads.py --people 10000 1000000 --database postgres --reuse

Endpoints: ``GET /api/v1/people/{id}`` (the person read), ``/api/v1/referrals/{id}``,
``/api/v1/children/{id}/chronology`` and ``/api/v1/people/match?...``, each asked by a
children's services social worker (sharing rules give scope ``all``) and by the DSL of the
school with the most pupils (scope ``involved``), about records picked at random from what
that reader may see. The yardstick (``bench/reads/bare.py``) is a Django project with no apps
or middleware and one view that reads the person's row by Tarian ID and returns it as JSON,
using Tarian's database settings; it is measured before and after Tarian's endpoints.

For each database and size, in a process of its own: a database (SQLite: a file under the
work folder; PostgreSQL: ``tarian_api_reads_<people>``) migrated and loaded with the seed's
area and referrals (``bench/reads/population.py``; ``--reuse`` keeps a database an earlier run
loaded, since 1,000,000 people take a while), static files collected, both servers started
(gunicorn, ``--workers`` each), then each endpoint asked by ``--connections`` clients at once
for ``--duration`` seconds (or ``--requests`` requests) after a ``--warmup``. Every figure goes
to ``results-<database>-<people>.json`` in the work folder; the latency target compares the
smallest and largest sizes measured, in this run or (named) an earlier one.

Targets: the person read at least 50 % of bare Django's requests per second; its p50 at
1,000,000 people within 20 % of its p50 at 10,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/tarian_api_reads"
ENDPOINTS = {
    "person": "GET /api/v1/people/{id}",
    "referral": "GET /api/v1/referrals/{id}",
    "chronology": "GET /api/v1/children/{id}/chronology",
    "match": "GET /api/v1/people/match?...",
}
BARE = "bare Django view: the person's row as JSON"
ENGINES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
THROUGHPUT_TARGET = 0.50  # of bare Django's requests per second
LATENCY_GROWTH_TARGET = 0.20  # p50 at the largest size over p50 at the smallest, less one


def _database_url(args: argparse.Namespace, database: str, people: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{args.work_dir.resolve() / f'reads-{people}.sqlite3'}"
    return f"{args.postgres_url}_{people}"


def _marker_path(args: argparse.Namespace, database: str, people: int) -> Path:
    return args.work_dir.resolve() / f"loaded-{database}-{people}.json"


def _results_path(args: argparse.Namespace, database: str, people: int) -> Path:
    return args.work_dir.resolve() / f"results-{database}-{people}.json"


def _marker_matches(args: argparse.Namespace, database: str, people: int) -> bool:
    path = _marker_path(args, database, people)
    if not path.exists():
        return False
    found = json.loads(path.read_text())
    return bool(
        found.get("database_url") == _database_url(args, database, people)
        and found.get("random_seed") == args.random_seed
    )


def _prepare_database(args: argparse.Namespace, database: str, people: int) -> None:
    """Start from an empty database unless ``--reuse`` finds one this benchmark loaded."""
    from bench.databases import fresh_postgres, fresh_sqlite, postgres_exists

    url = _database_url(args, database, people)
    if database == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        kept = args.reuse and path.exists() and _marker_matches(args, database, people)
        if not kept:
            fresh_sqlite(path)
    else:
        kept = args.reuse and postgres_exists(url) and _marker_matches(args, database, people)
        if not kept:
            fresh_postgres(url)
    if not kept:
        _marker_path(args, database, people).unlink(missing_ok=True)
    print(
        f"\n== {ENGINES[database]}, {people:,} people: {url} "
        f"({'reusing the loaded register' if kept else 'a new register'}) ==",
        file=sys.stderr,
        flush=True,
    )


def _code_version() -> dict[str, Any]:
    """The commit measured and Tarian's files changed since (others may be editing them)."""

    def git(*words: str) -> str:
        done = subprocess.run(  # noqa: S603 - fixed argument list
            ["git", *words],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout

    changed = [line[3:] for line in git("status", "--porcelain", "--", "tarian").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": changed}


def run_case(args: argparse.Namespace, database: str, people: int) -> None:
    """One database at one size, in this process (its environment set by ``main``)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.matching.tarian_side import Server, analyze
    from bench.reads import bare, population
    from bench.reads.traffic import measure
    from tarian.core.rawsql import table
    from tarian.people.models import Person, PersonKind
    from tarian.referrals.models import Referral

    call_command("migrate", interactive=False, verbosity=0)
    marker = _marker_path(args, database, people)
    if marker.exists():
        loaded = json.loads(marker.read_text())
    else:
        started = time.perf_counter()
        loaded = population.load(people=people, random_seed=args.random_seed)
        analyze(connection.vendor)
        loaded.update(
            database_url=os.environ["DATABASE_URL"],
            random_seed=args.random_seed,
            load_seconds=round(time.perf_counter() - started, 1),
        )
        marker.write_text(json.dumps(loaded))
        print(f"Loaded in {loaded['load_seconds']:.0f} s", file=sys.stderr, flush=True)
    if args.load_only:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    readers = population.readers()
    asked = {
        r.key: population.asked(r, count=args.samples, random_seed=args.random_seed)
        for r in readers
    }
    result: dict[str, Any] = {
        "database": database,
        "people_asked": people,
        "people": Person.objects.count(),
        "children": Person.objects.filter(kind=PersonKind.CHILD).count(),
        "referrals": Referral.objects.count(),
        "load_seconds": loaded.get("load_seconds"),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code": _code_version(),
        "workers": args.workers,
        "worker_class": args.worker_class,
        "connections": args.connections,
        "duration": args.duration,
        "requests": args.requests,
        "warmup": args.warmup,
        "readers": {r.key: r.label for r in readers},
        "asked": {
            key: {e: len(paths) for e, paths in found.items()} for key, found in asked.items()
        },
        "runs": [],
    }
    # Only the table's and column's names go into the text; the Tarian ID is a parameter.
    ref_column = connection.ops.quote_name("ref")
    person_sql = f"SELECT * FROM {table(Person)} WHERE {ref_column} = %s"  # noqa: S608
    bare_paths = [bare.person_path(p.rsplit("/", 1)[1]) for p in asked["social_worker"]["person"]]
    tokens = {r.key: r.token for r in readers}
    connection.close()  # the servers have the database to themselves

    work = args.work_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="bare-reads-") as folder:
        app = bare.write_project(Path(folder), person_sql)
        servers = {
            "tarian": Server(
                args.workers,
                work / f"server-{database}-{people}.log",
                worker_class=args.worker_class,
            ),
            "bare": Server(
                args.workers,
                work / f"bare-{database}-{people}.log",
                app=app,
                pythonpath=Path(folder),
                worker_class=args.worker_class,
            ),
        }
        try:
            for server in servers.values():
                server.start()
            # Bare Django before every endpoint and after the last: each endpoint is compared
            # with the yardstick measured either side of it, which evens out other work on
            # the machine coming and going.
            plan: list[tuple[str, str, str, list[str]]] = []
            for r in readers:
                for endpoint in args.endpoints:
                    plan.append(("bare", "", "bare", bare_paths))
                    plan.append(("tarian", r.key, endpoint, asked[r.key][endpoint]))
            plan.append(("bare", "", "bare", bare_paths))
            _check_answers(servers, tokens, plan)
            result["load_before"] = os.getloadavg()[0]
            for name, reader, endpoint, paths in plan:
                if not paths:
                    print(f"[{reader} {endpoint}] nothing to ask", file=sys.stderr)
                    continue
                measured = measure(
                    servers[name].port,
                    tokens.get(reader, ""),
                    paths,
                    connections=args.connections,
                    seconds=args.duration if args.requests is None else None,
                    requests=args.requests,
                    warmup=args.warmup,
                    random_seed=args.random_seed,
                )
                run = {"endpoint": endpoint, "reader": reader, **measured.summary()}
                result["runs"].append(run)
                print(
                    f"[{reader or 'bare'} {endpoint}] {run['per_second']:.1f}/s, "
                    f"p50 {run['p50_ms']:.1f} ms, p95 {run['p95_ms']:.1f} ms, "
                    f"statuses {run['statuses']}",
                    file=sys.stderr,
                    flush=True,
                )
            result["load_after"] = os.getloadavg()[0]
        finally:
            for server in servers.values():
                server.stop()
    _results_path(args, database, people).write_text(json.dumps(result, indent=1))


def _check_answers(
    servers: dict[str, Any], tokens: dict[str, str], plan: list[tuple[str, str, str, list[str]]]
) -> None:
    """Every endpoint answers its first path with 200 before anything is timed."""
    from bench.matching.tarian_side import Client

    for name, reader, endpoint, paths in plan:
        if paths:
            status, body, _took = Client(servers[name].port, tokens.get(reader, "")).get(paths[0])
            if status != 200:
                raise SystemExit(
                    f"{reader} {endpoint} {paths[0]} answered {status}: {body[:300]!r}"
                )


READERS = {"social_worker": "social worker (all)", "dsl": "school DSL (involved)"}


def compared(result: dict[str, Any]) -> list[tuple[dict[str, Any], float]]:
    """Each of Tarian's runs with its yardstick: the mean requests per second of the bare
    Django runs just before and just after it."""
    runs = result["runs"]
    found = []
    for i, run in enumerate(runs):
        if run["endpoint"] == "bare":
            continue
        before = next((r for r in reversed(runs[:i]) if r["endpoint"] == "bare"), None)
        after = next((r for r in runs[i + 1 :] if r["endpoint"] == "bare"), None)
        sides = [r["per_second"] for r in (before, after) if r is not None]
        found.append((run, sum(sides) / len(sides) if sides else 0.0))
    return found


def report(result: dict[str, Any]) -> str:
    """The case's table (Markdown) and a line saying how it was measured."""
    how = (
        f"{result['duration']:g} s each"
        if result["requests"] is None
        else f"{result['requests']:,} requests each"
    )
    code = result["code"]
    changed = code["uncommitted"]
    lines = [
        f"{ENGINES[result['database']]}, {result['people']:,} people ({result['children']:,} "
        f"children), {result['referrals']:,} referrals; gunicorn {result['workers']} "
        f"{result['worker_class']} workers for each app; {result['connections']} connections, "
        f"{how} after {result['warmup']:g} s of warm-up; load average "
        f"{result['load_before']:.2f} before, {result['load_after']:.2f} after; code "
        f"{code['commit']}"
        + (f" with uncommitted changes to {', '.join(changed)}" if changed else ""),
        "",
        "| endpoint | reader | requests/s | p50 ms | p95 ms | of bare Django | bare either side |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    bare = [r for r in result["runs"] if r["endpoint"] == "bare"]
    if bare:
        rates = [r["per_second"] for r in bare]
        mean = {k: sum(r[k] for r in bare) / len(bare) for k in ("per_second", "p50_ms", "p95_ms")}
        lines.append(
            f"| {BARE} (mean of {len(bare)} runs, {min(rates):.0f}-{max(rates):.0f}/s) | | "
            f"{mean['per_second']:.1f} | {mean['p50_ms']:.1f} | {mean['p95_ms']:.1f} | | |"
        )
    for run, yardstick in compared(result):
        errors = sum(n for status, n in run["statuses"].items() if status != "200")
        note = f" ({errors} not 200: {run['statuses']})" if errors else ""
        share = f"{100 * run['per_second'] / yardstick:.1f} %" if yardstick else "-"
        lines.append(
            f"| {ENDPOINTS[run['endpoint']]} | {READERS[run['reader']]} | "
            f"{run['per_second']:.1f} | {run['p50_ms']:.1f} | {run['p95_ms']:.1f} | "
            f"{share}{note} | {yardstick:.1f} |"
        )
    if result["load_before"] > 0.5:
        lines.append(
            f"\nThe machine was not quiet when this started (load average "
            f"{result['load_before']:.2f}): other work shared its processors."
        )
    return "\n".join(lines)


def targets(results: list[dict[str, Any]], sources: dict[int, str]) -> str:
    """Each target, met or not, for every case and every pair of sizes on one database."""
    lines = ["Targets:"]
    for result in results:
        if id(result) in sources:
            continue  # an earlier run's: only its latency is compared below
        for run, yardstick in compared(result):
            if run["endpoint"] != "person" or not yardstick:
                continue
            share = run["per_second"] / yardstick
            lines.append(
                f"- person read, {READERS[run['reader']]}, {ENGINES[result['database']]} "
                f"{result['people']:,} people: {100 * share:.1f} % of bare Django's "
                f"requests/s (target >= {100 * THROUGHPUT_TARGET:.0f} %): "
                + ("met" if share >= THROUGHPUT_TARGET else "NOT MET")
            )
    for database in ENGINES:
        sized = sorted((r for r in results if r["database"] == database), key=lambda r: r["people"])
        if len(sized) < 2:
            continue
        small, large = sized[0], sized[-1]
        for reader, label in READERS.items():
            p50 = [
                next(
                    (
                        r["p50_ms"]
                        for r in case["runs"]
                        if r["endpoint"] == "person" and r["reader"] == reader
                    ),
                    None,
                )
                for case in (small, large)
            ]
            if p50[0] is None or p50[1] is None or not p50[0]:
                continue
            growth = p50[1] / p50[0] - 1
            origins = "".join(
                f" [{case['people']:,} people: {sources[id(case)]}]"
                for case in (small, large)
                if id(case) in sources
            )
            lines.append(
                f"- person read p50, {label}, {ENGINES[database]}: {p50[1]:.1f} ms at "
                f"{large['people']:,} people against {p50[0]:.1f} ms at {small['people']:,} "
                f"({100 * growth:+.1f} %; target within +{100 * LATENCY_GROWTH_TARGET:.0f} %): "
                + ("met" if growth <= LATENCY_GROWTH_TARGET else "NOT MET")
                + origins
            )
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people",
        type=int,
        nargs="+",
        default=[10_000],
        help="register sizes (about this many people each)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="server and database name (_<people> is added to the name)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database an earlier run of this benchmark loaded with the same size and "
        "random seed (without it every run loads afresh)",
    )
    timing = parser.add_mutually_exclusive_group()
    timing.add_argument(
        "--duration", type=float, default=15.0, help="seconds each endpoint is timed (default 15)"
    )
    timing.add_argument("--requests", type=int, help="requests each endpoint is timed for")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="untimed seconds before each endpoint (default 3)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for each app")
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default="sync",
        help="gunicorn's worker class for both apps (sync, README's, takes a new connection "
        "per request; gthread keeps each client's connection open)",
    )
    parser.add_argument("--connections", type=int, default=8, help="requests in flight at once")
    parser.add_argument(
        "--samples",
        type=int,
        default=5000,
        help="records picked at random for each endpoint and reader",
    )
    parser.add_argument(
        "--endpoints",
        nargs="+",
        choices=list(ENDPOINTS),
        default=list(ENDPOINTS),
        help="which endpoints to time (default: all)",
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="load each database (or keep it, with --reuse) and time nothing",
    )
    parser.add_argument("--random-seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench" / "api-reads")
    parser.add_argument("--case", nargs=2, metavar=("DATABASE", "PEOPLE"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = _arguments(argv)
    if args.duration is not None and args.requests is not None:
        args.duration = None
    if args.case:
        run_case(args, args.case[0], int(args.case[1]))
        return
    from bench.databases import server_environment

    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results: list[dict[str, Any]] = []
    for database in databases:
        for people in args.people:
            _prepare_database(args, database, people)
            env = {
                **os.environ,
                **server_environment(
                    _database_url(args, database, people), work / f"data-{database}"
                ),
            }
            done = subprocess.run(  # noqa: S603 - this script with its own arguments
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    *argv,
                    "--case",
                    database,
                    str(people),
                ],
                cwd=ROOT,
                env=env,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(
                    f"{database} at {people:,} people stopped (exit {done.returncode})"
                )
            if args.load_only:
                continue
            results.append(json.loads(_results_path(args, database, people).read_text()))
            print("\n" + report(results[-1]) + "\n", flush=True)
    if args.load_only:
        return
    # The latency target compares sizes: take the sizes not measured now from earlier runs.
    sources: dict[int, str] = {}
    for database in databases:
        measured = {r["people_asked"] for r in results if r["database"] == database}
        for path in sorted(work.glob(f"results-{database}-*.json")):
            earlier = json.loads(path.read_text())
            if earlier["people_asked"] not in measured:
                results.append(earlier)
                sources[id(earlier)] = f"{path.name}, {earlier['measured_at']}"
    print(targets(results, sources))


if __name__ == "__main__":
    main()
