"""Starting, meeting and stopping statutory clocks (issue 21; FD4, FD5, QA1).

The service that starts a piece of work starts its clock here, inside its own transaction, so
that the work and its clock are saved together or not at all: these functions refuse to run
outside a transaction (``transaction.atomic``) rather than commit a clock on their own. The due
time, and when it becomes due soon, come from the procedures pack's timescale
(``procedures.clocks``), never from a number in code.

- ``start_clock`` writes one row; ``start_clocks`` one row per child (decision 16).
- ``meet_clock`` marks the subject's open clocks met; a met clock stays met (idempotent).
- ``stop_clock`` stops open clocks without meeting them, with a reason (a referral withdrawn).
A clock that starts again (a decision returned) is a new row; the earlier row keeps what
happened to it, so the board counts each run once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Q

from tarian.agencies.models import Agency, User
from tarian.deadlines.models import OPEN, Deadline
from tarian.people.models import Person
from tarian.procedures.clocks import LONDON, due_at, due_soon_at
from tarian.procedures.packs import current_pack


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of ``moment``'s month, London time (the board counts by London month)."""
    local = moment.astimezone(LONDON)
    return dt.date(local.year, local.month, 1)


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(
            "A clock is started, met or stopped inside the transaction of the work it times"
        )


def _subject(subject_kind: str, subject_id: object) -> tuple[str, str]:
    kind, key = str(subject_kind).strip(), str(subject_id).strip()
    if not kind or not key:
        raise ValueError("A clock needs a subject kind and a subject id")
    return kind, key


def start_clocks(
    *,
    timescale: str,
    subject_kind: str,
    subject_id: object,
    started_at: dt.datetime,
    people: Sequence[Person | None] = (None,),
    agency: Agency | None = None,
    owner: User | None = None,
    role: str = "",
) -> list[Deadline]:
    """Start ``timescale`` (a code of the current procedures pack) for a subject at
    ``started_at``: one row per child in ``people`` (``(None,)``: one row about no child).
    Who must act is ``owner``, else anyone with ``role`` at ``agency`` (``selectors``)."""
    _require_transaction()
    kind, key = _subject(subject_kind, subject_id)
    scale = current_pack().timescale(timescale)
    due, soon = due_at(scale, started_at), due_soon_at(scale, started_at)
    rows = [
        Deadline(
            timescale=scale.key, subject_kind=kind, subject_id=key, person=person,
            owner=owner, agency=agency, role=role, started_at=started_at,
            due_soon_at=min(soon, due), due_at=due, due_month=month_of(due),
        )
        for person in (people or (None,))
    ]
    return Deadline.objects.bulk_create(rows)


def start_clock(
    *,
    timescale: str,
    subject_kind: str,
    subject_id: object,
    started_at: dt.datetime,
    person: Person | None = None,
    agency: Agency | None = None,
    owner: User | None = None,
    role: str = "",
) -> Deadline:
    """Start one clock (see ``start_clocks``)."""
    return start_clocks(
        timescale=timescale, subject_kind=subject_kind, subject_id=subject_id,
        started_at=started_at, people=(person,), agency=agency, owner=owner, role=role,
    )[0]


def _open_rows(
    subject_kind: str,
    subject_id: object,
    timescales: Iterable[str] | None,
    people: Iterable[Person] | None = None,
) -> Q:
    kind, key = _subject(subject_kind, subject_id)
    where = OPEN & Q(subject_kind=kind, subject_id=key)
    if timescales is not None:
        where &= Q(timescale__in=list(timescales))
    if people is not None:
        where &= Q(person__in=list(people))
    return where


def meet_clock(
    *,
    subject_kind: str,
    subject_id: object,
    met_at: dt.datetime,
    timescales: Iterable[str] | None = None,
    people: Iterable[Person] | None = None,
) -> int:
    """The subject's open clocks (of ``timescales``, or all; of ``people``, or every child's)
    are met at ``met_at``; returns how many. A clock already met or stopped is left as it was,
    so meeting twice is harmless."""
    _require_transaction()
    return Deadline.objects.filter(
        _open_rows(subject_kind, subject_id, timescales, people)
    ).update(met_at=met_at)


def stop_clock(
    *,
    subject_kind: str,
    subject_id: object,
    stopped_at: dt.datetime,
    reason: str,
    timescales: Iterable[str] | None = None,
    people: Iterable[Person] | None = None,
) -> int:
    """The subject's open clocks stop without being met (the work ended another way), with a
    reason, which is required; returns how many stopped."""
    _require_transaction()
    if not reason or not reason.strip():
        raise ValueError("A clock is stopped with a reason")
    return Deadline.objects.filter(
        _open_rows(subject_kind, subject_id, timescales, people)
    ).update(
        stopped_at=stopped_at, stop_reason=reason.strip()
    )


def restart_clocks(
    *,
    timescale: str,
    subject_kind: str,
    subject_id: object,
    at: dt.datetime,
    reason: str,
    people: Sequence[Person | None] = (None,),
    agency: Agency | None = None,
    owner: User | None = None,
    role: str = "",
) -> list[Deadline]:
    """Stop the subject's open clocks with ``reason`` and start ``timescale`` afresh at
    ``at``: for work that starts over before it was done."""
    stop_clock(subject_kind=subject_kind, subject_id=subject_id, stopped_at=at, reason=reason)
    return start_clocks(
        timescale=timescale, subject_kind=subject_kind, subject_id=subject_id,
        started_at=at, people=people, agency=agency, owner=owner, role=role,
    )
