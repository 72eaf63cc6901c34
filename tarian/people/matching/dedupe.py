"""``tarian dedupe`` (IS3, FD6): find likely duplicate people in the register for review.

Pairs come from the blocking keys (``pairs``), are scored with the same weights as a match
query, and those at or above the "possible" threshold are written to the review list
(``DuplicateCandidate``). A pair already on the list, whatever was decided about it (merged,
"not the same person"), is never raised again.

Comparing is the slow part, so the pairs are split into chunks compared in one process per
processor (``TARIAN_DEDUPE_WORKERS``), each reading its own people from the database; the
parent writes what they find. With one worker, or a database only this process can see (the
tests' in-memory SQLite), everything runs in this process.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from tqdm import tqdm

from tarian.people.matching.compare import compare_profiles, stored
from tarian.people.matching.engine import counts, probability_of, score
from tarian.people.matching.pairs import candidate_pairs, pair_code, split_code
from tarian.people.matching.profiles import Profile, load_profiles
from tarian.people.matching.weights import Weights, current_weights
from tarian.people.models import DuplicateCandidate

CHUNK = 20_000
CACHE_PEOPLE = 300_000  # profiles a process keeps between chunks (neighbouring chunks share)


@dataclass
class DedupeSummary:
    people: int
    pairs_compared: int
    found: int
    already_listed: int
    workers: int = 1


@dataclass(frozen=True)
class _Scoring:
    weights: Weights
    population: int
    adjust: float  # prior of a duplicate within the register, against a query's
    threshold: float


Found = tuple[int, int, float, list[dict[str, object]]]
_cache: dict[int, Profile] = {}


def _compare_chunk(codes: list[int], scoring: _Scoring) -> list[Found]:
    """Score each pair of a chunk; the pairs at or above the threshold, with reasons."""
    chunk = [split_code(code) for code in codes]
    wanted = {pid for pair in chunk for pid in pair} - _cache.keys()
    if len(_cache) > CACHE_PEOPLE:
        _cache.clear()
        wanted = {pid for pair in chunk for pid in pair}
    _cache.update(load_profiles(wanted))
    found: list[Found] = []
    for a, b in chunk:
        first, second = _cache.get(a), _cache.get(b)
        if first is None or second is None or first.merged or second.merged:
            continue
        levels = compare_profiles(first, second)
        probability = probability_of(score(levels, scoring.weights, scoring.population)
                                     + scoring.adjust)  # fmt: skip
        if probability >= scoring.threshold:
            # Kept as the catalogue's words, read in the reader's language (#20 item 11).
            reasons = [stored(level.text) for level in levels if level.text]
            found.append((a, b, round(probability, 6), reasons))
    return found


def _start_worker() -> None:
    """A forked worker must not share the parent's database connection: it opens its own
    (the parent closed its connections before forking; one left open is dropped here, never
    closed, since closing would end the parent's session on the shared socket)."""
    for conn in connections.all(initialized_only=True):
        conn.connection = None
    _cache.clear()


def worker_count(requested: int | None = None) -> int:
    """How many processes compare pairs: as asked, else the setting, else one per processor;
    one where other processes cannot see this database or cannot be forked."""
    wanted = requested if requested is not None else settings.TARIAN_DEDUPE_WORKERS
    if wanted <= 0:
        wanted = os.cpu_count() or 1
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if in_memory or not can_fork or connection.in_atomic_block:
        return 1
    return wanted


def _results(chunks: list[list[int]], scoring: _Scoring, workers: int) -> Iterator[
    tuple[int, list[Found]]
]:
    if workers <= 1:
        _cache.clear()
        for chunk in chunks:
            yield len(chunk), _compare_chunk(chunk, scoring)
        _cache.clear()
        return
    connections.close_all()  # the children open their own; the parent reopens when it writes
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        futures = [pool.submit(_compare_chunk, chunk, scoring) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            yield len(chunk), future.result()


def _write(found: Iterable[Found], now: dt.datetime) -> int:
    rows = [
        DuplicateCandidate(person_a_id=a, person_b_id=b, score=probability, reasons=reasons,
                           found_at=now)
        for a, b, probability, reasons in found
    ]  # fmt: skip
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def find_duplicates(progress: bool = False, workers: int | None = None) -> DedupeSummary:
    counts.clear()
    weights = current_weights()
    population = counts.get("population", "")
    known = {
        pair_code(a, b)
        for a, b in DuplicateCandidate.objects.values_list("person_a_id", "person_b_id")
    }
    pairs = candidate_pairs(progress)
    fresh = [code for code in pairs if code not in known]
    scoring = _Scoring(
        weights=weights,
        population=population,
        adjust=math.log2(weights.duplicate_share / weights.known_share),
        threshold=settings.TARIAN_POSSIBLE_MATCH_THRESHOLD,
    )
    processes = worker_count(workers)
    chunks = [fresh[start : start + CHUNK] for start in range(0, len(fresh), CHUNK)]
    now = timezone.now()
    found = 0
    bar = tqdm(total=len(fresh), unit=" pairs", desc="Comparing", disable=not progress,
               file=sys.stderr)  # fmt: skip
    for size, rows in _results(chunks, scoring, processes):
        found += _write(rows, now)
        bar.update(size)
    bar.close()
    return DedupeSummary(
        people=population, pairs_compared=len(fresh), found=found,
        already_listed=len(pairs) - len(fresh), workers=processes,
    )
