"""Where a person read's time goes (issue 17, item 7): the person read asked in process through
Django's whole stack (every middleware, the token, the read, the audit event; no HTTP) under
``cProfile``, on a register ``bench/api_reads.py --load-only`` loaded; prints the share of the
time spent in each package (own time: Django, DRF, Tarian, the database driver, ...) and the
functions with the most time under them; not a test.

    .venv/bin/python bench/api_reads.py --people 10000 --database sqlite --load-only
    .venv/bin/python bench/person_read_profile.py --people 10000 --requests 2000

The profiler slows every Python call alike, so shares are a guide to where to look, not
figures to quote as times; ``bench/api_reads.py`` measures time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.person_read_sizes import database_url  # noqa: E402

PACKAGES = (
    ("tarian/", "tarian"),
    ("rest_framework/", "Django REST framework"),
    ("drf_spectacular/", "drf-spectacular"),
    ("django/", "Django"),
    ("axes/", "django-axes"),
    ("django_otp/", "django-otp"),
    ("psycopg", "psycopg"),
    ("sqlite3", "sqlite3"),
    ("logging/", "logging"),
    ("json/", "json"),
)


def _package(filename: str) -> str:
    if filename.startswith("~") or filename == "<built-in>":
        return "built-ins (C: the database, hashing, ...)"
    for needle, name in PACKAGES:
        if needle in filename:
            return name
    return "other Python"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    from bench.databases import server_environment

    os.environ.update(server_environment(
        database_url(args.database, args.people), ROOT / "var" / "bench" / "api-reads" / "data"
    ))
    import django

    django.setup()
    import logging

    logging.getLogger("tarian.requests").setLevel(logging.WARNING)  # a line per request
    from io import BytesIO
    from typing import Any

    from django.core.handlers.wsgi import WSGIHandler

    from bench.reads import population

    app = WSGIHandler()
    reader = population.readers()[0]
    paths = population.asked(reader, count=500, random_seed=1)["person"]

    def call(path: str) -> None:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "localhost", "SERVER_PORT": "443", "HTTPS": "on",
            "wsgi.url_scheme": "https", "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr,
            "HTTP_HOST": "localhost", "HTTP_AUTHORIZATION": f"Bearer {reader.token}",
        }
        status: list[str] = []
        b"".join(app(environ, lambda s, _h: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")

    for path in paths[:100]:
        call(path)
    profile = cProfile.Profile()
    profile.enable()
    for number in range(args.requests):
        call(paths[number % len(paths)])
    profile.disable()
    stats = pstats.Stats(profile)
    own: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        own[_package(filename)] += tottime
        total += tottime
    print(f"{reader.key}: {args.requests} person reads, {total / args.requests * 1000:.2f} ms "
          "each under the profiler; own time by package:")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  {name:45} {seconds / total * 100:5.1f} %")
    print("\nfunctions with the most time under them (cumulative):")
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
