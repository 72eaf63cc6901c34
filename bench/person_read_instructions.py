"""The work of one person read, counted in instructions (issue 17, item 7): the person read
asked in process through Django's whole stack (every middleware, the token, the read, the audit
event; no HTTP) under ``valgrind --tool=callgrind``, and the bare Django view of
``bench/reads/bare.py`` reading the same rows the same way; prints instructions per request for
each and their ratio; not a test.

    .venv/bin/python bench/api_reads.py --people 10000 --database sqlite --load-only
    .venv/bin/python bench/person_read_instructions.py --people 10000

Timing requests on a shared machine moves by more than most changes being measured;
instructions do not (the same count twice for the same code and inputs, whatever else runs).
Each application is run twice, with ``--warm`` requests and with ``--warm`` plus
``--requests``; the difference divided by ``--requests`` leaves out start-up and warm-up. The
ratio is an upper bound on the share of bare Django's throughput through a server, where
both also pay for HTTP (``bench/api_reads.py`` measures that).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.person_read_sizes import database_url  # noqa: E402

DATA_DIR = ROOT / "var" / "bench" / "api-reads" / "data"


def _environ(path: str, token: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "localhost", "SERVER_PORT": "443", "HTTPS": "on",
        "wsgi.url_scheme": "https", "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr,
        "HTTP_HOST": "localhost", "HTTP_AUTHORIZATION": f"Bearer {token}",
    }  # fmt: skip


def _child(plan_file: Path, app_name: str, count: int) -> None:
    """Run ``count`` requests of the plan against one application, in this process."""
    plan = json.loads(plan_file.read_text())
    os.environ.update(plan["environment"])
    if app_name == "bare":
        sys.path.insert(0, plan["bare_folder"])
        os.environ["DJANGO_SETTINGS_MODULE"] = "bare_reads.settings"
        from bare_reads.wsgi import application  # type: ignore[import-not-found]
    else:
        import logging

        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        logging.getLogger("tarian.requests").setLevel(logging.WARNING)  # a line per request
    paths = plan["paths"][app_name]
    status: list[str] = []
    for number in range(count):
        status.clear()
        environ = _environ(paths[number % len(paths)], plan["token"])
        b"".join(application(environ, lambda answer, _headers: status.append(answer)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']}: {status[0]}")


def _instructions(plan_file: Path, app_name: str, count: int, out: Path) -> int:
    run = subprocess.run(  # noqa: S603 - this script with its own arguments
        [  # noqa: S607 - valgrind from PATH, as a developer runs it
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
            __file__, "--child", str(plan_file), app_name, str(count),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        raise SystemExit(f"{app_name} failed under valgrind:\n{run.stderr[-3000:]}")
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {out}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--apps", nargs="+", choices=["bare", "tarian"], default=["bare", "tarian"],
        help="which applications to count (the ratio needs both)",
    )
    parser.add_argument("--reader", choices=["social_worker", "dsl"], default="social_worker")
    args = parser.parse_args()
    from bench.databases import server_environment

    environment = server_environment(database_url(args.database, args.people), DATA_DIR)
    os.environ.update(environment)
    import django

    django.setup()
    from django.db import connection

    from bench.reads import bare, population
    from tarian.people.models import Person

    reader = next(r for r in population.readers() if r.key == args.reader)
    paths = population.asked(reader, count=500, random_seed=1)["person"]
    table = connection.ops.quote_name(Person._meta.db_table)
    person_sql = f"SELECT * FROM {table} WHERE {connection.ops.quote_name('ref')} = %s"  # noqa: S608
    connection.close()
    with tempfile.TemporaryDirectory(prefix="read-instructions-") as folder:
        work = Path(folder)
        bare.write_project(work, person_sql)
        plan = {
            "environment": environment, "bare_folder": folder, "token": reader.token,
            "paths": {
                "tarian": paths,
                "bare": [bare.person_path(p.rsplit("/", 1)[1]) for p in paths],
            },
        }  # fmt: skip
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan))
        per_request = {}
        for app_name in args.apps:
            low = _instructions(plan_file, app_name, args.warm, work / "low.out")
            high = _instructions(
                plan_file, app_name, args.warm + args.requests, work / "high.out"
            )
            per_request[app_name] = (high - low) / args.requests
            print(f"{app_name:7} {per_request[app_name]:>12,.0f} instructions per person read")
    if len(per_request) < 2:
        return
    print(
        f"bare / Tarian: {per_request['bare'] / per_request['tarian']:.1%} "
        f"({args.reader}, {args.database}, {args.people:,} people; target: Tarian's throughput "
        "at least 50 % of bare Django's through a server)"
    )


if __name__ == "__main__":
    main()
