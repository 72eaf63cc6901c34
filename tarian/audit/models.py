"""The access log and record versions.

``AccessEvent`` and ``RecordVersion`` are append-only (``APPEND_ONLY_MODELS``): the application
never updates or deletes a row. On PostgreSQL a trigger refuses UPDATE and DELETE outright
(migration 0002), and the role the application runs as may only read and insert them, so it
can neither truncate them nor disable or replace the trigger (docs/decisions/0009). Who did it
is kept as text as well as a key, so the log still reads true if a user or agency is later
renamed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    EXPORT = "export", _("Exported")
    REFUSED = "refused", _("Was refused")
    BREAK_GLASS = "break_glass", _("Opened a restricted record (break-glass)")
    RESTRICT = "restrict", _("Restricted the record")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    COMMAND = "command", _("Command")


class AccessEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        # ``access_user_at`` (user, then time) answers every look-up by user: a second index
        # on the user alone would only be one more write for every read audited (#17).
        db_index=False,
        related_name="+",
    )
    username = models.CharField(max_length=150)
    user_display = models.CharField(max_length=300)
    agency_slug = models.CharField(max_length=64, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    record_kind = models.CharField(max_length=32)
    record_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    route = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-at"], name="access_person_at"),
            models.Index(fields=["user", "-at"], name="access_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.record_kind}"


class RecordVersion(models.Model):
    """A snapshot of a record after each change, with who made it and why (IS3)."""

    record_kind = models.CharField(max_length=32)
    record_id = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    changed_by_display = models.CharField(max_length=300)
    agency_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["record_kind", "record_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_kind", "record_id", "version"], name="record_version_unique"
            )
        ]
        indexes = [models.Index(fields=["person_id", "-changed_at"], name="version_person_at")]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id} v{self.version}"


# Tables the application's database role may only read and insert into (docs/decisions/0009).
APPEND_ONLY_MODELS: tuple[type[models.Model], ...] = (AccessEvent, RecordVersion)
