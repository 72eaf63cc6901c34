"""A referral (a report under the duty to report), the Gateway's decision and its sign-off.

FD1: structured content, the voice of the child or why it is missing. FD3: police referrals can
wait for a supervisor. FD4: a decision with a rationale and a separate manager sign-off. FD5:
when the referrer (or, if their account is closed, their agency's safeguarding lead) was told.
FD7: the partnership's own threshold guide, its levels of need (``tarian.referrals.threshold``):
the procedures pack ships the default guide; once a system administrator saves the
partnership's guide, its levels are rows here, one set per pack.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency
from tarian.core.models import Recorded
from tarian.people.models import Person

# A crime, incident or notice reference: long enough for any force's format, short enough that
# a pasted paragraph is refused (#20 item 9).
POLICE_REFERENCE_LENGTH = 50


class ReferralStatus(models.TextChoices):
    AWAITING_SUPERVISOR = "awaiting_supervisor", _("Waiting for supervisor review")
    # FD3 (#20): the police supervisor sent it back to the officer with a comment.
    RETURNED_TO_REFERRER = "returned_to_referrer", _("Returned to the officer by their supervisor")
    AWAITING_DECISION = "awaiting_decision", _("Waiting for a Gateway decision")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("Decision waiting for manager sign-off")
    DECIDED = "decided", _("Decided and signed off")


class ParentalAwareness(models.TextChoices):
    AWARE = "aware", _("Parents or carers know about this referral")
    NOT_AWARE = "not_aware", _("Parents or carers do not know")
    NOT_TOLD_RISK = "not_told_risk", _("Not told: telling them could put the child at risk")


class Consent(models.TextChoices):
    GIVEN = "given", _("Consent given")
    REFUSED = "refused", _("Consent refused")
    NOT_SOUGHT = "not_sought", _("Not sought: the child may be at risk of significant harm")


class VoiceMethod(models.TextChoices):
    OWN_WORDS = "own_words", _("The child's own words")
    OBSERVATION = "observation", _("Observed behaviour")
    ADVOCATE = "advocate", _("Through an advocate")
    APP = "app", _("Through an app or drawing")
    OTHER = "other", _("Another way")
    # A partner system built before the method was asked for sends none (API contract, #20).
    NOT_STATED = "not_stated", _("Not stated")


class Referral(Recorded):
    ref = models.CharField(max_length=16, unique=True)
    children = models.ManyToManyField(Person, related_name="referrals")
    # FD1: the adults and others living with the child, when they are on Tarian; and anyone
    # else in the household, in words (names, how they are related, anything known of risk).
    household = models.ManyToManyField(Person, related_name="household_referrals", blank=True)
    household_notes = models.TextField(blank=True)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    concern = models.TextField()
    voice_of_child = models.TextField(blank=True)
    voice_method = models.CharField(max_length=16, choices=VoiceMethod.choices, blank=True)
    voice_language = models.CharField(max_length=16, blank=True)
    voice_of_child_absent_reason = models.TextField(blank=True)
    parental_awareness = models.CharField(max_length=16, choices=ParentalAwareness.choices)
    consent = models.CharField(max_length=16, choices=Consent.choices)
    strengths = models.TextField(blank=True)
    other_professionals = models.TextField(blank=True)
    priority = models.CharField(max_length=16)
    status = models.CharField(max_length=24, choices=ReferralStatus.choices)
    submitted_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField(null=True, blank=True)
    supervisor_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor_approved_at = models.DateTimeField(null=True, blank=True)
    # #20: when a police supervisor last returned it to the officer, and when the team manager
    # last returned its decision to the Gateway (the returned decision's clock starts then).
    supervisor_returned_at = models.DateTimeField(null=True, blank=True)
    decision_returned_at = models.DateTimeField(null=True, blank=True)
    # FD5: when someone was told the outcome (never set when nobody could be), and who:
    # [{"name": ..., "as": "referrer" | "safeguarding_lead"}].
    feedback_sent_at = models.DateTimeField(null=True, blank=True)

    # Set by ``selectors.withhold_restricted`` for one user (not a database field): the Tarian
    # ID of a restricted person the referral names whom that user may not open, else "".
    withheld_for: str = ""
    # Set there too (#20 item 8): the children the Gateway linked from a child the referrer
    # could not see, when this user is not to see them. None until worked out for a reader:
    # then ``shown_children`` hides every such child.
    hidden_children: frozenset[int] | None = None
    feedback_sent_to = models.JSONField(default=list, blank=True)

    # #20 item 9: what a police referrer adds (blank, or null, on any other agency's referral).
    # References are kept as the officer typed them; the incident type and risk level are
    # codes of the pack's ``police_incident_types`` and ``police_risk_levels``.
    crime_reference = models.CharField(max_length=POLICE_REFERENCE_LENGTH, blank=True)
    public_protection_notice_reference = models.CharField(
        max_length=POLICE_REFERENCE_LENGTH, blank=True
    )
    incident_type = models.CharField(max_length=32, blank=True)
    police_risk_level = models.CharField(max_length=16, blank=True)
    children_present = models.BooleanField(null=True, blank=True)
    children_seen = models.BooleanField(null=True, blank=True)
    # PP2: in domestic abuse, whether a protection notice (DVPN or DAPN) was considered, and
    # what came of it or why not.
    protection_notice_considered = models.BooleanField(null=True, blank=True)
    protection_notice_outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "decision_due_at"], name="referral_queue")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(voice_of_child="", voice_of_child_absent_reason=""),
                name="referral_has_voice_or_reason",
            )
        ]

    def __str__(self) -> str:
        return self.ref

    def shown_children(self) -> list[Person]:
        """The children this referral names, as the reader ``hidden_children`` was worked out
        for may see them (``referrals.unseen``); every linked child hidden until then."""
        hidden = self.hidden_children
        if hidden is None:
            hidden = frozenset(
                row.linked_id for row in self.unseen_children.all() if row.linked_id
            )
        return [child for child in self.children.all() if child.pk not in hidden]


class UnseenChildStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the Gateway to check")
    CONFIRMED = "confirmed", _("The Gateway confirmed the record")
    REJECTED = "rejected", _("The Gateway found it is not the same child")


class UnseenChild(models.Model):
    """A child the referrer could not see (#20 item 8, FD1, FD6, IS1): the matcher found a
    likely match on a record hidden from them, and they referred that child by its handle.
    ``person`` is the record the handle pointed to; the name and date of birth are what the
    referrer typed, kept as they said it. The Gateway confirms the record (it is added to the
    referral's children: ``linked``) or rejects it with a reason, perhaps linking the right
    record instead; nothing of the record is ever shown to the referrer's agency."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="unseen_children"
    )
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=UnseenChildStatus.choices, default=UnseenChildStatus.WAITING
    )
    linked = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["referral", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "position"], name="unseen_child_position"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="unseen_child_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(linked__isnull=False),
                name="unseen_child_confirmed_is_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: unseen child {self.position}"

    @property
    def described_as(self) -> str:
        """The child as the referrer described them."""
        return " ".join(p for p in [self.given_name, self.family_name] if p)


