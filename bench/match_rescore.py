"""Accuracy only, in process: ask a loaded benchmark database every query again through the
same code as the API (``match_for``, with the sharing rules and the audit), and print the
accuracy figures and the wrong answers. For trying a change to the scoring without loading a
register again or starting a server; not a timing (``bench/match.py`` measures through a real
server).

    .venv/bin/python bench/match_rescore.py var/bench-seed2/config-sqlite.json
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tarian_bench1m \\
      .venv/bin/python bench/match_rescore.py var/bench1m/config-postgres.json --json out.json

``--threshold match=0.9 --threshold possible=0.5`` scores as if settings said so. The database
is the one the config names (SQLite) or ``DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SETTINGS = {"match": "TARIAN_MATCH_THRESHOLD", "possible": "TARIAN_POSSIBLE_MATCH_THRESHOLD"}


def _threshold(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    if name not in SETTINGS:
        raise argparse.ArgumentTypeError(f"threshold: use match=0.9 or possible=0.5, not {text!r}")
    try:
        return SETTINGS[name], float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"threshold {name}: {value!r} is not a number") from exc


def main(argv: list[str] | None = None) -> None:
    from bench.matching.loaded import parser as make_parser
    from bench.matching.loaded import use_loaded_database

    parser = make_parser(__doc__)
    parser.add_argument("--threshold", type=_threshold, action="append", default=[])
    parser.add_argument("--json", type=Path, help="write the evaluation here")
    parser.add_argument("--examples", type=int, default=10, help="wrong answers printed")
    args = parser.parse_args(argv)
    config = use_loaded_database(args.config)
    from django.conf import settings

    for name, value in args.threshold:
        setattr(settings, name, value)

    from bench.matching.data import Query
    from bench.matching.metrics import Answer, evaluate
    from bench.matching.report import format_examples
    from bench.matching.tarian_side import _bench_user_token
    from tarian.agencies.models import User
    from tarian.people.matching.answers import match_for
    from tarian.people.matching.engine import MatchQuery

    _bench_user_token()  # the benchmark user, as the server run made it
    user = User.objects.select_related("agency").get(username="bench.gateway")
    queries = [Query.from_json(q) for q in config["queries_list"]]
    answers: dict[str, Answer] = {}
    started = time.perf_counter()
    for q in queries:
        params = q.params()
        found = match_for(
            user,
            MatchQuery(
                given_name=params.get("given_name", ""),
                family_name=params.get("family_name", ""),
                date_of_birth=(
                    dt.date.fromisoformat(params["date_of_birth"])
                    if params.get("date_of_birth") else None
                ),
                postcode=params.get("postcode", ""),
                nhs_number=params.get("nhs_number", ""),
            ),
        )
        answers[q.id] = Answer(
            decision=found.decision,
            ranked=[(c.ref, c.probability) for c in found.candidates],
            reasons=[str(r) for r in found.candidates[0].reasons] if found.candidates else [],
        )
    seconds = time.perf_counter() - started
    ev = evaluate(queries, answers)

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.2f} %"

    print(f"{len(queries)} queries in {seconds:.1f} s (in process, {user.agency})")
    for label, key in (
        ("top-1 precision", "top1_precision"),
        ("top-1 recall", "top1_recall"),
        ("top-1 recall, no NHS number", "top1_recall_no_nhs"),
        ("top-3 recall", "top3_recall"),
        ("known child answered possible", "known_possible"),
        ("'not known' answered no_match", "not_known_no_match"),
        ("'not known' answered possible", "not_known_possible"),
        ("'not known' answered match", "not_known_match"),
    ):
        print(f"  {label:32} {pct(ev[key])}")
    sweep = ev["sweep"]
    print(f"  sweep: lowest threshold with precision >= 99.5 %: {sweep}")
    print("calibration: queries by best score, and how many of them have the child first")
    bands = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.01)
    for low, high in itertools.pairwise(bands):
        inside = [q for q in queries if low <= answers[q.id].top_score < high]
        right = sum(1 for q in inside if q.known and answers[q.id].top == q.truth)
        unknown = sum(1 for q in inside if not q.known)
        if inside:
            print(
                f"  [{low:.3f}, {min(high, 1):.3f}) {len(inside):5} queries: "
                f"{100 * right / len(inside):6.2f} % right first, {unknown} not known"
            )
    for title, key in (
        ("wrong 'match' answers", "wrong_matches"),
        ("'not known' not answered no_match", "not_known_wrong_examples"),
    ):
        print(f"{title} ({len(ev[key])}):")
        print("\n".join(format_examples(ev[key][: args.examples])))
    if args.json:
        args.json.write_text(json.dumps(ev, indent=1, default=str))


if __name__ == "__main__":
    main()
