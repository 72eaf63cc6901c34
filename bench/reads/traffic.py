"""Concurrent requests against a running server, timed: requests per second and latency.

``measure(port, token, paths, ...)`` opens ``connections`` clients (one thread each, each its
own connection), which ask for paths picked at random from ``paths`` (so the reads are spread
over many records), first for ``warmup`` seconds untimed, then together for ``seconds`` (or
until ``requests`` have been asked between them). A client waits for each answer before it
asks again, so ``connections`` is how many requests are in flight at once.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.matching.metrics import percentile
from bench.matching.tarian_side import Client


@dataclass
class Measured:
    requests: int
    seconds: float
    latencies: list[float] = field(repr=False)
    statuses: Counter[int]
    client_cpu_seconds: float  # what the clients themselves used of the shared processors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p50_ms(self) -> float:
        return 1000 * (percentile(self.latencies, 50) or 0.0)

    def p95_ms(self) -> float:
        return 1000 * (percentile(self.latencies, 95) or 0.0)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def summary(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "p50_ms": round(self.p50_ms(), 2),
            "p95_ms": round(self.p95_ms(), 2),
            "p99_ms": round(1000 * (percentile(self.latencies, 99) or 0.0), 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "client_cpu": round(self.client_cpu_seconds / self.seconds, 2) if self.seconds else 0,
        }


def measure(
    port: int,
    token: str,
    paths: Sequence[str],
    *,
    connections: int,
    seconds: float | None,
    requests: int | None,
    warmup: float,
    random_seed: int,
) -> Measured:
    if not paths:
        raise ValueError("nothing to ask for")
    if (seconds is None) == (requests is None):
        raise ValueError("give either seconds or requests")
    started_together = threading.Barrier(connections + 1)
    stop = threading.Event()
    asked = itertools.count()  # shared: next() on it is atomic in CPython
    timed: list[list[tuple[float, int]]] = [[] for _ in range(connections)]
    failures: list[BaseException] = []

    def client_loop(number: int) -> None:
        client = Client(port, token)
        pick = random.Random(random_seed * 1000 + number).choice  # noqa: S311 - not security
        try:
            warm_until = time.perf_counter() + warmup
            while time.perf_counter() < warm_until:
                client.get(pick(paths))
        except BaseException as exc:
            failures.append(exc)
            started_together.abort()
            raise
        started_together.wait()
        mine = timed[number]
        try:
            while not stop.is_set() and (requests is None or next(asked) < requests):
                status, _body, took = client.get(pick(paths))
                mine.append((took, status))
        except BaseException as exc:
            failures.append(exc)
            stop.set()
            raise
        finally:
            client.conn.close()

    threads = [
        threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    try:
        started_together.wait()
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join()
        raise RuntimeError(f"a client failed during the warm-up: {failures[0]!r}") from None
    started, cpu = time.perf_counter(), time.process_time()
    if seconds is not None:
        stop.wait(seconds)
        stop.set()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if failures:
        raise RuntimeError(f"a client failed: {failures[0]!r}")
    every = [row for rows in timed for row in rows]
    return Measured(
        requests=len(every),
        seconds=elapsed,
        latencies=[took for took, _status in every],
        statuses=Counter(status for _took, status in every),
        client_cpu_seconds=cpu,
    )
