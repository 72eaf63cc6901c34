"""One person's record read with plain statements: the API's person read (issue 17, IS1).

The person read runs on every partner system's lookup, so it is held to a fixed, small cost
whatever the size of the register: each statement finds its rows through an index on the
person (their Tarian ID, then their id), and is written once here rather than built by the
ORM for every request (building the ORM's queries cost several times the database's
answers). Values are converted exactly as the ORM converts them (``tarian.core.rawsql``), so
the instances here are those ``people.selectors`` would give; a test holds the two to the
same answers for every kind of reader and record.

Access is the same rule as ``selectors.people_for(user, Action.READ)``: the scope the sharing
rules give (``all``, or ``involved``: a current involvement of the user's agency, or recorded
by it), and a restricted record only for people named on it or with unexpired break-glass
access. When the statement finds nothing, the caller asks the ORM path why (not found, or
restricted), so refusals keep one implementation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, Agency, RecordKind, Scope, Team, User
from tarian.core.rawsql import columns, instance, table
from tarian.people.models import (
    Address,
    BreakGlass,
    Involvement,
    Person,
    PersonName,
    Residence,
    RestrictedAccess,
)


def readable_person(user: User, ref: str, *, on: dt.date) -> Person | None:
    """The person with this Tarian ID if the user may read their record, else None."""
    scope = scope_for(user, RecordKind.PERSON, Action.READ)
    if scope == Scope.NONE or (scope == Scope.INVOLVED and user.agency_id is None):
        return None
    ops = connection.ops
    quote = ops.quote_name
    day = ops.adapt_datefield_value(on)
    now = ops.adapt_datetimefield_value(timezone.now())
    conditions = [f"p.{quote('ref')} = %s"]
    params: list[Any] = [ref]
    if scope == Scope.INVOLVED:
        conditions.append(
            f"(EXISTS (SELECT 1 FROM {table(Involvement)} i WHERE i.person_id = p.id "  # noqa: S608  # nosec B608
            "AND i.agency_id = %s AND i.start_date <= %s "
            "AND (i.end_date IS NULL OR i.end_date >= %s)) "
            "OR p.created_by_agency_id = %s)"
        )
        params += [user.agency_id, day, day, user.agency_id]
    conditions.append(
        f"(NOT p.is_restricted "  # noqa: S608  # nosec B608
        f"OR EXISTS (SELECT 1 FROM {table(RestrictedAccess)} r "
        "WHERE r.person_id = p.id AND r.user_id = %s) "
        f"OR EXISTS (SELECT 1 FROM {table(BreakGlass)} b "
        "WHERE b.person_id = p.id AND b.user_id = %s AND b.expires_at > %s))"
    )
    params += [user.pk, user.pk, now]
    sql = (
        f"SELECT {', '.join(columns(Person, 'p'))} FROM {table(Person)} p "  # noqa: S608  # nosec B608
        f"WHERE {' AND '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    person = instance(Person, "p", row)
    assert isinstance(person, Person)
    return person


def load_names_and_addresses(person: Person) -> None:
    """The person's other names and address history, as ``prefetch_related`` would leave them
    (``person.names.all()``; ``person.residences.all()`` newest first, each with its address)."""
    name_cols = columns(PersonName, "n")
    residence_cols = columns(Residence, "r")
    address_cols = columns(Address, "a")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(name_cols)} FROM {table(PersonName)} n "  # noqa: S608  # nosec B608
            "WHERE n.person_id = %s ORDER BY n.kind, n.id",
            [person.pk],
        )
        names = [instance(PersonName, "n", row) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT {', '.join([*residence_cols, *address_cols])} "  # noqa: S608  # nosec B608
            f"FROM {table(Residence)} r JOIN {table(Address)} a ON a.id = r.address_id "
            "WHERE r.person_id = %s ORDER BY r.start_date DESC, r.id",
            [person.pk],
        )
        residences = []
        for row in cursor.fetchall():
            residence = instance(Residence, "r", row[: len(residence_cols)])
            assert isinstance(residence, Residence)
            residence.address = instance(Address, "a", row[len(residence_cols) :])  # type: ignore[assignment]
            residences.append(residence)
    for name in names:
        name.person = person  # type: ignore[attr-defined]
    for residence in residences:
        residence.person = person
    cache = person.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["names"] = _as_prefetched(person, "names", names)
    cache["residences"] = _as_prefetched(person, "residences", residences)


def involvements_of(person: Person, *, on: dt.date) -> list[Involvement]:
    """Every involvement with the person, with agency, team and named professional; current
    ones first (newest first), then past ones — as ``selectors`` orders them."""
    parts = [
        (Involvement, "i", columns(Involvement, "i")),
        (Agency, "g", columns(Agency, "g")),
        (Team, "t", columns(Team, "t")),
        (User, "u", columns(User, "u")),
    ]
    select = ", ".join(column for _model, _alias, cols in parts for column in cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM {table(Involvement)} i "  # noqa: S608  # nosec B608
            f"JOIN {table(Agency)} g ON g.id = i.agency_id "
            f"LEFT JOIN {table(Team)} t ON t.id = i.team_id "
            f"LEFT JOIN {table(User)} u ON u.id = i.professional_id "
            "WHERE i.person_id = %s ORDER BY i.end_date, i.start_date DESC, i.id",
            [person.pk],
        )
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = {}
        start = 0
        for model, alias, cols in parts:
            chunk = row[start : start + len(cols)]
            start += len(cols)
            values[alias] = None if chunk[0] is None else instance(model, alias, chunk)
        involvement = values["i"]
        assert isinstance(involvement, Involvement)
        involvement.person = person
        involvement.agency = values["g"]  # type: ignore[assignment]
        involvement.team = values["t"]  # type: ignore[assignment]
        involvement.professional = values["u"]  # type: ignore[assignment]
        found.append(involvement)
    found.sort(key=lambda i: (not i.is_current(on), -i.start_date.toordinal()))
    return found


def _as_prefetched(person: Person, name: str, rows: Sequence[object]) -> object:
    """A related manager's queryset holding ``rows``, as ``prefetch_related`` leaves it."""
    queryset = getattr(person, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset
