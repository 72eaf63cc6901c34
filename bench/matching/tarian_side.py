"""Tarian's side of the matching benchmark, run in a process of its own per database.

``python -m bench.matching.tarian_side CONFIG.json`` (``bench/match.py`` starts it with the
database's environment): migrate a fresh database, write the population (``load``), build the
matcher's blocking keys, start a real gunicorn server, ask it every query through
``GET /api/v1/people/match`` on one persistent connection (timing each), then time
``tarian dedupe``. Writes what it measured to the config's ``out`` file as JSON.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MATCH_PATH = "/api/v1/people/match"
SEARCH_PATH = "/api/v1/people"


@contextlib.contextmanager
def timed(phases: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        phases[name] = round(time.perf_counter() - started, 3)
        print(f"[{name}] {phases[name]:.1f} s", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def analyze(vendor: str) -> None:
    """PostgreSQL's autovacuum would vacuum and analyse the new tables soon after a bulk load
    (which sets the visibility map that index-only scans need); do it now, so timings are of
    a database in its steady state and do not depend on when autovacuum runs. SQLite is left
    as Tarian leaves it."""
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def _marker_path(config: dict[str, Any]) -> Path:
    return Path(config["out"]).with_name(f"loaded-{config['database']}.json")


def _loaded_marker(config: dict[str, Any]) -> dict[str, Any]:
    """What an earlier run left in this database (population digest, keys version)."""
    path = _marker_path(config)
    found: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if found.get("database_url") != os.environ.get("DATABASE_URL"):
        return {}
    return found


def _save_marker(config: dict[str, Any], values: dict[str, Any]) -> None:
    values = {**values, "database_url": os.environ.get("DATABASE_URL")}
    _marker_path(config).write_text(json.dumps(values))


def _bench_user_token() -> str:
    """A gateway worker in a children's services agency (sees everyone) and an API token."""
    from tarian.agencies.access import scope_for
    from tarian.agencies.credentials import issue_token
    from tarian.agencies.models import (
        Action,
        Agency,
        AgencyType,
        RecordKind,
        Role,
        RoleCode,
        Scope,
        User,
    )

    agency, _ = Agency.objects.get_or_create(
        slug="bench-childrens-services",
        defaults={"name": "Benchmark Children's Services", "type": AgencyType.CHILDRENS_SERVICES},
    )
    user, _ = User.objects.get_or_create(username="bench.gateway", defaults={"agency": agency})
    user.agency = agency
    user.set_unusable_password()
    user.save()
    user.roles.set(Role.objects.filter(code=RoleCode.GATEWAY_WORKER))
    if scope_for(user, RecordKind.PERSON, Action.LIST) != Scope.ALL:
        raise SystemExit("the benchmark user cannot list everyone: check the sharing rules")
    return issue_token(user, name="bench/match.py")


