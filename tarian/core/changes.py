"""What changed between two versions of a record, in words a reader understands (IS3; #20 item
10: "the change history uses field labels and readable values and marks what changed").

A record's versions keep its values as stored: codes, ISO dates, true or false, lists. This
turns two of them into rows a person reads: each field by its label as its form says it, the
value before and after in the reader's language ("Welsh", "4 March 2016", "Not recorded" for a
blank), and whether it changed. It knows no workflow: the caller says which fields it shows, in
what order, with which labels and how each value reads (``Shown``). Values are made readable
when the rows are made, so they follow the language active then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Reads = Callable[[Any], str]


def is_blank(value: Any) -> bool:
    """Nothing recorded: no value, empty text, an empty list or mapping (``False`` is a value)."""
    return value is None or value == "" or value == [] or value == {}


def text(value: Any) -> str:
    return " ".join(str(value).split())


def date(value: Any) -> str:
    """An ISO date as a person writes it: "4 March 2016" ("4 Mawrth 2016" in Welsh)."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "j F Y")


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def choice(labels: Callable[[], Iterable[tuple[str, Any]]]) -> Reads:
    """A code read by its label; ``labels`` is asked each time, in the language active then. A
    code the list no longer has reads as itself."""

    def reads(value: Any) -> str:
        return str(dict(labels()).get(value, value))

    return reads


def each(reads: Reads) -> Reads:
    """A list of values, each read by ``reads``, joined by commas."""

    def reads_all(values: Any) -> str:
        items = values if isinstance(values, list | tuple) else [values]
        return ", ".join(reads(item) for item in items if not is_blank(item))

    return reads_all


def moment(value: dt.datetime) -> str:
    """When, in local time with the time of day: "4 March 2026 at 14:05"."""
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s") % {
        "date": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }


@dataclass(frozen=True)
class Shown:
    """How one field of a record reads: its label, and how a value of it reads. A ``noted``
    field says something about the one version that has it (a merge), so it is shown there and
    never compared with the version before."""

    label: str | Promise
    reads: Reads = text
    noted: bool = False


@dataclass(frozen=True)
class FieldChange:
    """One field of a version as a reader sees it. ``before`` is None where there is nothing to
    compare with (the record's first version, or a note); otherwise the field changed."""

    name: str
    label: str
    after: str
    before: str | None = None

    @property
    def is_changed(self) -> bool:
        return self.before is not None


def readable(value: Any, shown: Shown) -> str:
    """A stored value as the reader reads it; a blank is "Not recorded"."""
    if is_blank(value):
        return _("Not recorded")
    return shown.reads(value) or _("Not recorded")


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], fields: Mapping[str, Shown]
) -> list[FieldChange]:
    """The fields of ``after`` a reader is shown, in the order of ``fields``: with no version
    before, each field recorded (blanks left out); otherwise each field whose value differs,
    with what it was. Keys that ``fields`` does not name are not shown; a field one of the two
    versions did not keep is not compared (it did not change to or from blank)."""
    rows: list[FieldChange] = []
    for name, shown in fields.items():
        if name not in after:
            continue
        value = after[name]
        if shown.noted or before is None or name not in before:
            if not is_blank(value):
                rows.append(FieldChange(name, str(shown.label), readable(value, shown)))
            continue
        was = before.get(name)
        if _same(was, value):
            continue
        rows.append(
            FieldChange(name, str(shown.label), readable(value, shown), readable(was, shown))
        )
    return rows


def _same(was: Any, value: Any) -> bool:
    if is_blank(was) and is_blank(value):
        return True
    return bool(was == value)
