"""What the matcher knows of a person: every name they have gone by, date of birth, NHS number
and every postcode they have lived at, read for many people at once (three queries)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from tarian.core.rawsql import prepared_cursor, table
from tarian.core.text import fold_postcode
from tarian.people.matching.names import (
    folded_family_forms,
    folded_given_forms,
    folded_whole_surnames,
    given_forms,
)
from tarian.people.models import Address, Person, PersonName, Residence


@dataclass
class Profile:
    person_id: int
    ref: str = ""
    given: set[str] = field(default_factory=set)  # folded forms, first and other names
    middle: set[str] = field(default_factory=set)  # forms only from middle names
    family: set[str] = field(default_factory=set)  # folded forms and parts, previous too
    family_full: set[str] = field(default_factory=set)  # whole surnames only, previous too
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    postcodes: set[str] = field(default_factory=set)  # current addresses
    past_postcodes: set[str] = field(default_factory=set)
    is_restricted: bool = False
    merged: bool = False
    first_given: str = ""  # for reasons: the name as recorded
    first_family: str = ""
    _areas: tuple[frozenset[str], frozenset[str]] | None = None

    def areas(self) -> tuple[frozenset[str], frozenset[str]]:
        """Postcode sectors and districts of every address (``LL777``, ``LL77``)."""
        if self._areas is None:
            every = self.postcodes | self.past_postcodes
            self._areas = (
                frozenset(p[:-2] if len(p) >= 5 else p for p in every),
                frozenset(p[:-3] if len(p) >= 5 else p for p in every),
            )
        return self._areas


def _id_filter(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    """``column`` is one of ``ids``: one array parameter on PostgreSQL (one plan whatever the
    count), a list of parameters on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _names(value: Any) -> list[str]:
    """``other_names`` as stored: a JSON list (decoded already on PostgreSQL)."""
    if isinstance(value, str):
        value = json.loads(value) if value and value != "[]" else []
    return [str(v) for v in value or [] if v]


_MATERIALIZED = (
    " MATERIALIZED" if connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)
    else ""
)


def load_profiles(person_ids: Sequence[int] | Iterable[int]) -> dict[int, Profile]:
    """Profiles of these people (one statement)."""
    ids = list(person_ids)
    if not ids:
        return {}
    where, params = _id_filter("id", ids)
    source = f"SELECT id AS person_id, 0 AS nhs, 0 AS shared FROM {table(Person)} WHERE {where}"  # noqa: S608  # nosec B608
    return profiles_from(source, params)[0]


def profiles_from(
    source: str, params: list[Any]
) -> tuple[dict[int, Profile], list[tuple[int, int, int]]]:
    """Profiles of the people a ``source`` statement names, with that statement's rows.

    ``source`` selects ``person_id, nhs, shared`` (the matcher's candidates, or plain ids);
    the people, their other names and their addresses come back in the same statement, so a
    match costs the database one round trip (this runs for every match, and for every pair
    ``tarian dedupe`` compares)."""
    person, names = table(Person), table(PersonName)
    residence, address = table(Residence), table(Address)
    blank = ", NULL" * 10
    sql = (
        f"WITH c AS{_MATERIALIZED} ({source}) "  # noqa: S608  # nosec B608
        "SELECT 0, p.id, c.nhs, c.shared, p.ref, p.given_name, p.family_name, p.known_as, "
        "p.other_names, p.date_of_birth, p.expected_date, p.nhs_number, p.is_restricted, "
        "p.merged_into_id, p.given_name_folded, p.family_name_folded "
        f"FROM c JOIN {person} p ON p.id = c.person_id "
        f"UNION ALL SELECT 1, n.person_id, NULL, NULL, n.given_name_folded, "
        f"n.family_name_folded{blank} FROM c JOIN {names} n ON n.person_id = c.person_id "
        "UNION ALL SELECT 2, r.person_id, NULL, NULL, a.postcode, NULL, NULL, NULL, NULL, "
        f"r.end_date{', NULL' * 6} FROM c JOIN {residence} r ON r.person_id = c.person_id "
        f"JOIN {address} a ON a.id = r.address_id"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    profiles: dict[int, Profile] = {}
    ranked: list[tuple[int, int, int]] = []
    for (
        _kind, pk, nhs_key, shared, ref, given, family, known_as, others, born, expected, nhs,
        restricted, merged, given_folded, family_folded,
    ) in (row for row in rows if row[0] == 0):
        ranked.append((pk, int(nhs_key), int(shared)))
        first = set(folded_given_forms(given_folded))
        if known_as:
            first |= given_forms([known_as])
        others = _names(others)
        middle = given_forms(others) - first if others else set()
        profiles[pk] = Profile(
            person_id=pk,
            ref=ref,
            given=first | middle,
            middle=middle,
            family=set(folded_family_forms(family_folded)),
            family_full=set(folded_whole_surnames(family_folded)),
            date_of_birth=_date(born or expected),
            nhs_number=nhs,
            is_restricted=bool(restricted),
            merged=merged is not None,
            first_given=given,
            first_family=family,
        )
    for row in rows:
        if row[0] == 1:
            profile = profiles[row[1]]
            forms = folded_given_forms(row[4] or "")
            profile.given |= forms
            profile.middle -= forms
            family = row[5] or ""
            profile.family |= folded_family_forms(family)
            profile.family_full |= folded_whole_surnames(family)
        elif row[0] == 2 and row[4]:
            profile = profiles[row[1]]
            target = profile.past_postcodes if row[9] else profile.postcodes
            target.add(fold_postcode(row[4]))
    for profile in profiles.values():
        if profile.past_postcodes:
            profile.past_postcodes -= profile.postcodes
    ranked.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return profiles, ranked


def _date(value: Any) -> dt.date | None:
    """A date as SQLite returns it through a plain cursor (text) or PostgreSQL (a date)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
