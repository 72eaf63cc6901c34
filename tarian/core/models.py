"""Abstract base models: every record says who made it, who last changed it and its version.

The ``version`` is the optimistic-concurrency counter (IS3): a write names the version it read,
and a stale write is refused rather than silently overwriting someone else's change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Recorded(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
