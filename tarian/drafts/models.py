"""A user's unsaved form, keyed by the form and the record it is about. Private to its author."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    data = models.JSONField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_unique_key")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
