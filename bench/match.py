"""Benchmark: Tarian's matcher against Splink on a hard synthetic population (issue "Matching
engine"). Prints the figures side by side; not a test. Deterministic from ``--random-seed``.

    .venv/bin/python bench/match.py --children 100000 --database both --json var/bench/m.json
    .venv/bin/python bench/match.py --children 1000000 --database postgres --no-splink

1. Generate the population (the seed's Gaerwen area made harder: twins, 15 % of children
   without an NHS number, some children never loaded) and the queries (12 % about children
   who are not known, a third without an NHS number, up to three corruptions each); see
   ``bench/matching/data.py``.
2. Splink 5 on DuckDB (the optional ``bench`` extra): train with its own EM, predict the links,
   time one record against the population with ``predict_between`` and a dedupe of everyone.
3. For each database, in a process of its own: a fresh database (SQLite: a file under
   var/bench/; PostgreSQL: ``tarian_bench`` dropped and created), migrate, load, build the
   matcher's keys, ask every query through a real gunicorn server's HTTP API, time
   ``tarian dedupe``.
4. Score both against the truth and print.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/tarian_bench"


def _setup_django(work: Path) -> None:
    """Django for the generator only (it imports the models); no database is touched here."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tarian.settings"
    os.environ["TARIAN_DEBUG"] = "1"
    os.environ["TARIAN_DATA_DIR"] = str(work / "generator")
    import django

    django.setup()


