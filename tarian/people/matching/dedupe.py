"""``tarian dedupe`` (IS3, FD6): find likely duplicate people in the register for review.

Pairs come from the blocking keys (``pairs``), are scored with the same weights as a match
query, and those at or above the "possible" threshold are written to the review list
(``DuplicateCandidate``). A pair already on the list, whatever was decided about it (merged,
"not the same person"), is never raised again.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from tarian.people.matching.compare import compare_profiles
from tarian.people.matching.engine import counts, probability_of, score
from tarian.people.matching.pairs import candidate_pairs, pair_code, split_code
from tarian.people.matching.profiles import Profile, load_profiles
from tarian.people.matching.weights import current_weights
from tarian.people.models import DuplicateCandidate

CHUNK = 20_000


@dataclass
class DedupeSummary:
    people: int
    pairs_compared: int
    found: int
    already_listed: int


def find_duplicates(progress: bool = False) -> DedupeSummary:
    counts.clear()
    weights = current_weights()
    population = counts.get("population", "")
    known = {
        pair_code(a, b)
        for a, b in DuplicateCandidate.objects.values_list("person_a_id", "person_b_id")
    }
    pairs = candidate_pairs(progress)
    fresh = sorted(pairs - known)
    threshold = settings.TARIAN_POSSIBLE_MATCH_THRESHOLD
    # For a pair within the register the prior is that one record duplicates another.
    adjust = math.log2(weights.duplicate_share / weights.known_share)
    now = timezone.now()
    found = 0
    cache: dict[int, Profile] = {}
    bar = tqdm(total=len(fresh), unit=" pairs", desc="Comparing", disable=not progress,
               file=sys.stderr)
    for start in range(0, len(fresh), CHUNK):
        chunk = [split_code(code) for code in fresh[start : start + CHUNK]]
        wanted = {pid for pair in chunk for pid in pair} - cache.keys()
        if len(cache) > 300_000:
            cache.clear()
            wanted = {pid for pair in chunk for pid in pair}
        cache.update(load_profiles(wanted))
        rows = []
        for a, b in chunk:
            first, second = cache.get(a), cache.get(b)
            if first is None or second is None or first.merged or second.merged:
                continue
            levels = compare_profiles(first, second)
            weight = score(levels, weights, population) + adjust
            probability = probability_of(weight)
            if probability >= threshold:
                rows.append(
                    DuplicateCandidate(
                        person_a_id=a, person_b_id=b, score=round(probability, 6),
                        reasons=[level.reason for level in levels if level.reason],
                        found_at=now,
                    )
                )
        with transaction.atomic():
            DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
        found += len(rows)
        bar.update(len(chunk))
    bar.close()
    return DedupeSummary(
        people=population, pairs_compared=len(fresh), found=found,
        already_listed=len(pairs) - len(fresh),
    )
