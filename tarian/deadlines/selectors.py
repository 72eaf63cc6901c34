"""Reading statutory clocks (issue 21; QA1): what a user must do next and the board's counts,
each one SQL statement over ``Deadline`` rows, found through an index, so that the cost does not
grow with the table, only with the rows returned (decision 16).

Whose a clock is (``responsible``): its ``owner``; or, while it has no owner, anyone holding its
``role`` at its ``agency`` — a row with a role and no agency is that role's anywhere in the
partnership (the Gateway's decisions), a row with an agency and no role is anyone's at the agency.

Status is worked out in SQL from the stored times: overdue when ``now`` is after ``due_at``, due
soon from ``due_soon_at`` (kept from the timescale's due-soon window when the clock started),
otherwise pending; the labels are ``procedures.clocks.ClockStatus``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils.translation import get_language

from tarian.agencies.models import User
from tarian.core.durations import duration_words
from tarian.deadlines.models import OPEN, Deadline
from tarian.deadlines.subjects import describe_subjects, subject_kind
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.procedures.clocks import ClockStatus
from tarian.procedures.packs import current_pack

# How far ahead the "due and overdue" list looks besides what is overdue or due soon.
DUE_WITHIN = dt.timedelta(days=1)
# The most rows a list shows (the most urgent first).
LIST_LIMIT = 50


def responsible(user: User) -> Q:
    """The clocks ``user`` must act on (see the module's docstring)."""
    roles = sorted(user.role_codes())
    by_role = Q(role__in=roles, agency__isnull=True)
    if user.agency_id is not None:
        by_role |= Q(role__in=[*roles, ""], agency_id=user.agency_id)
    unowned = Q(owner__isnull=True) & by_role
    return Q(owner=user) | unowned


def status_in_sql(now: dt.datetime) -> Case:
    """An open clock's status at ``now``, as a SQL expression."""
    return Case(
        When(due_at__lt=now, then=Value(ClockStatus.OVERDUE.value)),
        When(due_soon_at__lte=now, then=Value(ClockStatus.DUE_SOON.value)),
        default=Value(ClockStatus.PENDING.value),
        output_field=CharField(),
    )


def open_due(user: User, *, now: dt.datetime, within: dt.timedelta = DUE_WITHIN) -> QuerySet[
    Deadline
]:
    """The user's open clocks that are overdue or due soon at ``now``, or become due soon
    within ``within`` of it (which takes in all that fall due by then: a clock is due soon
    before it is due), most overdue first, each with its ``status`` computed by the database.
    One range of ``due_soon_at`` per owner, agency and role index."""
    return (
        Deadline.objects.filter(OPEN, responsible(user))
        .filter(due_soon_at__lte=now + within)
        .annotate(status=status_in_sql(now))
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class DueItem:
    """One line of a "due and overdue" list, already narrowed to what the reader may see."""

    deadline: Deadline
    status: str
    what: str
    link: str
    child: Person | None  # None: about no child, or a child the reader may not open
    child_hidden: bool
    remaining: dt.timedelta

    @property
    def status_label(self) -> str:
        return ClockStatus(self.status).label(get_language() or "en")

    @property
    def is_overdue(self) -> bool:
        return self.status == ClockStatus.OVERDUE

    @property
    def time_words(self) -> str:
        return duration_words(self.remaining)


def due_and_overdue(
    user: User, *, now: dt.datetime, within: dt.timedelta = DUE_WITHIN, limit: int = LIST_LIMIT
) -> list[DueItem]:
    """The home page's "due and overdue" list (issue 21): the user's open clocks, most overdue
    first. What each is about comes from its workflow (``subjects``); the child is named only
    if the reader may open their record (``people_for``), never otherwise. One statement for
    the clocks, one for the children, one per kind of subject."""
    rows = list(open_due(user, now=now, within=within)[:limit])
    person_ids = {row.person_id for row in rows if row.person_id is not None}
    visible = (
        {person.pk: person for person in people_for(user).filter(pk__in=person_ids)}
        if person_ids else {}
    )
    subjects = describe_subjects(user, ((row.subject_kind, row.subject_id) for row in rows))
    items = []
    for row in rows:
        kind = subject_kind(row.subject_kind)
        subject = subjects.get((row.subject_kind, row.subject_id))
        child = visible.get(row.person_id) if row.person_id is not None else None
        items.append(DueItem(
            deadline=row,
            status=row.status,  # type: ignore[attr-defined]
            what=subject.text if subject else (kind.label() if kind else row.subject_kind),
            link=subject.link if subject else "",
            child=child,
            child_hidden=row.person_id is not None and child is None,
            remaining=row.due_at - now,
        ))
    return items


@dataclass(frozen=True)
class MonthCount:
    """How a month's clocks (by due time) of one timescale went (QA1)."""

    month: dt.date
    timescale: str
    met_on_time: int
    met_late: int
    overdue: int
    pending: int
    stopped: int

    @property
    def total(self) -> int:
        return self.met_on_time + self.met_late + self.overdue + self.pending + self.stopped


def counts_by_month(
    *,
    since: dt.date,
    until: dt.date,
    now: dt.datetime,
    timescales: Iterable[str] | None = None,
) -> list[MonthCount]:
    """For the board (QA1): per London month of the due time and per timescale, how many
    clocks due in the months from ``since`` (inclusive) to ``until`` (exclusive; any day of a
    month means that month) were met on time, met late, are overdue and open, are open and not
    yet due at ``now``, or were stopped. One GROUP BY statement over a range of the
    ``(due_month, timescale)`` index."""
    rows = Deadline.objects.filter(
        due_month__gte=since.replace(day=1), due_month__lt=until.replace(day=1)
    )
    if timescales is not None:
        rows = rows.filter(timescale__in=list(timescales))
    open_ = Q(met_at__isnull=True, stopped_at__isnull=True)
    # Counting ``due_at`` (never null) rather than the key keeps every column the statement
    # reads in the index, so PostgreSQL answers from the index alone.
    grouped = (
        rows.values("due_month", "timescale")
        .annotate(
            met_on_time=Count("due_at", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
            met_late=Count("due_at", filter=Q(met_at__isnull=False, met_at__gt=F("due_at"))),
            overdue=Count("due_at", filter=open_ & Q(due_at__lt=now)),
            pending=Count("due_at", filter=open_ & Q(due_at__gte=now)),
            stopped=Count("due_at", filter=Q(met_at__isnull=True, stopped_at__isnull=False)),
        )
        .order_by("due_month", "timescale")
    )
    return [
        MonthCount(
            month=row["due_month"], timescale=row["timescale"],
            met_on_time=row["met_on_time"], met_late=row["met_late"],
            overdue=row["overdue"], pending=row["pending"], stopped=row["stopped"],
        )
        for row in grouped
    ]


@dataclass(frozen=True)
class SubjectClock:
    """One timescale of a subject as its page shows it (SM4: late circulation is visible on
    the meeting): its rows (one per child) taken together, the worst of them first."""

    timescale: str
    label: str
    due_at: dt.datetime
    met_at: dt.datetime | None
    status: str
    stopped: bool

    @property
    def status_label(self) -> str:
        return ClockStatus(self.status).label(get_language() or "en")

    @property
    def is_late(self) -> bool:
        return self.status in (ClockStatus.OVERDUE, ClockStatus.MET_LATE)


def clocks_of(subject_kind: str, subject_id: object, *, now: dt.datetime) -> list[SubjectClock]:
    """Every clock of one subject, by timescale, in the order they fall due: overdue while any
    child's row is open past its due time, met late when any was met after it, met when all
    were met in time; a clock stopped for every child says so. One statement."""
    rows = list(
        Deadline.objects.filter(subject_kind=subject_kind, subject_id=str(subject_id))
        .order_by("due_at", "pk")
    )
    pack = current_pack()
    language = get_language() or "en"
    grouped: dict[str, list[Deadline]] = {}
    for row in rows:
        grouped.setdefault(row.timescale, []).append(row)
    clocks = []
    for timescale, group in grouped.items():
        live = [row for row in group if row.stopped_at is None]
        due = min(row.due_at for row in group)
        if not live:
            status, met = ClockStatus.MET.value, None
        elif any(row.met_at is None and row.due_at < now for row in live):
            status, met = ClockStatus.OVERDUE.value, None
        elif any(row.met_at is None for row in live):
            soon = any(row.met_at is None and row.due_soon_at <= now for row in live)
            status = (ClockStatus.DUE_SOON if soon else ClockStatus.PENDING).value
            met = None
        else:
            met = max(row.met_at for row in live if row.met_at is not None)
            late = any(row.met_at is not None and row.met_at > row.due_at for row in live)
            status = (ClockStatus.MET_LATE if late else ClockStatus.MET).value
        try:
            label = pack.timescale(timescale).description(language)
        except KeyError:
            label = timescale
        clocks.append(SubjectClock(
            timescale=timescale, label=label, due_at=due, met_at=met, status=status,
            stopped=not live,
        ))
    return clocks
