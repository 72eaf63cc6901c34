"""Candidate pairs within the register (for ``tarian dedupe`` and ``tarian matching train``):
people filed under the same blocking key, from the keys that make small blocks."""

from __future__ import annotations

import sys
from collections.abc import Iterator

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


def candidate_pairs(progress: bool = False) -> set[int]:
    """Every pair of people sharing a small block, once, as a ``pair_code``."""
    pairs: set[int] = set()
    for prefix in tqdm(PAIR_KINDS, desc="Blocking", disable=not progress, file=sys.stderr):
        largest = MAX_BLOCK_BY_KIND.get(prefix, MAX_BLOCK)
        for members in _blocks(prefix):
            if len(members) > largest:
                continue
            members.sort()
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if a != b:
                        pairs.add((a << SHIFT) | b)
    return pairs
