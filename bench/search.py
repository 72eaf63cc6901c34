"""Benchmark (issue 20 item 7): how long "Find a person" takes now that it goes through the
matcher, on a seeded register. Prints p50/p95/p99 by kind of search and reader, and how often
the person a query was made from is on the first page; not a test. Target: p95 <= 50 ms at
100,000 children on SQLite.

    nice .venv/bin/python bench/search.py --children 100000
    nice .venv/bin/python bench/search.py --children 100000 --reuse   # keep the loaded register

The register is the seed's (``tarian seed --children N``, which also writes the matcher's keys)
in ``WORK/search-N-SEED.sqlite3``; ``--reuse`` keeps one an earlier run loaded (migrated to the
current code). Queries are made from people picked at random from the register (``--queries``
of them, the same for a given ``--random-seed``): a given name and surname as recorded; with a
typo in one of them; a nickname or Welsh/English form of the given name; a double surname with
a space for its hyphen; the surname alone (common ones, "Jones", are thousands of people);
given name, surname and year of birth; given name, surname and date of birth; the first letters
of the surname (as typed so far); and an NHS number or Tarian ID. Each is asked, after a
warm-up, of ``tarian.people.search.search_people`` in this process (the selector the page and
the API call: access rules, blocking, comparing, the page's records, the audit INSERT), as a
children's services social worker (scope ``all``) and as the DSL of the school with the most
pupils (scope ``involved``); with ``--api`` also through ``GET /api/v1/people?q=`` in process
(Django's test client: middleware, token, serializer). Production settings (not debug).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = (
    "name", "typo", "other_form", "double_surname_spaced", "surname", "name_year", "name_dob",
    "typed_so_far", "identifier",
)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--random-seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1000, help="per kind of search")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench" / "search")
    parser.add_argument("--reuse", action="store_true", help="keep a register loaded before")
    parser.add_argument("--api", action="store_true", help="also GET /api/v1/people?q=")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall",
        help="wall: elapsed time (what a user waits on a quiet machine); cpu: the processor "
        "time this thread spent (SQLite runs in it), which other work on a busy machine moves "
        "far less",
    )
    return parser.parse_args()


def _load(args: argparse.Namespace, path: Path, env: dict[str, str]) -> None:
    """Migrate, and seed unless ``--reuse`` finds this register loaded."""
    from bench.databases import fresh_sqlite

    marker = path.with_suffix(".loaded.json")
    wanted = {"children": args.children, "random_seed": args.random_seed}
    kept = args.reuse and path.exists() and marker.exists() and (
        json.loads(marker.read_text()) == wanted
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    if not kept:
        fresh_sqlite(path)
        marker.unlink(missing_ok=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    if not kept:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - fixed argument list
            [*manage, "seed", "--children", str(args.children),
             "--random-seed", str(args.random_seed), "--quiet"],
            env=env, check=True,
        )
        print(f"seeded {args.children:,} children in {time.perf_counter() - started:.0f} s",
              file=sys.stderr, flush=True)
        marker.write_text(json.dumps(wanted))


def _typo(word: str, rng: random.Random) -> str:
    """One slip: a letter dropped, doubled or two swapped (never the first letter)."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def _queries(args: argparse.Namespace, user: Any) -> list[tuple[str, str, int]]:
    """(kind, text, person id) for ``--queries`` people of each kind, of those the reader may
    list (so that "on page 1" means something for a reader who sees a school's pupils)."""
    from tarian.agencies.models import Action
    from tarian.people.matching.names import _groups, _members
    from tarian.people.selectors import people_for

    rng = random.Random(args.random_seed)  # noqa: S311 - synthetic queries, not secrets
    people = list(
        people_for(user, Action.LIST)
        .exclude(given_name="").exclude(family_name="")
        .values_list("pk", "ref", "nhs_number", "given_name", "family_name", "date_of_birth")
    )
    hyphenated = [p for p in people if "-" in p[4]]
    given_groups = _groups()["given"]
    found: list[tuple[str, str, int]] = []
    for kind in KINDS:
        pool = hyphenated if kind == "double_surname_spaced" and hyphenated else people
        for pk, ref, nhs, given, family, born in rng.sample(pool, min(args.queries, len(pool))):
            if kind == "name":
                text = f"{given} {family}"
            elif kind == "typo":
                if rng.random() < 0.5:
                    text = f"{_typo(given, rng)} {family}"
                else:
                    text = f"{given} {_typo(family, rng)}"
            elif kind == "other_form":
                groups = given_groups.get(given.lower(), frozenset())
                forms = sorted(
                    {n for g in groups for n in _members()[g]} - {given.lower()}
                )
                text = f"{(rng.choice(forms) if forms else given).title()} {family}"
            elif kind == "double_surname_spaced":
                text = f"{given} {family.replace('-', ' ')}"
            elif kind == "surname":
                text = family
            elif kind == "name_year":
                text = f"{given} {family} {born.year if born else ''}".strip()
            elif kind == "name_dob":
                text = f"{given} {family} {born:%d/%m/%Y}" if born else f"{given} {family}"
            elif kind == "typed_so_far":
                text = family[: max(4, len(family) - 2)]
            else:
                text = nhs if nhs and rng.random() < 0.5 else ref
            found.append((kind, text, pk))
    return found


