"""An initial child protection conference (CP1, VC1): the meeting it is held as, where it came
from, its due time, the written report asked of each invited agency, each child's voice and the
active offer of advocacy, the parents' part, the quorum, and the outcome for each child.

Invitations, attendance, decisions, dissent, minutes and circulation are the meeting's
(``tarian.meetings``); a conference keys on its meeting, so its id is the meeting's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency
from tarian.enquiries.models import Enquiry
from tarian.meetings.models import Meeting, MeetingDecision
from tarian.people.models import Person


class Conference(models.Model):
    meeting = models.OneToOneField(
        Meeting, primary_key=True, on_delete=models.CASCADE, related_name="conference"
    )
    enquiry = models.ForeignKey(
        Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    strategy_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the clock started (the last strategy discussion) and when it is due (the pack).
    clock_started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # CP1: held with fewer agencies than the pack's quorum only with the chair's reason.
    quorum = models.PositiveSmallIntegerField()
    inquorate_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-meeting_id"]

    def __str__(self) -> str:
        return f"conference {self.pk}"

    @property
    def reference(self) -> str:
        return f"C{self.pk:06d}"


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")


class ReportRequest(models.Model):
    """CP1: the written report asked of one invited agency, due by its own time, chased once
    when late, and whether it may be shared with the parents."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="report_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    text = models.TextField(blank=True)
    document = models.CharField(max_length=120, blank=True)
    shared_with_parents = models.BooleanField(default=False)
    received_at = models.DateTimeField(null=True, blank=True)
    received_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "agency"], name="report_one_per_agency"),
            models.CheckConstraint(
                condition=~Q(status="received")
                | (Q(received_at__isnull=False) & (~Q(text="") | ~Q(document=""))),
                name="report_received_has_text_or_document",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="report_open_due")]

    def __str__(self) -> str:
        return f"report of {self.agency_id} to {self.conference_id}"


class AdvocacyAnswer(models.TextChoices):
    NOT_YET = "", _("Not yet answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ConferenceChild(models.Model):
    """VC1, CP1: each child's voice at the conference and the active offer of advocacy."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    advocacy_offered_at = models.DateTimeField(null=True, blank=True)
    advocacy_answer = models.CharField(
        max_length=16, choices=AdvocacyAnswer.choices, blank=True, default=""
    )
    advocate = models.CharField(max_length=200, blank=True)
    voice = models.TextField(blank=True)
    voice_method = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=16, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "child"], name="conference_child_once"),
            models.CheckConstraint(
                condition=Q(advocacy_answer="") | Q(advocacy_offered_at__isnull=False),
                name="advocacy_answered_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} at {self.conference_id}"


class ParentParticipation(models.Model):
    """CP1: a parent or carer: invited, attended, and the support offered to take part."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=120, blank=True)
    invited = models.BooleanField(default=True)
    attended = models.BooleanField(default=False)
    support_offered = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"parent at {self.conference_id}"


class ConferenceOutcome(models.Model):
    """CP1: for one child, register or not, the category and the key worker when registering;
    the rationale is the meeting's decision (``decision``), which dissent can name."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="outcomes")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    register = models.BooleanField()
    category = models.CharField(max_length=32, blank=True)
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.OneToOneField(
        MeetingDecision, on_delete=models.PROTECT, related_name="conference_outcome"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "child"], name="outcome_once_per_child"),
            models.CheckConstraint(
                condition=Q(register=False)
                | (~Q(category="") & Q(key_worker__isnull=False)),
                name="registered_with_category_and_key_worker",
            ),
        ]

    def __str__(self) -> str:
        return f"outcome for {self.child_id} at {self.conference_id}"
