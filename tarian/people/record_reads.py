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
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, Agency, RecordKind, Scope, Team, User
from tarian.core.rawsql import columns, instance, prepared_cursor, statement, table
from tarian.people.models import (
    Address,
    BreakGlass,
    Involvement,
    Person,
    PersonName,
    Residence,
    RestrictedAccess,
)


def _json_object(pairs: dict[str, str]) -> str:
    """A JSON object of SQL expressions (``json_object`` / ``json_build_object``)."""
    function = "json_build_object" if connection.vendor == "postgresql" else "json_object"
    arguments = ", ".join(f"'{key}', {value}" for key, value in pairs.items())
    return f"{function}({arguments})"


def _json_list(object_sql: str, source: str) -> str:
    """A JSON array of one object per row of ``source`` ("[]" when there are none)."""
    if connection.vendor == "postgresql":
        return f"(SELECT COALESCE(json_agg({object_sql}), '[]'::json) {source})"
    return f"(SELECT json_group_array(json({object_sql})) {source})"


def _details_sql(*, with_involvements: bool) -> str:
    """The person's other names, current address and involvements (an empty list when the
    reader may not see them), each as JSON, for the person read's one statement (correlated
    on ``p.id``: indexed reads of the person's own rows)."""
    names = _json_list(
        _json_object(
            {
                "id": "n.id",
                "kind": "n.kind",
                "given_name": "n.given_name",
                "family_name": "n.family_name",
            }
        ),
        f"FROM {table(PersonName)} n WHERE n.person_id = p.id",  # nosec B608
    )
    address_object = _json_object(
        {"line1": "a.line1", "line2": "a.line2", "town": "a.town", "postcode": "a.postcode"}
    )
    address = (
        f"(SELECT {address_object} "  # noqa: S608  # nosec B608
        f"FROM {table(Residence)} r JOIN {table(Address)} a ON a.id = r.address_id "
        "WHERE r.person_id = p.id AND r.end_date IS NULL "
        "ORDER BY r.start_date DESC, r.id LIMIT 1)"
    )
    involvements = _json_list(
        _json_object(
            {
                "id": "i.id",
                "agency": "g.slug",
                "agency_name": "g.name",
                "team": "t.name",
                "role": "i.role",
                "first_name": "u.first_name",
                "last_name": "u.last_name",
                "username": "u.username",
                "professional_name": "i.professional_name",
                "start_date": "i.start_date",
                "end_date": "i.end_date",
                "end_reason": "i.end_reason",
                "version": "i.version",
            }
        ),
        f"FROM {table(Involvement)} i JOIN {table(Agency)} g ON g.id = i.agency_id "
        f"LEFT JOIN {table(Team)} t ON t.id = i.team_id "
        f"LEFT JOIN {table(User)} u ON u.id = i.professional_id "
        "WHERE i.person_id = p.id",
    )
    if not with_involvements:
        involvements = "'[]'"
    return f"{names}, {address}, {involvements}"


def _access_conditions(scope: Scope) -> str:
    """``people_for(user, Action.READ)`` as a condition on ``p`` (its parameters:
    ``_access_params``)."""
    conditions: list[str] = []
    if scope == Scope.INVOLVED:
        conditions.append(
            f"(EXISTS (SELECT 1 FROM {table(Involvement)} i WHERE i.person_id = p.id "  # noqa: S608  # nosec B608
            "AND i.agency_id = %s AND i.start_date <= %s "
            "AND (i.end_date IS NULL OR i.end_date >= %s)) "
            "OR p.created_by_agency_id = %s)"
        )
    conditions.append(
        f"(NOT p.is_restricted "  # noqa: S608  # nosec B608
        f"OR EXISTS (SELECT 1 FROM {table(RestrictedAccess)} r "
        "WHERE r.person_id = p.id AND r.user_id = %s) "
        f"OR EXISTS (SELECT 1 FROM {table(BreakGlass)} b "
        "WHERE b.person_id = p.id AND b.user_id = %s AND b.expires_at > %s))"
    )
    return " AND ".join(conditions)


def _access_params(user: User, scope: Scope, on: dt.date) -> list[Any]:
    """The parameters of ``_access_conditions(scope)`` for ``user`` on the day ``on``."""
    ops = connection.ops
    params: list[Any] = []
    if scope == Scope.INVOLVED:
        day = ops.adapt_datefield_value(on)
        params += [user.agency_id, day, day, user.agency_id]
    params += [user.pk, user.pk, ops.adapt_datetimefield_value(timezone.now())]
    return params


def _scope(user: User) -> Scope:
    scope = scope_for(user, RecordKind.PERSON, Action.READ)
    if scope == Scope.INVOLVED and user.agency_id is None:
        return Scope.NONE
    return scope


def readable_person(user: User, ref: str, *, on: dt.date) -> Person | None:
    """The person with this Tarian ID if the user may read their record, else None."""
    scope = _scope(user)
    if scope == Scope.NONE:
        return None
    params = _access_params(user, scope, on)

    def build() -> str:
        return (
            f"SELECT {', '.join(columns(Person, 'p'))} FROM {table(Person)} p "  # noqa: S608  # nosec B608
            f"WHERE p.ref = %s AND {_access_conditions(scope)}"
        )

    with connection.cursor() as cursor:
        cursor.execute(statement(("readable_person", scope), build), [ref, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    person = instance(Person, "p", row)
    assert isinstance(person, Person)
    return person


@dataclass(frozen=True)
class PersonRecordRow:
    """A person as the API's person read shows them: the record, other names (oldest kind
    first), current address, and involvements (current first, newest first; each with its
    agency, team and professional) — ``[]`` when the reader may not see involvements."""

    person: Person
    names: list[dict[str, Any]]
    address: dict[str, str] | None
    involvements: list[dict[str, Any]]


def person_record(
    user: User, ref: str, *, on: dt.date, with_involvements: bool
) -> PersonRecordRow | None:
    """The person with everything the API's person read shows, in one statement, if the user
    may read their record; else None."""
    scope = _scope(user)
    if scope == Scope.NONE:
        return None
    params = _access_params(user, scope, on)

    def build() -> str:
        return (
            f"SELECT {', '.join(columns(Person, 'p'))}, "  # noqa: S608  # nosec B608
            f"{_details_sql(with_involvements=with_involvements)} "
            f"FROM {table(Person)} p WHERE p.ref = %s AND {_access_conditions(scope)}"
        )

    # Built once per connection, and planned once on PostgreSQL: one text per scope and
    # involvement rule.
    with prepared_cursor() as cursor:
        cursor.execute(
            statement(("person_record", scope, with_involvements), build), [ref, *params]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(Person._meta.concrete_fields)
    person = instance(Person, "p", row[:width])
    assert isinstance(person, Person)
    names, address, involvements = (_from_json(value) for value in row[width:])
    names.sort(key=lambda n: (n["kind"], n["id"]))
    today = on.isoformat()
    for item in involvements:
        item["is_current"] = item["start_date"] <= today and (
            item["end_date"] is None or item["end_date"] >= today
        )
    involvements.sort(key=lambda i: (not i["is_current"], _descending(i["start_date"]), i["id"]))
    return PersonRecordRow(person, names, address, involvements)


def _descending(iso_date: str) -> int:
    return -dt.date.fromisoformat(iso_date).toordinal()


def _from_json(value: Any) -> Any:
    """A JSON column as Python (PostgreSQL's driver already decodes ``json``)."""
    return json.loads(value) if isinstance(value, str) else value


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
