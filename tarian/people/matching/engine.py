"""Is this child already known? (FD6) One query against the whole register.

1. Candidates: the people sharing the most blocking keys with the query (``keys``), found with
   one indexed lookup.
2. Scores: each candidate is compared field by field (``compare``); each comparison level has
   a match weight log2(m/u) (``weights``); an exact given name or surname is weighed by how
   common it is in the register (a shared "Jones" counts for less than a shared "Prydderch").
   The weights add to the prior odds that a query is about one particular person on the
   register, and the total becomes a match probability (Fellegi-Sunter, as Splink does).
3. Decision: ``match``, ``possible`` or ``no_match`` from thresholds in settings.

This module knows nothing of users: ``tarian.people.matching.answers`` applies the sharing
rules and audits what is shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count

from tarian.core.rawsql import table
from tarian.core.text import fold, fold_postcode
from tarian.people.identifiers import parse_nhs_number
from tarian.people.matching.compare import (
    MISSING,
    Level,
    compare_dob,
    compare_family,
    compare_given,
    compare_nhs,
    compare_postcode,
)
from tarian.people.matching.keys import dob_variants, make_keys
from tarian.people.matching.names import family_forms, given_forms, whole_surnames
from tarian.people.matching.profiles import Profile, load_profiles, profiles_from
from tarian.people.matching.weights import TERM_FREQUENCY_FIELDS, Weights, current_weights
from tarian.people.models import MatchKey, Person

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 40
CACHE_SECONDS = 600


class Decision:
    MATCH = "match"
    POSSIBLE = "possible"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class MatchQuery:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    postcode: str = ""
    nhs_number: str = ""

    def is_empty(self) -> bool:
        return not (
            self.given_name.strip() or self.family_name.strip() or self.date_of_birth
            or self.postcode.strip() or self.nhs_number.strip()
        )


@dataclass
class Candidate:
    person_id: int
    ref: str
    probability: float
    match_weight: float
    decision: str
    levels: list[Level] = field(default_factory=list)
    is_restricted: bool = False

    @property
    def reasons(self) -> list[str]:
        return [level.reason for level in self.levels if level.reason]


# Given-name levels on which a "match" may rest: the name, another form of it, or a typo.
NAMING_LEVELS = frozenset({"exact", "equivalent", "similar"})


def decide(probability: float, levels: list[Level]) -> str:
    """``match``, ``possible`` or ``no_match`` from the thresholds in settings.

    A ``match`` must rest on who the person is, not only on their family: the same NHS number,
    or a given name that agrees (the same, another form of it, or a typo of it). Without
    either, surname, date of birth and address together describe a twin or a sibling as well
    as the child, so the answer is at most ``possible`` and a person checks."""
    if probability >= settings.TARIAN_MATCH_THRESHOLD:
        if _names_the_person(levels):
            return Decision.MATCH
        return Decision.POSSIBLE
    if probability >= settings.TARIAN_POSSIBLE_MATCH_THRESHOLD:
        return Decision.POSSIBLE
    return Decision.NO_MATCH


def _names_the_person(levels: list[Level]) -> bool:
    by_field = {level.field: level.level for level in levels}
    return by_field.get("nhs_number") == "exact" or by_field.get("given_name") in NAMING_LEVELS


class RegisterCounts:
    """How many people the register holds, and how many have each given name and surname,
    read in three queries and kept ``CACHE_SECONDS`` (they change slowly).

    The first query of a process reads the table; later, a stale table is read again in a
    thread of its own while queries go on with the old one, so no query waits for it (at
    1,000,000 children reading it takes about a second). Counting a common name for every
    query instead cost each query a scan of everyone with that name. A name recorded since
    the table was read counts as 0, as a form nobody is recorded under does: its agreement then
    weighs as much as any name's."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], int] = {}
        self.since = 0.0
        self.loaded = False
        self.population: int | None = None  # set_population
        self._refreshing = threading.Lock()

    def get(self, kind: str, value: str) -> int:
        if not self.loaded:
            self._load()
        elif time.monotonic() - self.since > CACHE_SECONDS and self._refreshing.acquire(False):
            threading.Thread(target=self._refresh, name="register-counts", daemon=True).start()
        if kind == "population":
            return self.population or self.values.get((kind, ""), 0)
        return self.values.get((kind, value), 0)

    def _load(self) -> None:
        live = Person.objects.filter(merged_into__isnull=True)
        values: dict[tuple[str, str], int] = {("population", ""): live.count()}
        for kind, column in (("given_name", "given_name_folded"),
                             ("family_name", "family_name_folded")):  # fmt: skip
            shared = (
                live.exclude(**{column: ""}).order_by().values_list(column)
                .annotate(n=Count("id"))
            )
            values.update(((kind, name), n) for name, n in shared)
        self.values, self.since, self.loaded = values, time.monotonic(), True

    def _refresh(self) -> None:
        try:
            self._load()
        except DatabaseError:
            logger.exception("Reading the register's name counts failed; keeping the old ones")
            self.since = time.monotonic()
        finally:
            connection.close()  # this thread's own connection
            self._refreshing.release()

    def set_population(self, population: int) -> None:
        """Score as if the register held this many people (tests of a small register)."""
        self.population = population

    def clear(self) -> None:
        self.values, self.loaded, self.population = {}, False, None


counts = RegisterCounts()


def query_forms(query: MatchQuery) -> tuple[set[str], set[str], set[str]]:
    return (
        given_forms([query.given_name]),
        family_forms([query.family_name]),
        whole_surnames([query.family_name]),
    )


def query_keys(query: MatchQuery) -> set[str]:
    given, family, _full = query_forms(query)
    return make_keys(
        given=given,
        family=family,
        dobs=dob_variants(query.date_of_birth) if query.date_of_birth else [],
        postcodes=[query.postcode] if query.postcode else [],
        nhs_number=query.nhs_number,
    )


def candidates(query: MatchQuery, *, limit: int | None = None) -> dict[int, Profile]:
    """The profiles of the people sharing the most blocking keys with the query, best first,
    the same NHS number always first however little else agrees."""
    keys = query_keys(query)
    if not keys:
        return {}
    profiles, ranked = profiles_from(
        *_shared_keys_source(sorted(keys), query.nhs_number, limit or MAX_CANDIDATES)
    )
    family_typed, given_typed = fold(query.family_name), fold(query.given_name)
    strongest = max((shared for _pid, _nhs, shared in ranked), default=0)
    if (
        connection.vendor == "postgresql" and strongest < 2 and len(family_typed) >= 3
        and given_typed
    ):
        # No candidate shares two keys: perhaps a typo changed the name's sound as well.
        more = [
            p for p in _trigram_candidates(family_typed, given_typed, query.date_of_birth)
            if p not in profiles
        ]
        profiles.update(load_profiles(more))
    return profiles


# Rows read for one key: a common surname's "sound + year of birth" block holds hundreds of
# people at 100,000 children and thousands at 1,000,000. A person the query is about shares
# several keys; reading every member of a very large block only adds people who share one.
# (At 250, a register of 100,000 children lost true matches whose other keys were large too.)
KEY_ROWS = 1000


def _shared_keys_source(keys: list[str], nhs_number: str, limit: int) -> tuple[str, list[Any]]:
    """The statement naming the candidates: (person, has the NHS number, keys shared), at most
    ``KEY_ROWS`` people read for each key."""
    keys_table = table(MatchKey)
    params: list[Any]
    if connection.vendor == "postgresql":
        rows = (
            "SELECT m.person_id, m.key FROM unnest(%s::varchar[]) AS k(key) "  # noqa: S608  # nosec B608
            f"CROSS JOIN LATERAL (SELECT person_id, key FROM {keys_table} "
            "WHERE key = k.key LIMIT %s) m"
        )
        params = [keys, KEY_ROWS]
    else:
        one = f"SELECT * FROM (SELECT person_id, key FROM {keys_table} WHERE key = %s LIMIT %s)"  # noqa: S608  # nosec B608
        rows = " UNION ALL ".join([one] * len(keys))
        params = [value for key in keys for value in (key, KEY_ROWS)]
    sql = (
        "SELECT person_id, SUM(CASE WHEN key = %s THEN 1 ELSE 0 END) AS nhs, "  # noqa: S608  # nosec B608
        f"COUNT(*) AS shared FROM ({rows}) r GROUP BY person_id "
        "ORDER BY nhs DESC, shared DESC, person_id LIMIT %s"
    )
    return sql, [f"n:{nhs_number}" if nhs_number else "", *params, limit]


TRIGRAM_LIMIT = 20


def _trigram_candidates(family: str, first: str, born: dt.date | None) -> list[int]:
    """PostgreSQL only: people whose surname (current or previous) is similar by trigrams and
    whose given name is similar too, for typos that change a name's sound and so miss every
    blocking key (Jomes for Jones, with the date of birth wrong as well). With a date of birth,
    only people born within a year of it: a common surname's trigrams match thousands, and the
    date narrows them with its own index (a wrong day, month or swap stays inside the year; a
    wrong year as well as a surname that sounds different is not looked for)."""
    near, params = "", []
    if born is not None:
        near = " AND p.date_of_birth BETWEEN %s AND %s"
        params = [born - TRIGRAM_YEAR, born + TRIGRAM_YEAR]
    sql = (
        "SELECT p.id FROM people_person p "  # noqa: S608  # nosec B608
        "WHERE p.family_name_folded %% %s AND similarity(p.given_name_folded, %s) > 0.3 "
        f"AND p.merged_into_id IS NULL{near} "
        "UNION SELECT n.person_id FROM people_personname n "
        "JOIN people_person p ON p.id = n.person_id "
        f"WHERE n.family_name_folded %% %s AND similarity(n.given_name_folded, %s) > 0.3{near} "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [family, first, *params, family, first, *params, TRIGRAM_LIMIT])
        return [row[0] for row in cursor.fetchall()]


