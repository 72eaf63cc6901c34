"""A message to one user, shown on their notifications page and copied by email; and what was
circulated to many agencies, with a receipt per agency and person (SM4, issue 21)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency


class NotificationKind(models.TextChoices):
    BREAK_GLASS = "break_glass", _("Restricted record opened")
    RESTRICTION = "restriction", _("Record restricted")
    GENERAL = "general", _("Message")
    CIRCULATION = "circulation", _("Sent to you to acknowledge")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"


class Circulation(models.Model):
    """Something one workflow sent to many agencies at once: a strategy meeting's decisions,
    its minutes, an outline plan. Sending it again (an amended version) is a new row, so the
    history of what went to whom is kept. The title is in the sender's words and names no
    child (it is shown in lists and emailed subjects): "Minutes of strategy meeting SM-12"."""

    subject_kind = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    what = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["subject_kind", "subject_id"], name="circulation_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} {self.what}"


class Receipt(models.Model):
    """One agency's (and, when someone there is named, one person's) copy of a circulation:
    when it was sent, first opened and acknowledged. With no ``recipient`` it was sent to the
    agency as a whole, and any user of that agency opening or acknowledging it counts."""

    circulation = models.ForeignKey(
        Circulation, on_delete=models.CASCADE, related_name="receipts"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="receipts",
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="receipts"
    )
    sent_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["circulation", "agency", "recipient"],
                condition=Q(recipient__isnull=False),
                name="receipt_one_per_person",
            ),
            # NULLs are distinct in a plain unique constraint: one agency-level receipt each.
            models.UniqueConstraint(
                fields=["circulation", "agency"],
                condition=Q(recipient__isnull=True),
                name="receipt_one_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(opened_at__isnull=False),
                name="receipt_acknowledged_was_opened",
            ),
        ]
        indexes = [
            # A person's receipts still to acknowledge (the home page), and their agency's.
            models.Index(fields=["recipient", "acknowledged_at"], name="receipt_recipient"),
            models.Index(
                fields=["agency", "acknowledged_at"],
                condition=Q(recipient__isnull=True),
                name="receipt_agency_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circulation_id} → {self.agency_id}/{self.recipient_id or '*'}"
