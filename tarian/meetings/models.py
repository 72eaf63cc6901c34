"""Meetings of every kind from the procedures pack (issue 21; SM1 to SM6, later CP1, CP5, AP2).

A meeting is about children (``children``) or a professional (``professional``), and names
where it came from (``origin_kind``, ``origin_id``: a referral, an enquiry, an allegation)
without a foreign key, so this app imports no workflow. Who is invited comes from the rule in
``services.propose_invitees``: each invitation keeps the reason the agency was proposed, and
an agency proposed but not invited keeps the reason it was excluded (SM1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency
from tarian.core.models import Recorded
from tarian.people.models import Person


class MeetingStatus(models.TextChoices):
    CONVENED = "convened", _("Convened")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(Recorded):
    # A code of the pack's ``meeting_kinds`` list.
    kind = models.CharField(max_length=40)
    children = models.ManyToManyField(Person, related_name="meetings", blank=True)
    professional = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT,
        related_name="professional_meetings",
    )
    origin_kind = models.CharField(max_length=32, blank=True)
    origin_id = models.CharField(max_length=64, blank=True)
    convening_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    convened_at = models.DateTimeField()
    # SM6: the chair, with the role and seniority they chair in.
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    chair_role = models.CharField(max_length=120)
    chair_seniority = models.CharField(max_length=120, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.CONVENED
    )
    cancelled_reason = models.TextField(blank=True)
    # SM2: the analysis of risk the agencies reached together.
    risk_analysis = models.TextField(blank=True)
    # The pack timescale by which it must be held (if any), started when it was convened.
    held_by_timescale = models.CharField(max_length=64, blank=True)
    decisions_circulated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-convened_at", "-pk"]
        indexes = [
            models.Index(fields=["origin_kind", "origin_id"], name="meeting_origin"),
            models.Index(fields=["convening_agency", "status"], name="meeting_convener"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.CANCELLED) | ~Q(cancelled_reason=""),
                name="meeting_cancelled_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD) | Q(held_at__isnull=False),
                name="meeting_held_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def reference(self) -> str:
        return f"M{self.pk:06d}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SENT_INFORMATION = "sent_information", _("Sent information instead")
    ATTENDED = "attended", _("Attended")
    EXCLUDED = "excluded", _("Not invited")


class Invitation(models.Model):
    """One agency's place at a meeting (SM1): why it was proposed, whether it was invited,
    and what it answered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Why the rule proposed it ("School for Cai Jones since September 2021"), or why the chair
    # added it, in the convener's language; and the same as parts each reader reads in their
    # own language (``tarian.meetings.reasons``). Rows written before the parts were kept
    # have none and show the text.
    reason = models.TextField()
    reason_parts = models.JSONField(default=list, blank=True)
    proposed = models.BooleanField(default=True)
    # Who at the agency is asked to attend, where somebody is named on an involvement.
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    # Why it declined, or why it was not invited (required for both).
    status_reason = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="invitation_one_per_agency"),
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "excluded"]) | ~Q(status_reason=""),
                name="invitation_declined_or_excluded_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="invitation_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} at {self.meeting_id}: {self.status}"

    @property
    def is_invited(self) -> bool:
        return self.status != InvitationStatus.EXCLUDED


class Audience(models.TextChoices):
    INVITED = "invited", _("Every invited agency")
    STATUTORY = "statutory", _("Children's services and the police only")


class Contribution(models.Model):
    """Information an agency shared with the meeting (SM2). Police intelligence and the like
    can be shared with the statutory agencies only: a school then does not see it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()
    text = models.TextField()
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.INVITED)

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agency_id} to {self.meeting_id}"


class MeetingDecision(models.Model):
    """A decision with its rationale (SM2): a code of the pack list the workflow names."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    list_name = models.CharField(max_length=40)
    code = models.CharField(max_length=40)
    child = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} at {self.meeting_id}"


class Dissent(models.Model):
    """An agency disagreed (SM2): which agency, who, with what and why — kept, never lost."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="dissents")
    decision = models.ForeignKey(
        MeetingDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="dissents"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.TextField(blank=True)
    reason = models.TextField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="dissent_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} dissents at {self.meeting_id}"


class Addendum(models.Model):
    """An agreement reached outside the meeting, recorded against it (SM5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    agreed_on = models.DateField()
    agreed_with = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"addendum to {self.meeting_id}"


class MinutesStatus(models.TextChoices):
    DRAFTED = "drafted", _("Draft")
    APPROVED = "approved", _("Approved by the chair")


class Minutes(Recorded):
    """The minutes (SM4): drafted (autosaved), approved by the chair, then circulated. Written
    in one language, with a translation into the other where one is made."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")
    translation = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFTED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="minutes_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"minutes of {self.meeting_id}"

    def text_for(self, language: str) -> tuple[str, str]:
        """The minutes in ``language`` where a translation exists, and the language given."""
        if language == self.language or not self.translation:
            return self.text, self.language
        return self.translation, ("cy" if self.language == "en" else "en")
