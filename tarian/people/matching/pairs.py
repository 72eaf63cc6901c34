"""Candidate pairs within the register (for ``tarian dedupe`` and ``tarian matching train``):
people filed under the same blocking key, from the keys that make small blocks."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
from django.db import connection
from tqdm import tqdm

from tarian.people.models import MatchKey

# Key kinds whose blocks stay small; "fy" (surname sound + year) and "fp" (surname sound +
# sector) make large blocks of common surnames and add little to these.
PAIR_KINDS = ("n:", "dg:", "df:", "dp:", "fg:", "gp:")
MAX_BLOCK = 60  # a block larger than this says little (e.g. a very common name and place)
# Surname sound + given name, without a date of birth, makes large blocks of common names
# (Jones and Olivia): measured at 100,000 children they gave 4.2 of 4.4 million pairs. Only its
# small blocks are kept, for the rarer names whose date of birth was mistyped; a common name
# with a wrong date of birth is still paired through the same postcode ("gp:").
MAX_BLOCK_BY_KIND = {"fg:": 8}
# Kinds of block a pair must share to be compared; one of these kinds is enough on its own: the same
# NHS number, or the same rare name (a small surname-sound + given-name block), which is what
# a record with a mistyped date of birth still shares with its duplicate.
MIN_SHARED = 2
ENOUGH_ALONE = ("n:", "fg:")
SHIFT = 32


def pair_code(a: int, b: int) -> int:
    low, high = (a, b) if a < b else (b, a)
    return (low << SHIFT) | high


def split_code(code: int) -> tuple[int, int]:
    return code >> SHIFT, code & ((1 << SHIFT) - 1)


def _blocks(prefix: str) -> Iterator[list[int]]:
    quote = connection.ops.quote_name
    table, key, person = quote(MatchKey._meta.db_table), quote("key"), quote("person_id")
    sql = (
        f"SELECT {key}, {person} FROM {table} "  # noqa: S608  # nosec B608: quoted names
        f"WHERE {key} >= %s AND {key} < %s ORDER BY {key}"
    )
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, upper])
        current: str | None = None
        members: list[int] = []
        while rows := cursor.fetchmany(10_000):
            for value, person_id in rows:
                if value != current:
                    if len(members) > 1:
                        yield members
                    current, members = value, []
                members.append(person_id)
        if len(members) > 1:
            yield members


def _codes(members: list[int]) -> Iterator[int]:
    members.sort()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if a != b:
                yield (a << SHIFT) | b


def candidate_pairs(progress: bool = False, *, min_shared: int = MIN_SHARED) -> list[int]:
    """Pairs of people (as ``pair_code``) filed together under small blocks of at least
    ``min_shared`` kinds, or under one block of a kind in ``ENOUGH_ALONE``; sorted, once each.

    One kind of block in common is what chance gives: at 1,000,000 children, 16.5 million
    pairs shared a block, most of them strangers born on the same day with a common name. A
    person recorded twice shares several kinds (date of birth with given name, with surname,
    with postcode sector; given name with postcode). Counting is done on arrays (numpy): a set
    or dict of tens of millions of pairs would take gigabytes."""
    kinds: list[np.ndarray] = []  # per kind of block, each pair once
    alone: list[np.ndarray] = []
    for prefix in tqdm(PAIR_KINDS, desc="Blocking", disable=not progress, file=sys.stderr):
        largest = MAX_BLOCK_BY_KIND.get(prefix, MAX_BLOCK)
        chunks: list[np.ndarray] = []
        buffer: list[int] = []
        for members in _blocks(prefix):
            if len(members) > largest:
                continue
            buffer.extend(_codes(members))
            if len(buffer) >= 1_000_000:
                chunks.append(np.array(buffer, dtype=np.uint64))
                buffer = []
        chunks.append(np.array(buffer, dtype=np.uint64))
        # A name's group and its sound are two keys of one fact: count each kind once.
        pairs = np.unique(np.concatenate(chunks))
        (alone if prefix in ENOUGH_ALONE else kinds).append(pairs)
    codes, times = np.unique(np.concatenate(kinds), return_counts=True)
    kept = np.union1d(codes[times >= min_shared], np.concatenate(alone))
    return [int(code) for code in kept.tolist()]
