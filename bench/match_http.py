"""Latency only: ask a database that ``bench/match.py`` loaded the same queries again through a
fresh gunicorn server, without generating the population again (at 1,000,000 children that
takes six minutes and evicts the database from the operating system's cache, so the next
``bench/match.py --reuse`` measures a cold database). Prints p50/p95/p99 and how many answers
differ from the run that wrote the config's ``out`` file.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tarian_bench1m \\
      .venv/bin/python bench/match_http.py var/bench1m/config-postgres.json --passes 2
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    from bench.matching.loaded import parser as make_parser
    from bench.matching.loaded import use_loaded_database

    parser = make_parser(__doc__)
    parser.add_argument("--passes", type=int, default=1, help="times every query is asked")
    args = parser.parse_args(argv)
    config = use_loaded_database(args.config)  # the server is started with this environment
    work = args.config.resolve().parent
    from django.core.management import call_command
    from django.db import connection

    from bench.matching.metrics import latency
    from bench.matching.tarian_side import Server, _bench_user_token, run_queries

    token = _bench_user_token()
    # Outside debug /health (which the server start waits for) needs the static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()
    earlier: dict[str, Any] = {}
    if Path(config["out"]).exists():
        earlier = json.loads(Path(config["out"]).read_text()).get("http", {}).get("answers", {})
    server = Server(config["server_workers"], work / f"server-{config['database']}-http.log")
    server.start()
    try:
        for number in range(1, args.passes + 1):
            found = run_queries(server.port, token, config["queries_list"], warmup=config["warmup"])
            answers = found["answers"]
            figures = latency([a["seconds"] for a in answers.values()])
            differ = sum(
                1 for qid, a in answers.items()
                if qid in earlier and (
                    a["decision"], [c["id"] for c in a["candidates"]]
                ) != (earlier[qid]["decision"], [c["id"] for c in earlier[qid]["candidates"]])
            )  # fmt: skip
            shown = ", ".join(
                f"{k.removesuffix('_ms')} {v:.1f} ms" for k, v in figures.items()
                if k.endswith("_ms") and v
            )
            print(
                f"pass {number}: {len(answers)} queries, {shown}; errors {found['errors']}; "
                f"answers differing from {config['out']}: {differ}"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
