"""An edit that meets a change saved since it began: resolved from the record as saved now,
field by field, never by applying stale values again (IS3; issue 18, item 10).

A form carries the values it was read with (``values_read``) beside the version. When its save
conflicts, each field is compared three ways, as values (a date typed "01/6/2015" is the date
shown "1 Jun 2015"): what the user read, what is saved now, what they typed.

- changed only in the saved record (typed = read): the saved value stays;
- changed only by the user (saved = read): their value is applied on top of what is saved;
- changed by both, to different values: their value is kept in the form, marked to check;
- what they read is unknown (a form from before this) and typed ≠ saved: the saved value
  stays, and what they typed is shown beside it.

The result starts the user's next attempt (``Resolution.merged``) and is the record as saved
now plus the user's own changes, so saving it loses nothing anyone saved.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from tarian.agencies.models import RecordKind, User
from tarian.audit.models import RecordVersion
from tarian.errors import Refused
from tarian.people.models import Person
from tarian.people.services import clean_person_fields, snapshot


class Outcome(StrEnum):
    SAVED = "saved"  # changed only in the saved record: kept as saved
    YOURS = "yours"  # changed only by the user: applied on top of what is saved
    SAME = "same"  # both made the same change
    BOTH = "both"  # both changed it, differently: the user's value, to check
    UNKNOWN = "unknown"  # what was read is not known: kept as saved, the user's beside it


@dataclass(frozen=True)
class FieldConflict:
    name: str
    read: Any  # None where what was read is not known
    saved: Any
    typed: Any
    outcome: Outcome


@dataclass(frozen=True)
class ChangeSince:
    """A version saved after the one the user read: who saved it, and when."""

    changed_by_id: int | None
    changed_by: str
    agency: str
    changed_at: dt.datetime
    by_the_user: bool


@dataclass(frozen=True)
class Resolution:
    person: Person
    fields: list[FieldConflict]  # every field that differs anywhere, in the form's order
    merged: dict[str, Any]  # what the next attempt starts from (comparable values)
    changes: list[ChangeSince]

    @property
    def only_by_the_user(self) -> bool:
        """Every change since was saved by the user themselves (another tab or window)."""
        return bool(self.changes) and all(c.by_the_user for c in self.changes)

    @property
    def to_check(self) -> list[FieldConflict]:
        return [f for f in self.fields if f.outcome in (Outcome.BOTH, Outcome.UNKNOWN)]


def comparable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the record stores them (spaces collapsed, NHS numbers and UPNs in one form,
    dates as ISO dates), so that two ways of showing one value compare equal. A value the
    service would refuse is kept as typed (it differs, and saving it will say why)."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        try:
            value = clean_person_fields({name: value}, partial=True).get(name, value)
        except Refused:
            value = " ".join(value.split()) if isinstance(value, str) else value
        result[name] = value.isoformat() if isinstance(value, dt.date) else value
    return result


def values_read(person: Person, names: list[str]) -> str:
    """The values of these fields as the user is shown them now, for the form to carry."""
    saved = snapshot(person)
    return json.dumps({name: saved.get(name) for name in names}, sort_keys=True)


def parse_read(raw: str, names: list[str]) -> dict[str, Any] | None:
    """What a form says it read: None unless it names every field with a plain value."""
    try:
        read = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(read, dict) or set(read) != set(names):
        return None
    if not all(v is None or isinstance(v, str | bool) for v in read.values()):
        return None
    return comparable(read)


def _outcome(read: Any, saved: Any, typed: Any, *, known: bool) -> Outcome | None:
    if not known:
        return None if typed == saved else Outcome.UNKNOWN
    if read == saved == typed:
        return None
    if typed == read:
        return Outcome.SAVED
    if saved == read:
        return Outcome.YOURS
    return Outcome.SAME if typed == saved else Outcome.BOTH


def changes_since(user: User, person: Person, version: int) -> list[ChangeSince]:
    """Who saved the record (its details or its restriction) after ``version``, oldest first;
    where no version was kept (a record loaded in bulk), who saved it last."""
    versions = RecordVersion.objects.filter(
        Q(record_kind=RecordKind.PERSON) | Q(record_kind=RecordKind.RESTRICTION),
        record_id=person.ref,
        version__gt=version,
    ).order_by("version", "pk")
    found = [
        ChangeSince(
            v.changed_by_id,
            v.changed_by_display,
            v.agency_name,
            v.changed_at,
            v.changed_by_id == user.pk,
        )
        for v in versions
    ]
    if found:
        return found
    who = person.modified_by
    if who is None:
        return []
    return [
        ChangeSince(
            person.modified_by_id,
            str(who),
            who.agency.name if who.agency else "",
            person.modified_at,
            person.modified_by_id == user.pk,
        )
    ]


def resolve_conflict(
    user: User,
    *,
    person: Person,
    version: int,
    read: dict[str, Any] | None,
    typed: dict[str, Any],
) -> Resolution:
    """Resolve a stale edit of ``person`` (as saved now, which the caller may show) from what
    the user read at ``version`` (None: unknown) and what they typed (the fields compared)."""
    saved = {name: value for name, value in snapshot(person).items() if name in typed}
    mine = comparable(typed)
    merged = dict(saved)
    fields = []
    for name in typed:
        was = read.get(name) if read is not None else None
        outcome = _outcome(was, saved.get(name), mine.get(name), known=read is not None)
        if outcome is None:
            continue
        fields.append(FieldConflict(name, was, saved.get(name), mine.get(name), outcome))
        if outcome in (Outcome.YOURS, Outcome.BOTH):
            merged[name] = mine.get(name)
    return Resolution(person, fields, merged, changes_since(user, person, version))