def _figures(values: list[float]) -> str:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000

    return (
        f"p50 {at(0.50):6.1f}  p95 {at(0.95):6.1f}  p99 {at(0.99):6.1f}  "
        f"max {ordered[-1] * 1000:6.1f} ms"
    )


def main() -> None:
    args = _arguments()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    path = (args.work_dir / f"search-{args.children}-{args.random_seed}.sqlite3").resolve()
    from bench.databases import server_environment

    env = {**os.environ, **server_environment(f"sqlite:///{path}", args.work_dir / "data")}
    env["TARIAN_DEBUG"] = "1"  # for manage.py only: static files are not needed to seed
    _load(args, path, env)
    os.environ.update(server_environment(f"sqlite:///{path}", args.work_dir / "data"))
    import django

    django.setup()
    logging.getLogger("tarian.requests").setLevel(logging.WARNING)  # a line per request
    from django.db import connection
    from django.test import Client

    from tarian.agencies.credentials import issue_token
    from tarian.agencies.demo import create_demo_users
    from tarian.agencies.models import User
    from tarian.people.models import Person
    from tarian.people.search import search_people
    from tarian.seed.agencies import area_agencies

    agencies = area_agencies()
    create_demo_users(agencies.school_slug, agencies.gp_slug)
    readers = {
        "social worker (scope all)": User.objects.get(username="social.worker"),
        "school DSL (scope involved)": User.objects.get(username="school.dsl"),
    }
    asked = {reader: _queries(args, user) for reader, user in readers.items()}
    registered = Person.objects.count()
    print(f"register: {registered:,} people ({args.children:,} children, seed "
          f"{args.random_seed}); up to {args.queries} queries of each kind per reader; "
          f"SQLite {connection.Database.sqlite_version}; load average "
          f"{os.getloadavg()[0]:.2f}")
    rng = random.Random(args.random_seed + 1)  # noqa: S311
    for reader, user in readers.items():
        for text in [q[1] for q in rng.sample(asked[reader], min(args.warmup, len(asked[reader])))]:
            search_people(user, text)
    results: dict[str, Any] = {}
    for reader, user in readers.items():
        queries = asked[reader]
        timings: dict[str, list[float]] = defaultdict(list)
        first_page: dict[str, list[bool]] = defaultdict(list)
        counts: dict[str, list[int]] = defaultdict(list)
        order = list(queries)
        rng.shuffle(order)
        clock = time.thread_time if args.clock == "cpu" else time.perf_counter
        for kind, text, pk in order:
            started = clock()
            answer = search_people(user, text)
            timings[kind].append(clock() - started)
            first_page[kind].append(pk in {p.pk for p in answer.people})
            counts[kind].append(answer.count)
        every = [t for values in timings.values() for t in values]
        print(f"\n{reader}: search_people in process, {len(every):,} searches "
              f"({'processor time of this thread' if args.clock == 'cpu' else 'elapsed time'})")
        print(f"  {'all':22} {_figures(every)}")
        for kind in KINDS:
            shown = sum(first_page[kind]) / len(first_page[kind]) * 100
            print(
                f"  {kind:22} {_figures(timings[kind])}   on page 1: {shown:5.1f} %   "
                f"found: median {statistics.median(counts[kind]):,.0f}, "
                f"max {max(counts[kind]):,}"
            )
        results[reader] = {
            kind: {"seconds": timings[kind], "on_first_page": first_page[kind]} for kind in KINDS
        }
        if args.api:
            client = Client(headers={"Authorization": f"Bearer {issue_token(user, name='bench')}"})
            api: list[float] = []
            for _kind, text, _pk in order[: max(200, len(order) // 4)]:
                started = time.perf_counter()
                response = client.get("/api/v1/people", {"q": text})
                api.append(time.perf_counter() - started)
                assert response.status_code == 200, (text, response.status_code)
            print(f"  {'GET /api/v1/people?q=':22} {_figures(api)}  ({len(api)} requests)")
    out = args.work_dir / f"results-{args.children}-{args.random_seed}.json"
    out.write_text(json.dumps(results))
    print(f"\ntimings kept in {out}; target: p95 <= 50 ms at 100,000 children on SQLite; "
          f"load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
