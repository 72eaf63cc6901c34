"""The partnership's own threshold guide: its levels of need (FD7).

The procedures pack ships a default guide (``[[lists.levels_of_need]]``). Once a system
administrator saves the partnership's guide, its levels are rows here, one set per pack, and
the pack's list is no longer used for that pack (``tarian.procedures.threshold``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ThresholdLevel(models.Model):
    """One level of need. Its ``code`` never changes: Gateway decisions store it.

    ``version`` is the version of the whole guide this row was last saved in; every save of the
    guide writes every level of the pack with the new version, so the guide's version is the
    version of any of its levels (IS3 optimistic concurrency). ``modified_by`` and
    ``modified_at`` say who last changed this level's content.
    """

    pack = models.CharField(max_length=32)
    code = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200)
    description_en = models.TextField(blank=True)
    description_cy = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    modified_at = models.DateTimeField()

    class Meta:
        ordering = ["pack", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "code"], name="threshold_level_unique_code"),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(title_en="") & ~Q(title_cy=""),
                name="threshold_level_code_and_titles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack}: {self.code}"