class Server:
    """``gunicorn tarian.wsgi`` on a free local port, as README deploys it (or another WSGI
    ``app``, found on ``pythonpath``, that answers ``/health`` too).

    ``worker_class`` "gthread" keeps the client's connection open between requests; "sync"
    (gunicorn's default, README's) closes it after each response.
    """

    def __init__(
        self,
        workers: int,
        log: Path,
        *,
        app: str = "tarian.wsgi",
        pythonpath: Path | None = None,
        worker_class: str = "gthread",
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.log = log
        self.app = app
        self.pythonpath = pythonpath
        self.worker_class = worker_class
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", self.app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
        ]  # fmt: skip
        if self.worker_class == "gthread":
            command += ["--threads", "1", "--keep-alive", "30"]
        if self.pythonpath is not None:
            command += ["--pythonpath", str(self.pythonpath)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {self.process.returncode}): {self.log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            time.sleep(0.25)
        raise SystemExit(f"gunicorn did not answer /health within 120 s: {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Client:
    """One persistent HTTP connection; a request that finds it closed is sent again once."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.reconnects = 0

    def get(self, path: str) -> tuple[int, bytes, float]:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _ask(client: Client, params: dict[str, str], endpoint: str) -> tuple[int, bytes, float]:
    if endpoint == "match":
        return client.get(f"{MATCH_PATH}?{urlencode(params)}")
    # Fallback for testing the harness before the matcher exists: the people search.
    text = " ".join(v for k, v in params.items() if k in ("given_name", "family_name"))
    return client.get(f"{SEARCH_PATH}?{urlencode({'q': text or params.get('nhs_number', '')})}")


def _answer(status: int, body: bytes, endpoint: str) -> dict[str, Any]:
    if status != 200:
        error = body[:300].decode(errors="replace")
        return {"decision": "error", "status": status, "candidates": [], "body": error}
    data = json.loads(body)
    if endpoint == "match":
        return {
            "decision": data["decision"],
            "candidates": [
                {
                    "id": c["id"],
                    "score": c["score"],
                    "decision": c["decision"],
                    "reasons": c.get("reasons", []),
                }
                for c in data["candidates"]
            ],
            "hidden_matches": data.get("hidden_matches", 0),
        }
    found = [{"id": p["id"], "score": 0.5, "decision": "possible", "reasons": []}
             for p in data.get("results", [])[:5]]  # fmt: skip
    return {"decision": "possible" if found else "no_match", "candidates": found}


def run_queries(
    port: int, token: str, queries: list[dict[str, Any]], *, warmup: int
) -> dict[str, Any]:
    from tqdm import tqdm

    from bench.matching.data import Query

    client = Client(port, token)
    asked = [Query.from_json(q) for q in queries]
    endpoint = "match"
    status, _body, _s = _ask(client, asked[0].params(), endpoint)
    if status == 404:
        endpoint = "search"
        print("No /api/v1/people/match yet: asking the people search instead", file=sys.stderr)
    for q in asked[:warmup]:
        _ask(client, q.params(), endpoint)
    answers: dict[str, dict[str, Any]] = {}
    latencies: list[float] = []
    for q in tqdm(asked, desc="HTTP queries", unit=" queries", file=sys.stderr):
        status, body, seconds = _ask(client, q.params(), endpoint)
        latencies.append(seconds)
        answer = _answer(status, body, endpoint)
        answer["seconds"] = round(seconds, 6)
        answers[q.id] = answer
    return {
        "endpoint": endpoint,
        "answers": answers,
        "latencies": latencies,
        "reconnects": client.reconnects,
        "errors": sum(1 for a in answers.values() if a["decision"] == "error"),
    }


def _as_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.matching.data import generate_population
    from bench.matching.load import PopulationWriter
    from tarian.people.matching.keys import rebuild_all_keys
    from tarian.people.models import MatchKey, Person

    phases: dict[str, float] = {}
    result: dict[str, Any] = {"database": config["database"], "vendor": connection.vendor}
    loaded = _loaded_marker(config) if config.get("reuse") else {}
    if loaded.get("digest") == config["digest"]:
        print("Reusing the loaded population", file=sys.stderr, flush=True)
        result["reused"] = True
        with timed(phases, "migrate"):
            call_command("migrate", interactive=False, verbosity=0)
    else:
        loaded = {}
        with timed(phases, "migrate"):
            call_command("migrate", interactive=False, verbosity=0)
        with timed(phases, "load"), transaction.atomic():
            writer = PopulationWriter()
            population = generate_population(
                children=config["children"],
                random_seed=config["random_seed"],
                queries=config["queries"],
                sink=writer,
                keep_rows=False,
                progress=True,
            )
            writer.finish()
        result["rows_written"] = writer.rows
        result["population"] = population.summary()
        if population.digest != config["digest"]:
            raise SystemExit(f"population digest {population.digest} != {config['digest']}")
        with timed(phases, "analyze"):
            analyze(connection.vendor)
        _save_marker(config, {"digest": config["digest"]})
    if loaded.get("keys") != config["keys_fingerprint"]:
        with timed(phases, "match_keys"):
            result["match_keys"] = rebuild_all_keys(progress=True)
        with timed(phases, "analyze_keys"):
            analyze(connection.vendor)
        _save_marker(config, {"digest": config["digest"], "keys": config["keys_fingerprint"]})
    result["people"] = Person.objects.count()
    result["match_key_rows"] = MatchKey.objects.count()
    if config.get("train"):
        # Tarian's own EM on this register (never the truth): the server then uses its weights.
        from tarian.people.matching.train import train
        from tarian.people.matching.weights import reload_weights

        with timed(phases, "train"):
            report = train(progress=True)
        # Where `tarian matching train` keeps them: this run's own data directory.
        weights_file = Path(settings.DATA_DIR) / "match-weights.json"
        report.weights.save(weights_file)
        reload_weights()
        result["train"] = {
            "weights": str(weights_file),
            "random_pairs": report.random_pairs,
            "blocked_pairs": report.blocked_pairs,
            "match_share": report.match_share,
            "kept_previous_m": report.kept_previous_m,
        }
    token = _bench_user_token()
    # Outside debug /health (which the server start waits for) needs the static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()  # the server has the database to itself while it is timed

    server = Server(config["server_workers"], Path(config["server_log"]))
    try:
        with timed(phases, "server_start"):
            server.start()
        with timed(phases, "http_queries"):
            result["http"] = run_queries(
                server.port, token, config["queries_list"], warmup=config["warmup"]
            )
    finally:
        server.stop()
    result["server"] = {
        "workers": config["server_workers"],
        "worker_class": "gthread",
        "log": config["server_log"],
    }
    result["phases"] = phases
    # Kept now: a long run keeps its answers if the de-duplication after them fails.
    Path(config["out"]).write_text(json.dumps(result, default=str))

    if config.get("dedupe", True):
        from tarian.people.matching.dedupe import find_duplicates

        connection.close()  # whatever the queries phase left open; dedupe forks its workers
        started = time.perf_counter()
        summary = find_duplicates(progress=True)
        seconds = time.perf_counter() - started
        phases["dedupe"] = round(seconds, 3)
        result["dedupe"] = {
            "seconds": seconds,
            "people": result["people"],
            "records_per_second": result["people"] / seconds if seconds else 0.0,
            "summary": _as_dict(summary),
        }
        print(f"[dedupe] {seconds:.1f} s", file=sys.stderr, flush=True)
    result["phases"] = phases
    Path(config["out"]).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
