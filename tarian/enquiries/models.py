"""A Section 47 enquiry (EQ1, EQ2): its type by the joint protocol and the chair's rationale,
each child seen (or why not), the analysis of risk and the outcome, and the strategy meeting
that reviews it (SM7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency
from tarian.core.models import Recorded
from tarian.meetings.models import Meeting
from tarian.people.models import Person


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONCLUDED = "concluded", _("Concluded")


class Enquiry(Recorded):
    children = models.ManyToManyField(Person, related_name="enquiries")
    strategy_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="enquiries"
    )
    # The category of concern (the pack's abuse categories), or blank: the protocol's
    # ``unspecified`` row then proposes the type.
    concern = models.CharField(max_length=32, blank=True)
    proposed_type = models.CharField(max_length=32)
    type = models.CharField(max_length=32)
    rationale = models.TextField()
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_enquiries"
    )
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    outcome = models.CharField(max_length=48, blank=True)
    analysis = models.TextField(blank=True)
    # Each child not seen, by Tarian ID, and why (EQ2: closing with a child not seen and no
    # reason is refused).
    not_seen_reasons = models.JSONField(default=dict, blank=True)
    conference_requested = models.BooleanField(default=False)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    review_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_enquiries"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="concluded") | (~Q(analysis="") & ~Q(outcome="")),
                name="enquiry_concluded_with_analysis_and_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"enquiry {self.pk}"

    @property
    def reference(self) -> str:
        return f"E{self.pk:06d}"


class ChildSeen(models.Model):
    """EQ2, VC1: the child seen: when, by whom, alone or not, and their views in their words
    and language."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="seen")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField()
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    seen_alone = models.BooleanField()
    views = models.TextField()
    voice_method = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=16, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at", "pk"]

    def __str__(self) -> str:
        return f"{self.child_id} seen {self.seen_at:%Y-%m-%d}"
