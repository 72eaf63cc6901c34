"""Blocking keys (FD6): the few values under which a person is filed so that a query finds its
candidates with one indexed lookup, on SQLite and PostgreSQL alike.

Each key joins two facts, so that no single common value (a surname such as Jones, a birthday)
brings back thousands of people, and each kind of corruption leaves at least one key intact:

- ``n:`` NHS number;
- ``dg:`` date of birth + given name (its equivalence groups, or the name; and its sound);
- ``df:`` date of birth + surname sound (each part of a double surname);
- ``dp:`` date of birth + postcode sector;
- ``fg:`` surname sound + given name (date of birth wrong or missing);
- ``gp:`` given name + postcode (surname changed);
- ``fp:`` surname sound + postcode sector (given name unrecognisable);
- ``fy:`` surname sound + year of birth.

A query makes the same keys from what it was given, with its date of birth also as day and
month swapped and one day either side, and the candidates are the people sharing the most
keys. ``refresh_keys`` keeps them current; the services that write people call it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from tqdm import tqdm

from tarian.core.text import fold_postcode
from tarian.people.matching.names import family_keys, given_groups_or_name, given_sounds
from tarian.people.matching.profiles import Profile, load_profiles
from tarian.people.models import MatchKey, Person

CHUNK = 2000


def postcode_sector(postcode: str) -> str:
    """``LL77 7AB`` -> ``LL777``: outward code and the first digit of the inward code."""
    code = fold_postcode(postcode)
    return code[:-2] if len(code) >= 5 else code


def dob_variants(born: dt.date) -> set[dt.date]:
    """The date, with day and month swapped (where that is a date), and a day either side."""
    found = {born, born - dt.timedelta(days=1), born + dt.timedelta(days=1)}
    if born.day <= 12 and born.day != born.month:
        with contextlib.suppress(ValueError):
            found.add(born.replace(month=born.day, day=born.month))
    return found


def make_keys(
    *,
    given: Iterable[str],
    family: Iterable[str],
    dobs: Iterable[dt.date],
    postcodes: Iterable[str],
    nhs_number: str = "",
) -> set[str]:
    given = set(given)
    canon = given_groups_or_name(given)
    sounds = given_sounds(given)
    surnames = family_keys(family)
    days = [d.isoformat() for d in dobs]
    years = {d[:4] for d in days}
    codes = {fold_postcode(p) for p in postcodes if p}
    sectors = {postcode_sector(p) for p in codes}
    keys: set[str] = set()
    if nhs_number:
        keys.add(f"n:{nhs_number}")
    for day in days:
        keys.update(f"dg:{day}|{g}" for g in canon | sounds)
        keys.update(f"df:{day}|{f}" for f in surnames)
        keys.update(f"dp:{day}|{s}" for s in sectors)
    for f in surnames:
        keys.update(f"fg:{f}|{g}" for g in canon)
        keys.update(f"fp:{f}|{s}" for s in sectors)
        keys.update(f"fy:{f}|{y}" for y in years)
    for g in canon:
        keys.update(f"gp:{g}|{p}" for p in codes)
    return {k[:80] for k in keys}


def keys_of(profile: Profile) -> set[str]:
    return make_keys(
        given=profile.given,
        family=profile.family,
        dobs=[profile.date_of_birth] if profile.date_of_birth else [],
        postcodes=profile.postcodes | profile.past_postcodes,
        nhs_number=profile.nhs_number,
    )


def _rows(profiles: Iterable[Profile]) -> Iterator[tuple[str, int]]:
    for profile in profiles:
        if not profile.merged:
            for key in keys_of(profile):
                yield key, profile.person_id


@transaction.atomic
def refresh_keys(person_ids: Iterable[int]) -> None:
    """Rebuild the keys of these people (after any change to their names, dates or homes)."""
    ids = list(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        MatchKey.objects.filter(person_id__in=chunk).delete()
        _insert(list(_rows(load_profiles(chunk).values())))


def _insert(rows: list[tuple[str, int]]) -> None:
    quote = connection.ops.quote_name
    table, key, person = quote(MatchKey._meta.db_table), quote("key"), quote("person_id")
    sql = f"INSERT INTO {table} ({key}, {person}) VALUES (%s, %s)"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def build_keys(person_ids: list[int], *, progress: bool = False) -> int:
    """Write the keys of people who have none yet (bulk loads). Returns the rows written."""
    written = 0
    bar = tqdm(
        total=len(person_ids), unit=" people", desc="Match keys", disable=not progress,
        file=sys.stderr,
    )
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        rows = list(_rows(load_profiles(chunk).values()))
        _insert(rows)
        written += len(rows)
        bar.update(len(chunk))
    bar.close()
    return written


@transaction.atomic
def rebuild_all_keys(progress: bool = False) -> int:
    """Every person's keys afresh (after a bulk load or a change of name data)."""
    MatchKey.objects.all().delete()
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    return build_keys(ids, progress=progress)
