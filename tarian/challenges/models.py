"""A professional challenge and its history (PC1; issue 21): who disagreed with which decision
and why, each tier it reached, each answer and how it ended. Nothing is deleted or overwritten:
"disagreements between professionals vanish" is the failure this record prevents (000 §5.4).

What it is about is named by a kind code and an id (``about_kind``, ``about_id``), not a
foreign key, so that any workflow's decision can be challenged and this app imports none of
them (decision 19). Each tier's clock is a ``tarian.deadlines`` row (subject kind
``challenge``), not a column here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency
from tarian.core.models import Recorded


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    RESPONDED = "responded", _("Responded")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Challenge(Recorded):
    """One professional's disagreement with one decision, at its current tier."""

    about_kind = models.CharField(max_length=32)
    about_id = models.CharField(max_length=64)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    raised_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    raised_at = models.DateTimeField()
    reason = models.TextField()
    tier = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=16, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    resolution = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="challenges_resolved",
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["about_kind", "about_id"], name="challenge_about"),
            models.Index(fields=["raised_by", "status"], name="challenge_raised_by"),
            models.Index(fields=["raised_by_agency", "status"], name="challenge_raised_by_agency"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(tier__gte=1), name="challenge_tier_from_1"),
            models.CheckConstraint(
                condition=Q(status__in=ChallengeStatus.values), name="challenge_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=ChallengeStatus.RESOLVED)
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="challenge_resolved_with_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"challenge {self.pk} about {self.about_kind}:{self.about_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ChallengeStatus.OPEN


class ChallengeStep(models.Model):
    """One thing that happened to a challenge, in order: raised, answered, escalated (by a
    person, or by the clock when ``by`` is empty), resolved or withdrawn."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    tier = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    by_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["challenge", "at"], name="challenge_step_order")]
        constraints = [
            models.CheckConstraint(condition=Q(tier__gte=1), name="challenge_step_tier_from_1"),
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="challenge_step_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at tier {self.tier}"

    @property
    def by_the_clock(self) -> bool:
        return self.by_id is None
