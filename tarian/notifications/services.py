"""Sending notifications: a row per recipient now, the email after the transaction commits.

Email never carries personal data about children: only the subject line and a link back into
Tarian, where access rules apply.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tarian.agencies.models import User
from tarian.notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(
    recipients: Iterable[User], *, kind: str, subject: str, body: str, link: str = ""
) -> list[Notification]:
    now = timezone.now()
    unique = {user.pk: user for user in recipients if user.is_active}
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=kind, subject=subject[:200], body=body, link=link,
                created_at=now,
            )
            for user in unique.values()
        ]
    )
    ids = [row.pk for row in rows if row.pk is not None]
    transaction.on_commit(lambda: _email(ids))
    return rows


def _email(notification_ids: list[int]) -> None:
    base = getattr(settings, "TARIAN_BASE_URL", "").rstrip("/")
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not note.recipient.email:
            continue
        message = (
            f"{note.subject}\n\nSign in to Tarian to read it: "
            f"{base}{note.link or '/notifications'}\n"
        )
        try:
            send_mail(f"Tarian: {note.subject}", message, None, [note.recipient.email])
        except OSError:
            logger.warning("notification email failed", extra={"notification_id": note.pk})
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, notification_ids: Iterable[int]) -> int:
    return Notification.objects.filter(
        recipient=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())
