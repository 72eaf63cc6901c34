"""Circulating something to many agencies and tracking its receipt (SM4, SM5; issue 21).

Built once for every workflow, which names itself by ``subject_kind`` and ``subject_id`` (this
app knows none of them): a strategy meeting circulates its decisions and minutes, a conference
its outline plan. Each recipient agency gets a receipt: one per person named there, or one for
the agency as a whole when nobody is, which any of its users may open and acknowledge. Named
people (and, for an agency-level receipt, the agency's active users) are notified in their own
language. The workflow checks who may circulate and meets its own deadline rows; the receipts
are the evidence that it was sent, opened and acknowledged (000 §3.10: minutes not circulated).

Services here are the workflow's to call inside its own transaction (``atomic`` nests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, User
from tarian.errors import NotFound, Refused
from tarian.notifications.models import Circulation, Notification, NotificationKind, Receipt
from tarian.notifications.services import notify_each

Recipients = Sequence[tuple[Agency, Sequence[User]]]


def receipts_of(user: User) -> Q:
    """The receipts ``user`` answers for: their own, and their agency's agency-level ones."""
    own = Q(recipient=user)
    if user.agency_id is None:
        return own
    return own | Q(recipient__isnull=True, agency_id=user.agency_id)


def circulate(
    user: User,
    *,
    subject_kind: str,
    subject_id: str,
    what: str,
    title: str,
    link: str,
    recipients: Recipients,
    message: Callable[[], tuple[str, str]],
    now: dt.datetime | None = None,
) -> Circulation:
    """Send ``title`` (at ``link``) to every agency in ``recipients``, each with the people
    named there: a receipt and a notification per named, active person; an agency with nobody
    named (or nobody active) gets one agency-level receipt and its active users are notified.
    ``message()`` gives the notification's subject and body, and is called with each reader's
    language active. Circulating the same subject and ``what`` again makes a new circulation."""
    title = title.strip()
    if not title:
        raise Refused("title", _("Say what is being sent"))
    if len(title) > 200:
        raise Refused("title", _("Keep the title to 200 characters or fewer"))
    if not link.startswith("/") or link.startswith("//"):
        raise Refused("link", _("Link to a page in Tarian"))
    per_agency: dict[int, tuple[Agency, dict[int, User]]] = {}
    for agency, people in recipients:
        _agency, named = per_agency.setdefault(agency.pk, (agency, {}))
        for person in people:
            if person.agency_id != agency.pk:
                raise Refused(
                    "recipients",
                    _("%(person)s does not work at %(agency)s")
                    % {
                        "person": person.get_full_name() or person.username,
                        "agency": agency.display_name(get_language() or "en"),
                    },
                )
            if person.is_active:
                named[person.pk] = person
    if not per_agency:
        raise Refused("recipients", _("Choose at least one agency to send it to"))
    now = now or timezone.now()
    with transaction.atomic():
        circulation = Circulation.objects.create(
            subject_kind=subject_kind, subject_id=subject_id, what=what, title=title,
            link=link, sent_by=user, sent_at=now,
        )
        whole_agencies = [pk for pk, (_a, named) in per_agency.items() if not named]
        readers = [person for _a, named in per_agency.values() for person in named.values()]
        if whole_agencies:
            readers += list(User.objects.filter(agency_id__in=whole_agencies, is_active=True))
        sent = notify_each(readers, kind=NotificationKind.CIRCULATION, message=message, link=link)
        note_of: dict[int, Notification] = {note.recipient_id: note for note in sent}
        Receipt.objects.bulk_create(
            [
                Receipt(
                    circulation=circulation, agency=agency, recipient=person,
                    notification=note_of.get(person.pk), sent_at=now,
                )
                for agency, named in per_agency.values()
                for person in named.values()
            ]
            + [
                Receipt(circulation=circulation, agency_id=pk, recipient=None, sent_at=now)
                for pk in whole_agencies
            ]
        )
    return circulation


def mark_opened(
    user: User, *, subject_kind: str, subject_id: str, now: dt.datetime | None = None
) -> int:
    """Note that ``user`` opened the subject: every receipt of it that is theirs (or their
    agency's as a whole) and not yet opened is opened now. One UPDATE, found through the
    subject's index; the workflow's page calls it on every read. Returns how many changed."""
    return (
        Receipt.objects.filter(
            receipts_of(user),
            circulation__subject_kind=subject_kind,
            circulation__subject_id=subject_id,
            opened_at__isnull=True,
        ).update(opened_at=now or timezone.now())
    )


def acknowledge(user: User, *, receipt_id: int, now: dt.datetime | None = None) -> Receipt:
    """``user`` acknowledges a receipt that is theirs (or their agency's as a whole), which
    also opens it; someone else's is not found. Acknowledging twice keeps the first time."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: two users of an agency acknowledging its receipt at once keep the first.
        receipt = (
            Receipt.objects.select_for_update(of=("self",))
            .filter(receipts_of(user), pk=receipt_id)
            .select_related("circulation")
            .first()
        )
        if receipt is None:
            raise NotFound(f"receipt {receipt_id}")
        if receipt.acknowledged_at is not None:
            return receipt
        receipt.acknowledged_at = now
        receipt.acknowledged_by = user
        receipt.opened_at = receipt.opened_at or now
        receipt.save(update_fields=["acknowledged_at", "acknowledged_by", "opened_at"])
        if receipt.notification_id is not None:
            Notification.objects.filter(
                pk=receipt.notification_id, read_at__isnull=True
            ).update(read_at=now)
    return receipt