class DecisionMaker(models.TextChoices):
    GATEWAY = "gateway", _("Gateway")
    MANAGER = "manager", _("Team manager")


class GatewayDecision(models.Model):
    """The decision on a referral now (FD4). One per referral; its sign-off is its own record.

    A decision the team manager returns is decided again, and one the manager replaces with
    their own is recorded as the manager's (``made_as``): the row then holds the new decision,
    and each earlier one is kept in ``ReferralReview`` and the record's versions (#20)."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=32)
    rationale = models.TextField()
    # FD4: required for no further action on a high-priority referral; optional otherwise.
    risk_analysis = models.TextField(blank=True, default="")
    threshold_level = models.CharField(max_length=32, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    made_as = models.CharField(
        max_length=16, choices=DecisionMaker.choices, default=DecisionMaker.GATEWAY
    )
    # The how-manyth decision on the referral this is (its record version, IS3).
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.outcome}"


class DecisionSignOff(models.Model):
    decision = models.OneToOneField(
        GatewayDecision, on_delete=models.PROTECT, related_name="sign_off"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField()
    comment = models.TextField(blank=True)
    # FD5 (#20): the manager chose to tell the referrer their comment with the outcome.
    share_comment = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"sign-off of {self.decision_id}"


class ReviewAction(models.TextChoices):
    """What a reviewer did with a referral or its decision, other than approve or sign off."""

    RETURNED_TO_REFERRER = "returned_to_referrer", _("Returned to the officer")
    RESUBMITTED = "resubmitted", _("Sent to the supervisor again")
    DECISION_RETURNED = "decision_returned", _("Decision returned to the Gateway")
    DECISION_REPLACED = "decision_replaced", _("Decision replaced by the manager's own")


class ReferralReview(models.Model):
    """One step of a referral's review (FD3, FD4, #20), kept for its history: a police
    supervisor returning it to the officer with a comment and the officer sending it again, or
    the team manager returning the Gateway's decision with a reason or replacing it with their
    own. ``earlier_decision`` is the decision returned or replaced, as it was."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="reviews")
    action = models.CharField(max_length=24, choices=ReviewAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField()
    earlier_decision = models.JSONField(default=dict, blank=True)
    # The officer's changes when sending it again: {field: {"before": ..., "after": ...}}.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.action}"


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
        # The table was made when the guide lived in procedures/; keeping its name means the
        # move to the front door (issue 19) changed no data (state-only migrations).
        db_table = "procedures_thresholdlevel"
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
