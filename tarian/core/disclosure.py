"""What an app's subject access section is made of (IS4, PC2; issue 18, item 7).

Each app that holds something about a person has a ``disclosure.py`` that declares, with
:func:`disclosure_section`, what it holds (its part of ``record.json``, its tables in the PDF,
and what the README must say it withheld), and lists with :func:`not_disclosed` the models about
a person it deliberately leaves out. The ``disclosure`` app finds those modules by convention
and assembles the export from them (``tarian.disclosure.sections``); an app's section imports
only this module, so no app depends on the ``disclosure`` app above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone

WITHHELD = "[withheld: third party]"
WITHHELD_AGENCY = "withheld"
STAFF = "member of staff"

# The person an export is about (``tarian.people.models.Person``): a parameter, so that this
# module, below every app, imports none of them.
P = TypeVar("P")


@dataclass(frozen=True)
class Disclosure(Generic[P]):
    """What a section is given: the person, the moment the export shows (nothing later is in
    it), and who holds the whistle-blowing officer role."""

    person: P
    now: dt.datetime
    whistleblowing: frozenset[int]

    def agency(self, user_id: int | None, name: str) -> str:
        """The organisation of a member of staff, withheld for a whistle-blowing officer."""
        if user_id is None:
            return name or "Tarian (system)"
        return WITHHELD_AGENCY if user_id in self.whistleblowing else name


@dataclass(frozen=True)
class Table:
    """A table of the PDF: its heading, where its rows are in ``record.json`` (a list of
    objects; or with ``fields``, one object shown as detail and value), its columns (title,
    width, key of the row), and a paragraph under it (a path to a text), if any."""

    heading: str
    path: tuple[str, ...]
    columns: tuple[tuple[str, float, str], ...]
    note: tuple[str, ...] = ()
    fields: bool = False


Gather = Callable[[Disclosure[Any]], Any]


@dataclass(frozen=True)
class Section:
    key: str  # its part of record.json
    order: int  # where it comes in record.json and the PDF
    gather: Gather
    records: tuple[type[models.Model], ...]  # the models about a person it discloses
    tables: tuple[Table, ...]
    withheld: tuple[str, ...]  # README lines, "What was withheld, and why"
    before_release: tuple[str, ...]  # README lines, "Before release"


@dataclass(frozen=True)
class NotDisclosed:
    model: type[models.Model]
    reason: str


def disclosure_section(
    key: str,
    *,
    order: int,
    records: Sequence[type[models.Model]],
    tables: Sequence[Table] = (),
    withheld: Sequence[str] = (),
    before_release: Sequence[str] = (),
) -> Callable[[Gather], Section]:
    """Declare a function that returns, as plain data with other people withheld, what an app
    holds about ``Disclosure.person`` up to ``Disclosure.now``, from the models ``records``.

    The function becomes a :class:`Section` of its app's ``disclosure`` module, where the
    ``disclosure`` app finds it."""

    def decorator(gather: Gather) -> Section:
        return Section(
            key,
            order,
            gather,
            tuple(records),
            tuple(tables),
            tuple(withheld),
            tuple(before_release),
        )

    return decorator


def not_disclosed(model: type[models.Model], reason: str) -> NotDisclosed:
    """Say why a model that points at a person has no section of its own (its content is
    shown elsewhere, or it holds nothing about the person that the record does not); listed
    in its app's ``disclosure`` module as ``NOT_DISCLOSED``."""
    return NotDisclosed(model, reason)


def iso_moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def iso_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def choice_label(choices: type[models.TextChoices], code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code
