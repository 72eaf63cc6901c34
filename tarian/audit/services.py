"""Writing the audit log (IS4) and record versions (IS3). Nothing here ever updates a row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import Field
from django.utils import timezone

from tarian.agencies.models import User
from tarian.audit.context import current
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.core.rawsql import prepared_cursor, statement


def _who(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"user": None, "username": "system", "user_display": "Tarian (system)"}
    agency = user.agency
    return {
        "user": user,
        "username": user.username,
        "user_display": str(user),
        "agency_slug": agency.slug if agency else "",
        "agency_name": agency.name if agency else "",
    }


def record_access(
    user: User | None,
    *,
    action: str,
    record_kind: str,
    record_id: str | int = "",
    person_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    ctx = current()
    return AccessEvent.objects.create(
        at=timezone.now(),
        action=action,
        record_kind=record_kind,
        record_id=str(record_id),
        person_id=person_id,
        channel=ctx.channel,
        route=ctx.route,
        purpose=ctx.purpose,
        detail=detail or {},
        **_who(user),
    )


def record_accesses(
    user: User | None,
    *,
    action: str,
    record_kind: str,
    person_ids: Iterable[int],
    detail: dict[str, Any] | None = None,
    record_ids: Iterable[str] | None = None,
) -> int:
    """One event per person, written in one statement (a list or search result).

    ``record_ids``: the record each event is about, one per person (a referral naming them);
    by default the person's own id. A plain multi-row INSERT, each value converted by its own
    field as the ORM would: one statement is atomic on its own, so this costs one round trip
    where ``bulk_create`` took three (and it runs for every list, search and match)."""
    ids = list(person_ids)
    if not ids:
        return 0
    records = [str(pid) for pid in ids] if record_ids is None else list(record_ids)
    if len(records) != len(ids):
        raise ValueError("record_ids must name one record for each person")
    ctx = current()
    who = _who(user)
    user_obj = who.pop("user")
    shared = {
        "at": timezone.now(),
        "action": action,
        "record_kind": record_kind,
        "channel": ctx.channel,
        "route": ctx.route,
        "purpose": ctx.purpose,
        "detail": detail or {},
        "user_id": user_obj.pk if user_obj is not None else None,
        "agency_slug": "",
        "agency_name": "",
        **who,
    }
    prepared = [
        shared[name] if plain else field.get_db_prep_save(shared[name], connection)
        for name, field, plain in _access_plan()
    ]
    # Prepared once per connection on PostgreSQL (a record's read writes one row, every time).
    with prepared_cursor() as cursor:
        pairs = list(zip(records, ids, strict=True))
        for start in range(0, len(pairs), INSERT_ROWS):
            chunk = pairs[start : start + INSERT_ROWS]
            params: list[Any] = []
            for record_id, pid in chunk:
                params += [*prepared, record_id, pid]
            cursor.execute(_insert_sql(len(chunk)), params)
    return len(ids)


INSERT_ROWS = 500  # rows per statement: well inside SQLite's limit on parameters
# The columns ``record_accesses`` writes, in its statement's order (the last two per person).
ACCESS_COLUMNS = (
    "at", "action", "record_kind", "channel", "route", "purpose", "detail", "user_id",
    "agency_slug", "agency_name", "username", "user_display", "record_id", "person_id",
)  # fmt: skip


def _access_fields() -> list[Field[Any, Any]]:
    found: list[Field[Any, Any]] | None = globals().get("_ACCESS_FIELDS")
    if found is None:
        found = [_concrete(name) for name in ACCESS_COLUMNS]
        globals()["_ACCESS_FIELDS"] = found
    return found


def _access_plan() -> list[tuple[str, Field[Any, Any], bool]]:
    """Each shared column of ``record_accesses`` with its field, and whether its value goes to
    the database as it is (text, numbers and keys: the driver takes them; the time and the
    JSON detail are adapted by their fields)."""
    found: list[tuple[str, Field[Any, Any], bool]] | None = globals().get("_ACCESS_PLAN")
    if found is None:
        plain = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)
        found = [
            (name, field, isinstance(field, plain))
            for name, field in zip(ACCESS_COLUMNS[:-2], _access_fields()[:-2], strict=True)
        ]
        globals()["_ACCESS_PLAN"] = found
    return found


def _insert_sql(rows: int) -> str:
    """The INSERT of ``rows`` access events, its text built once per size and connection."""

    def build() -> str:
        quote = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(ACCESS_COLUMNS)) + ")"
        return (
            f"INSERT INTO {quote(AccessEvent._meta.db_table)} "  # noqa: S608  # nosec B608
            f"({', '.join(quote(f.column) for f in _access_fields())}) "
            f"VALUES {', '.join([row] * rows)}"
        )

    return statement(("access_events", rows), build)


def _concrete(name: str) -> Field[Any, Any]:
    field = AccessEvent._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"AccessEvent.{name} is not a column")
    return field


def record_version(
    user: User | None,
    *,
    record_kind: str,
    record_id: str | int,
    version: int,
    data: dict[str, Any],
    reason: str,
    person_id: int | None = None,
) -> RecordVersion:
    who = _who(user)
    return RecordVersion.objects.create(
        record_kind=record_kind,
        record_id=str(record_id),
        person_id=person_id,
        version=version,
        data=data,
        changed_at=timezone.now(),
        changed_by=user,
        changed_by_display=who["user_display"],
        agency_name=who.get("agency_name", ""),
        reason=reason,
    )
