"""Reading a user's notifications: only their own, the newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from tarian.agencies.models import User
from tarian.notifications.models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, the newest first (a page of them is shown at a time)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_of(user: User) -> QuerySet[Notification]:
    """The user's notifications they have not yet read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