def _save(path: Path | None, results: dict[str, Any]) -> None:
    """Write what is known so far (a long run keeps its figures if a later phase fails)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=1, default=str))


def _matcher_fingerprint() -> str:
    """Which version of the matcher was measured (it changes while it is being written)."""
    digest = hashlib.sha256()
    folder = ROOT / "tarian" / "people" / "matching"
    for path in sorted(folder.glob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _keys_fingerprint() -> str:
    """Which version of the blocking keys a loaded database holds (``--reuse``)."""
    digest = hashlib.sha256()
    folder = ROOT / "tarian" / "people" / "matching"
    for name in ("keys.py", "names.py", "names.toml", "profiles.py"):
        digest.update(name.encode() + (folder / name).read_bytes())
    digest.update((ROOT / "tarian" / "core" / "text.py").read_bytes())
    return digest.hexdigest()[:12]


def run_tarian(
    database: str, args: argparse.Namespace, work: Path, digest: str, queries: list[Any]
) -> dict[str, Any]:
    from bench.databases import fresh_postgres, fresh_sqlite, postgres_exists, server_environment

    data_dir = work / f"data-{database}"
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "match-weights.json").unlink(missing_ok=True)  # never a stale training
    if not args.reuse:
        (work / f"loaded-{database}.json").unlink(missing_ok=True)
    if database == "sqlite":
        path = work / f"match-{args.children}-{args.random_seed}.sqlite3"
        if not args.reuse:
            fresh_sqlite(path)
        url = f"sqlite:///{path}"
    else:
        url = args.postgres_url
        if not args.reuse or not postgres_exists(url):
            fresh_postgres(url)
    config = {
        "database": database,
        "children": args.children,
        "random_seed": args.random_seed,
        "queries": args.queries,
        "queries_list": [q.to_json() for q in queries],
        "digest": digest,
        "server_workers": args.server_workers,
        "server_log": str(work / f"server-{database}.log"),
        "warmup": args.warmup,
        "dedupe": args.dedupe,
        "train": args.tarian_train,
        "reuse": args.reuse,
        "keys_fingerprint": _keys_fingerprint(),
        "out": str(work / f"tarian-{database}.json"),
    }
    config_path = work / f"config-{database}.json"
    config_path.write_text(json.dumps(config))
    env = {**os.environ, **server_environment(url, data_dir)}
    print(f"\n== Tarian on {database} ({url}) ==", file=sys.stderr, flush=True)
    Path(config["out"]).unlink(missing_ok=True)
    finished = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "bench.matching.tarian_side", str(config_path)],
        cwd=ROOT,
        env=env,
        check=False,
    )
    if not Path(config["out"]).exists():
        raise SystemExit(f"Tarian's side on {database} stopped (exit {finished.returncode})")
    result: dict[str, Any] = json.loads(Path(config["out"]).read_text())
    if finished.returncode != 0:
        # The figures up to the failed phase are kept; the report says what is missing.
        result["error"] = f"stopped with exit {finished.returncode} after the queries"
    return result


def _print(results: dict[str, Any]) -> None:
    from bench.matching import report

    p, q = results["population"], results["queries"]
    print()
    print(
        f"Matching benchmark: {p['children']:,} children loaded ({p['people']:,} people), "
        f"{q['queries']:,} queries, random seed {p['random_seed']}"
    )
    print(
        f"Queries: {q['not_known']} about children not known ({100 * q['not_known_share']:.1f} %),"
        f" {q['without_nhs_number']} without an NHS number "
        f"({100 * q['without_nhs_share']:.1f} %); corruptions {q['corruption_counts']}"
    )
    print()
    print(report.side_by_side(results))
    print()
    print(report.phases(results))
    print()
    print(report.breakdown(results))
    print()
    print(report.examples(results))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--random-seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both", "none"],
                        default="both")  # fmt: skip
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--splink", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--splink-realtime",
        type=int,
        default=200,
        help="queries timed one at a time with predict_between (0: none)",
    )
    parser.add_argument(
        "--splink-dedupe",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time Splink's predict on a dedupe of the whole population",
    )
    parser.add_argument(
        "--dedupe",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time tarian dedupe after the queries",
    )
    parser.add_argument(
        "--tarian-train",
        action="store_true",
        help="run Tarian's own training (EM) on the register before the queries",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database an earlier run loaded with the same population (its keys are "
        "rebuilt only if the key code changed); without it every run starts afresh",
    )
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=20, help="queries asked before timing starts")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    parser.add_argument(
        "--print",
        type=Path,
        dest="print_json",
        help="only print the tables of an earlier run's --json file",
    )
    args = parser.parse_args(argv)  # fmt: skip

    if args.print_json:
        _print(json.loads(args.print_json.read_text()))
        return
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    _setup_django(work)
    from bench.matching.data import (
        generate_population,
        load_name_variants,
        make_queries,
        query_summary,
    )
    from bench.matching.metrics import Answer, decided, evaluate, latency, sweep

    started = time.perf_counter()
    population = generate_population(
        children=args.children,
        random_seed=args.random_seed,
        queries=args.queries,
        keep_rows=args.splink,
        progress=True,
    )
    variants = load_name_variants()
    queries = make_queries(population, args.queries, random_seed=args.random_seed,
                           variants=variants)  # fmt: skip
    results: dict[str, Any] = {
        "arguments": {k: str(v) for k, v in vars(args).items()},
        "population": population.summary(),
        "queries": query_summary(queries),
        "name_variants": list(variants.sources),
        "generate_seconds": time.perf_counter() - started,
        "matcher_fingerprint": _matcher_fingerprint(),
        "tarian": [],
    }
    print(json.dumps(results["population"]), file=sys.stderr)
    print(json.dumps(results["queries"]), file=sys.stderr)

    if args.splink:
        from bench.matching.splink_side import model_summary, run_splink

        print("\n== Splink ==", file=sys.stderr, flush=True)
        run = run_splink(
            population.rows,
            queries,
            random_seed=args.random_seed,
            realtime_sample=args.splink_realtime,
            dedupe=args.splink_dedupe,
        )
        s = sweep(queries, run.answers)
        threshold = s.threshold if s.threshold is not None else 0.5
        label = (
            f"p >= {threshold:.4f} (precision >= 99.5 %)"
            if s.threshold is not None
            else "p >= 0.5 (99.5 % precision never reached)"
        )
        results["splink"] = {
            "version": run.version,
            "people": len(population.rows),
            "threshold": threshold,
            "threshold_label": label,
            "evaluation": evaluate(queries, decided(run.answers, threshold)),
            "evaluation_at_0_5": evaluate(queries, decided(run.answers, 0.5)),
            "latency_method": "linker.inference.predict_between (DuckDB, in process)",
            "latency": latency(run.realtime),
            "realtime_top1_agrees_with_batch": run.realtime_agreement,
            "batch_method": "predict(), dedupe_only on the population",
            "batch": run.dedupe or {"seconds": None, "records_per_second": None},
            "link_predict_seconds": run.phases.get("predict_link"),
            "link_pairs": run.link_pairs,
            "phases": run.phases,
            "model": model_summary(run.model),
        }
        population.rows = []  # free the memory before the databases
        _save(args.json, results)

    databases = {"both": ["sqlite", "postgres"], "none": []}.get(args.database, [args.database])
    for database in databases:
        found = run_tarian(database, args, work, population.digest, queries)
        answers = {
            qid: Answer(
                decision=a["decision"],
                ranked=[(c["id"], float(c["score"])) for c in a["candidates"]],
                reasons=a["candidates"][0]["reasons"] if a["candidates"] else [],
            )
            for qid, a in found["http"]["answers"].items()
        }
        found["evaluation"] = evaluate(queries, answers)
        found["threshold_label"] = "its own decision (TARIAN_MATCH_THRESHOLD)"
        found["latency_method"] = f"HTTP API, gunicorn ({found['http']['endpoint']})"
        found["latency"] = latency(found["http"]["latencies"])
        found["batch_method"] = "tarian dedupe (find_duplicates)"
        found["batch"] = found.get("dedupe") or {"seconds": None, "records_per_second": None}
        del found["http"]["latencies"]
        results["tarian"].append(found)
        _save(args.json, results)

    _print(results)
    if args.json:
        _save(args.json, results)
        print(f"\nEvery figure: {args.json}")


if __name__ == "__main__":
    main()
