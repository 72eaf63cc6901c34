"""Benchmark (issue 17, item 7): does one person's read cost the same at every size of the
register? The person read asked in process, one request after another, of registers that
``bench/api_reads.py`` loaded, alternating between them; prints p10, p50 and the minimum per
request for each reader and size; not a test.

    .venv/bin/python bench/api_reads.py --people 10000 1000000 --database postgres --load-only
    .venv/bin/python bench/person_read_sizes.py --database postgres --people 10000 1000000

``bench/api_reads.py`` measures through gunicorn under load, which is what a deployment sees
but needs a quiet machine: on a shared one its p50 moves by more than the target (20 %)
between runs. Here the request goes through Django's whole stack (every middleware, token,
the read, the audit event) without HTTP, one at a time, and the sizes take turns
(``--rounds``), so work elsewhere on the machine falls on both alike; the minimum and p10
show the cost with the least interference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SQLITE_FOLDER = ROOT / "var" / "bench" / "api-reads"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/tarian_api_reads"


def database_url(database: str, people: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{(SQLITE_FOLDER / f'reads-{people}.sqlite3').resolve()}"
    return f"{POSTGRES_URL}_{people}"


def measure(requests: int) -> list[str]:
    """In this process (its DATABASE_URL set): each reader's person reads, timed one by one."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from bench.reads import population

    app = WSGIHandler()
    lines = []
    for reader in population.readers():
        paths = population.asked(reader, count=500, random_seed=1)["person"]

        def call(path: str, token: str = reader.token) -> None:
            environ: dict[str, Any] = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "443",
                "HTTPS": "on",
                "wsgi.url_scheme": "https",
                "wsgi.input": BytesIO(b""),
                "wsgi.errors": sys.stderr,
                "HTTP_HOST": "localhost",
                "HTTP_AUTHORIZATION": f"Bearer {token}",
            }
            status: list[str] = []
            b"".join(app(environ, lambda s, _h: status.append(s)))
            if not status[0].startswith("200"):
                raise SystemExit(f"{path}: {status[0]}")

        for path in paths[:100]:  # warm-up: connections, caches
            call(path)
        took = []
        for number in range(requests):
            started = time.perf_counter()
            call(paths[number % len(paths)])
            took.append(time.perf_counter() - started)
        took.sort()
        lines.append(
            f"{reader.key}: p10 {took[len(took) // 10] * 1000:.2f} ms, "
            f"p50 {took[len(took) // 2] * 1000:.2f} ms, min {took[0] * 1000:.2f} ms"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, nargs="+", default=[10000, 1000000])
    parser.add_argument("--requests", type=int, default=1500, help="per reader, size and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print("\n".join(measure(args.requests)), flush=True)
        return
    for round_number in range(1, args.rounds + 1):
        for people in args.people:
            env = {
                **os.environ,
                "DATABASE_URL": database_url(args.database, people),
                "DJANGO_SETTINGS_MODULE": "tarian.settings",
                "TARIAN_DEBUG": "0",
                "SECRET_KEY": "bench-" + "x" * 48,  # a local run only
                "ALLOWED_HOSTS": "localhost",
                "TARIAN_LOG_LEVEL": "WARNING",
            }
            done = subprocess.run(  # noqa: S603 - this script with its own arguments
                [sys.executable, __file__, "--in-process", "--requests", str(args.requests)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            for line in done.stdout.splitlines():
                print(f"round {round_number}, {args.database} {people:,} people, {line}")


if __name__ == "__main__":
    main()
