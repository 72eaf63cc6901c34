"""Reading a user's notifications (only their own, the newest first), and what was circulated
about a subject with who has opened and acknowledged it (SM4, issue 21)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import get_language

from tarian.agencies.models import User
from tarian.notifications.circulation import receipts_of
from tarian.notifications.models import Circulation, Notification, Receipt


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, the newest first (a page of them is shown at a time); each
    with ``receipt_to_acknowledge``, the id of its receipt while that is not acknowledged (in
    the same statement)."""
    unacknowledged = Receipt.objects.filter(
        notification=OuterRef("pk"), acknowledged_at__isnull=True
    ).values("pk")[:1]
    return (
        Notification.objects.filter(recipient=user)
        .annotate(receipt_to_acknowledge=Subquery(unacknowledged))
        .order_by("-created_at", "-id")
    )


def unread_of(user: User) -> QuerySet[Notification]:
    """The user's notifications they have not yet read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


# --- Circulations and their receipts (SM4, issue 21) ---------------------------------------
#
# What was circulated about a subject holds no personal data about children (titles are in the
# sender's words), so these take no user: the workflow's page shows them to whoever may open
# the subject, after its own access check.


@dataclass(frozen=True)
class AgencyReceipt:
    """One agency's receipt of a circulation: its people's receipts taken together. Opened and
    acknowledged at the earliest time anyone there did; ``recipients`` names the people it was
    sent to (empty: the agency as a whole)."""

    agency_id: int
    agency_slug: str
    agency_name: str
    sent_at: dt.datetime
    opened_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class CirculationRow:
    """One circulation of a subject, with its receipts per agency (by agency name)."""

    id: int
    what: str
    title: str
    link: str
    sent_by: str
    sent_at: dt.datetime
    agencies: tuple[AgencyReceipt, ...]


@dataclass(frozen=True)
class ReceiptToAcknowledge:
    """A receipt the reader (or their agency as a whole) has still to acknowledge."""

    receipt_id: int
    title: str
    link: str
    sent_at: dt.datetime
    is_agency_level: bool


def _earliest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


def _per_agency(receipts: Iterable[Receipt], language: str) -> tuple[AgencyReceipt, ...]:
    grouped: dict[int, list[Receipt]] = {}
    for receipt in receipts:
        grouped.setdefault(receipt.agency_id, []).append(receipt)
    rows = [
        AgencyReceipt(
            agency_id=agency_id,
            agency_slug=group[0].agency.slug,
            agency_name=group[0].agency.display_name(language),
            sent_at=min(r.sent_at for r in group),
            opened_at=_earliest(r.opened_at for r in group),
            acknowledged_at=_earliest(r.acknowledged_at for r in group),
            recipients=tuple(
                r.recipient.get_full_name() or r.recipient.username
                for r in group
                if r.recipient is not None
            ),
        )
        for agency_id, group in grouped.items()
    ]
    return tuple(sorted(rows, key=lambda row: (row.agency_name.casefold(), row.agency_id)))


def circulation_for(
    subject_kind: str, subject_id: str, *, what: str | None = None
) -> list[CirculationRow]:
    """Every circulation of the subject (of one ``what``, if given), the newest first, each
    with its receipts per agency: two statements however many there are."""
    circulations = Circulation.objects.filter(
        subject_kind=subject_kind, subject_id=subject_id
    ).select_related("sent_by")
    if what is not None:
        circulations = circulations.filter(what=what)
    circulations = circulations.order_by("-sent_at", "-id").prefetch_related(
        Prefetch(
            "receipts",
            queryset=Receipt.objects.select_related("agency", "recipient").order_by("pk"),
        )
    )
    language = get_language() or "en"
    return [
        CirculationRow(
            id=c.pk,
            what=c.what,
            title=c.title,
            link=c.link,
            sent_by=c.sent_by.get_full_name() or c.sent_by.username,
            sent_at=c.sent_at,
            agencies=_per_agency(c.receipts.all(), language),
        )
        for c in circulations
    ]


def latest_receipts_by_agency(
    subject_kind: str, subject_id: str, what: str
) -> dict[int, AgencyReceipt]:
    """Per agency, its receipt of the latest circulation of ``what`` that went to it (an
    amended version sent to fewer agencies leaves the others' last receipt standing): one
    statement. For the API's ``circulation`` field (``[{"agency", "sent_at", "opened_at"}]``)."""
    return latest_receipts(subject_kind, subject_id, whats=(what,)).get(what, {})


def latest_receipts(
    subject_kind: str, subject_id: str, *, whats: Iterable[str]
) -> dict[str, dict[int, AgencyReceipt]]:
    """``latest_receipts_by_agency`` for several things circulated at once (a meeting's
    decisions, minutes and addenda), in one statement."""
    wanted = list(whats)
    receipts = (
        Receipt.objects.filter(
            circulation__subject_kind=subject_kind,
            circulation__subject_id=subject_id,
            circulation__what__in=wanted,
        )
        .select_related("agency", "recipient", "circulation")
        .order_by("-circulation__sent_at", "-circulation_id", "pk")
    )
    latest: dict[tuple[str, int], int] = {}
    chosen: dict[str, list[Receipt]] = {what: [] for what in wanted}
    for receipt in receipts:
        what = receipt.circulation.what
        circulation_id = latest.setdefault((what, receipt.agency_id), receipt.circulation_id)
        if circulation_id == receipt.circulation_id:
            chosen[what].append(receipt)
    language = get_language() or "en"
    return {
        what: {row.agency_id: row for row in _per_agency(rows, language)}
        for what, rows in chosen.items() if rows
    }


def my_receipts_to_acknowledge(user: User, limit: int = 20) -> list[ReceiptToAcknowledge]:
    """What was sent to ``user`` (or to their agency as a whole) that nobody has acknowledged
    yet, the newest first: one statement."""
    receipts = (
        Receipt.objects.filter(receipts_of(user), acknowledged_at__isnull=True)
        .select_related("circulation")
        .order_by("-sent_at", "-pk")[:limit]
    )
    return [
        ReceiptToAcknowledge(
            receipt_id=r.pk,
            title=r.circulation.title,
            link=r.circulation.link,
            sent_at=r.sent_at,
            is_agency_level=r.recipient_id is None,
        )
        for r in receipts
    ]
