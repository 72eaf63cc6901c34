"""Sending notifications: a row per recipient now, the email after the transaction commits.

Each recipient reads a message in their own language (``User.reads_in``), not the language of
whoever's action sent it (VC2, #20 item 11): ``notify_each`` composes it once per language.
Email never carries personal data about children: only the subject line and a link back into
Tarian, where access rules apply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


def notify_each(
    recipients: Iterable[User],
    *,
    kind: str,
    message: Callable[[], tuple[str, str]],
    link: str = "",
) -> list[Notification]:
    """Notify each recipient in the language they read: ``message`` returns the subject and
    body, and is called once per language with that language active (so ``gettext``, the
    pack's words and agency names inside it come out in the reader's language)."""
    readers = [user for user in recipients if user.is_active]
    sent: list[Notification] = []
    for language in sorted({user.reads_in() for user in readers}):
        with translation.override(language):
            subject, body = message()
            sent += notify(
                [user for user in readers if user.reads_in() == language],
                kind=kind, subject=subject, body=body, link=link,
            )
    return sent


def _email(notification_ids: list[int]) -> None:
    base = getattr(settings, "TARIAN_BASE_URL", "").rstrip("/")
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not note.recipient.email:
            continue
        with translation.override(note.recipient.reads_in()):
            where = _("Sign in to Tarian to read it: %(link)s") % {
                "link": f"{base}{note.link or '/notifications'}",
            }
        message = f"{note.subject}\n\n{where}\n"
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