TRIGRAM_YEAR = dt.timedelta(days=366)


def compare(
    query: MatchQuery, profile: Profile,
    forms: tuple[set[str], set[str], set[str]] | None = None,
) -> list[Level]:
    """A normalised query (``normalise``: its postcode folded) against one person."""
    given, family, full = forms or query_forms(query)
    return [
        compare_nhs(query.nhs_number, profile.nhs_number),
        compare_given(given, profile),
        compare_family(full, family, profile),
        compare_dob(query.date_of_birth, profile.date_of_birth),
        compare_postcode(query.postcode, profile, folded=True),
    ]


def prior_log2_odds(weights: Weights, population: int) -> float:
    """Before looking at the fields: the odds that a query is about this one person."""
    prior = weights.known_share / max(population, 1)
    return math.log2(prior / (1 - prior))


HOUSEHOLD_SURNAME = frozenset({"exact", "part", "equivalent", "similar", "sound"})
HOUSEHOLD_POSTCODE = frozenset({"exact", "past"})


def score(levels: list[Level], weights: Weights, population: int) -> float:
    """The match weight: prior log-odds plus each field's log2(m/u).

    Fields are not independent inside a family: siblings share a surname and a postcode, and
    twins a date of birth too. So when surname and postcode both agree they count once, as
    "same household" (a random person shares both with about ``household_size`` others), and
    an agreeing date of birth then counts only as much as being a twin would explain."""
    total = prior_log2_odds(weights, population)
    by_field = {level.field: level for level in levels}
    family, postcode = by_field["family_name"], by_field["postcode"]
    household = family.level in HOUSEHOLD_SURNAME and postcode.level in HOUSEHOLD_POSTCODE
    if household:
        m = weights.m["family_name"][family.level] * weights.m["postcode"][postcode.level]
        total += math.log2(m / (weights.household_size / max(population, 1)))
    for level in levels:
        if level.level == MISSING or (household and level.field in ("family_name", "postcode")):
            continue
        m = weights.m[level.field][level.level]
        u = weights.u[level.field][level.level]
        if household and level.field == "date_of_birth" and level.level == "exact":
            u = max(u, weights.twin_share)
        elif level.level == "exact" and level.field in TERM_FREQUENCY_FIELDS and level.value:
            # Term frequency: how often a random person shares this value.
            share = counts.get(level.field, level.value) / max(population, 1)
            if share > 0:
                u = max(min(share, 1.0), 1.0 / max(population, 1))
        elif level.level == "part" and level.value:
            # One part of a double surname: as telling as that part is rare, never more than
            # the level's own weight (Davies is a part of many surnames, Prydderch of few).
            u = max(u, min(counts.get(level.field, level.value) / max(population, 1), 1.0))
        total += math.log2(m / u)
    return total


def probability_of(match_weight: float) -> float:
    if match_weight > 60:
        return 1.0
    odds = 2.0**match_weight
    return odds / (1 + odds)


def normalise(query: MatchQuery) -> MatchQuery:
    """Tidy what was typed: NHS number digits only (an invalid one is ignored), postcode."""
    nhs = ""
    if query.nhs_number.strip():
        try:
            nhs = parse_nhs_number(query.nhs_number)
        except ValueError:
            nhs = ""
    return MatchQuery(
        given_name=query.given_name.strip(),
        family_name=query.family_name.strip(),
        date_of_birth=query.date_of_birth,
        postcode=fold_postcode(query.postcode),
        nhs_number=nhs,
    )


def find_matches(
    query: MatchQuery, *, limit: int = 10, exclude: frozenset[int] = frozenset()
) -> list[Candidate]:
    """The likeliest people on the register for this query, best first (no access checks)."""
    query = normalise(query)
    if query.is_empty():
        return []
    weights = current_weights()
    population = counts.get("population", "")
    profiles = candidates(query)
    forms = query_forms(query)
    found: list[Candidate] = []
    for profile in profiles.values():
        if profile.merged or profile.person_id in exclude:
            continue
        levels = compare(query, profile, forms)
        weight = score(levels, weights, population)
        probability = probability_of(weight)
        found.append(
            Candidate(
                person_id=profile.person_id,
                ref=profile.ref,
                probability=probability,
                match_weight=weight,
                decision=decide(probability, levels),
                levels=levels,
                is_restricted=profile.is_restricted,
            )
        )
    found.sort(key=lambda c: (-c.match_weight, c.ref))
    return found[:limit]


def query_of(profile: Profile) -> MatchQuery:
    """A person's own details as a query (to look for their duplicates)."""
    return MatchQuery(
        given_name=next(iter(sorted(profile.given)), "") if not profile.first_given
        else profile.first_given,
        family_name=profile.first_family,
        date_of_birth=profile.date_of_birth,
        postcode=next(iter(sorted(profile.postcodes)), ""),
        nhs_number=profile.nhs_number,
    )

