"""The front door's API serializers (API contract: "Resources the front door needs"): what a
request may carry, checked for shape only (the rules are the services'), and how a referral,
its decision, its reviews and a queue item are shown."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tarian.api.fields import Choice
from tarian.people import vocabulary
from tarian.procedures.clocks import Clock, ClockStatus
from tarian.procedures.packs import current_pack
from tarian.referrals import police, selectors
from tarian.referrals.models import (
    POLICE_REFERENCE_LENGTH,
    Consent,
    DecisionMaker,
    ParentalAwareness,
    Referral,
    ReferralStatus,
    ReviewAction,
    UnseenChildStatus,
    VoiceMethod,
)
from tarian.referrals.threshold import threshold_codes
from tarian.referrals.unseen import UnseenRow


def _priorities() -> list[tuple[str, str]]:
    return current_pack().choices("referrer_priorities")


def _incident_types() -> list[tuple[str, str]]:
    return current_pack().choices("police_incident_types")


def _risk_levels() -> list[tuple[str, str]]:
    return current_pack().choices("police_risk_levels")


def _outcomes() -> list[tuple[str, str]]:
    return current_pack().choices("gateway_outcomes")


def _languages() -> list[tuple[str, str]]:
    return vocabulary.choices("language")


CLOCK_STATUSES = [str(s) for s in ClockStatus]


class UnseenChildInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A child the referrer could not see (#20 item 8): shape only; ``referrals.unseen``
    checks the handle."""

    handle = serializers.CharField(max_length=200)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class UnseenChildSerializer(serializers.Serializer[Any]):
    """A child the referrer could not see, as the caller may read it: the referrer's agency
    reads only what the referrer typed (the rest null)."""

    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    id = serializers.IntegerField(allow_null=True, help_text="For the Gateway: the row to "
                                  "confirm or reject; null for the referrer's agency")
    status = Choice(UnseenChildStatus.choices, allow_null=True, enum_name="UnseenChildEnum",
                    help_text="For the Gateway; null for the referrer's agency")
    record = serializers.CharField(allow_null=True, help_text="For the Gateway: the Tarian "
                                   "ID the handle pointed to; null for the referrer's agency")
    linked = serializers.CharField(allow_null=True, help_text="For the Gateway: the Tarian ID "
                                   "added to the referral's children, if any")
    reason = serializers.CharField(allow_null=True, help_text="For the Gateway: why the "
                                   "record was rejected")


def _unseen_data(rows: list[UnseenRow]) -> list[dict[str, Any]]:
    return [
        {
            "given_name": row.given_name, "family_name": row.family_name,
            "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
            "id": row.id if row.record is not None else None,
            "status": row.status or None,
            "record": row.record.ref if row.record is not None else None,
            "linked": row.linked.ref if row.linked is not None else None,
            "reason": row.reason if row.record is not None else None,
        }
        for row in rows
    ]


class ReferralInputSerializer(serializers.Serializer[dict[str, Any]]):
    """The API contract's fields are required as it says; every field added since is optional,
    so that a partner system built to the contract keeps working (#20)."""

    children = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False,
        help_text="Tarian IDs of the children the referral is about: at least one, unless "
        "unseen_children names one",
    )
    unseen_children = UnseenChildInputSerializer(
        many=True, required=False,
        help_text="#20 item 8: children you could not see. Each: a handle from "
        "GET /api/v1/people/match's hidden_match_handles, and the child's name (and date of "
        "birth) as you know them. The Gateway checks the record; you are never told it. A "
        "handle that was changed, expired or made for someone else is refused (400, naming "
        "unseen_children[i].handle)",
    )
    concern = serializers.CharField()
    voice_of_child = serializers.CharField(required=False, allow_blank=True)
    voice_method = Choice(
        VoiceMethod.choices, required=False, allow_blank=True,
        help_text="How the child's voice was captured (VC1). Optional: left out or blank, "
        "with the child's voice given, it is recorded as not_stated",
    )
    voice_language = Choice(_languages, required=False, allow_blank=True,
                            enum_name="LanguageEnum",
                            help_text="The language the child spoke (ISO 639-1)")
    voice_of_child_absent_reason = serializers.CharField(required=False, allow_blank=True)
    parental_awareness = Choice(ParentalAwareness.choices)
    consent = Choice(Consent.choices)
    strengths = serializers.CharField(required=False, allow_blank=True)
    other_professionals = serializers.CharField(required=False, allow_blank=True)
    household = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False,
        help_text="Tarian IDs of adults and others living with the children",
    )
    household_notes = serializers.CharField(required=False, allow_blank=True)
    priority = Choice(_priorities, help_text="The referrer's priority, from the procedures pack")
    # #20 item 9: police facts. Optional by API (the contract accepts a police referral without
    # them; the Gateway sees what is missing); refused from a referrer who is not the police's.
    crime_reference = serializers.CharField(
        required=False, allow_blank=True,
        help_text=f"Police only: the crime or incident reference, as on the force's system "
        f"(at most {POLICE_REFERENCE_LENGTH} characters)",
    )
    public_protection_notice_reference = serializers.CharField(
        required=False, allow_blank=True,
        help_text=f"Police only: the public protection notice (PPN) reference (at most "
        f"{POLICE_REFERENCE_LENGTH} characters)",
    )
    incident_type = Choice(
        _incident_types, required=False, allow_blank=True,
        enum_name="PoliceIncidentTypeEnum",
        help_text="Police only: the type of incident, from the procedures pack's "
        "police_incident_types",
    )
    police_risk_level = Choice(
        _risk_levels, required=False, allow_blank=True,
        enum_name="PoliceRiskLevelEnum",
        help_text="Police only: the officer's risk assessment, from the procedures pack's "
        "police_risk_levels (DASH levels in domestic abuse)",
    )
    children_present = serializers.BooleanField(
        required=False, help_text="Police only: were children present?"
    )
    children_seen = serializers.BooleanField(
        required=False,
        help_text="Police only: did officers see the children (when they were present)?",
    )
    protection_notice_considered = serializers.BooleanField(
        required=False,
        help_text="Police only, domestic abuse (PP2): was a protection notice (DVPN or DAPN) "
        "considered?",
    )
    protection_notice_outcome = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Police only, domestic abuse (PP2): what came of it, or why a notice was "
        "not considered",
    )


THRESHOLD_LEVEL_HELP = (
    "The level of need (FD7): a code of the partnership's threshold guide in use, which a "
    "system administrator may change at any time (the procedures pack's levels_of_need until "
    "the partnership saves its own). Blank for none. A code not in use is refused, naming the "
    "codes that are"
)


class DecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    outcome = Choice(_outcomes, help_text="The Gateway's decision, from the procedures pack")
    rationale = serializers.CharField(allow_blank=True)
    risk_analysis = serializers.CharField(
        required=False, allow_blank=True,
        help_text="FD4: the risks to the child, what protects them and why that is safe. "
        "Required when the outcome is no_further_action and the referral's priority is high; "
        "checked like the rationale whenever it is sent",
    )
    threshold_level = Choice(
        threshold_codes, listed=False, required=False, allow_blank=True,
        help_text=THRESHOLD_LEVEL_HELP,
    )
    version = serializers.IntegerField(required=False, min_value=1)


class SignOffInputSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


REVIEW_ACTIONS = [("sign_off", "sign_off"), ("return", "return"), ("decide", "decide")]


class ReviewInputSerializer(SignOffInputSerializer):
    """The team manager's review of the Gateway's decision (FD4, #20). Without ``action`` it
    signs off, as before."""

    action = Choice(
        REVIEW_ACTIONS, required=False, enum_name="DecisionReviewActionEnum",
        help_text="sign_off (the default): sign the decision off and tell the referrer; "
        "return: send it back to the Gateway worker with a reason (reason required), to decide "
        "again within the pack's gateway_decision_returned timescale; decide: record the "
        "manager's own decision in place of the worker's (outcome and rationale required, "
        "checked as every decision is), signed off by the manager, and tell the referrer",
    )
    share_comment = serializers.BooleanField(
        required=False, default=False,
        help_text="Tell the referrer the comment with the outcome (sign_off, decide)",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True,
        help_text="return: what the Gateway worker should look at again, and why",
    )
    outcome = Choice(_outcomes, required=False, help_text="decide: the manager's decision")
    rationale = serializers.CharField(required=False, allow_blank=True)
    risk_analysis = serializers.CharField(required=False, allow_blank=True)
    threshold_level = Choice(
        threshold_codes, listed=False, required=False, allow_blank=True,
        help_text=THRESHOLD_LEVEL_HELP,
    )


APPROVAL_ACTIONS = [("approve", "approve"), ("return", "return")]


class ApprovalInputSerializer(SignOffInputSerializer):
    """A police supervisor's review (FD3, #20). Without ``action`` it approves, as before."""

    action = Choice(
        APPROVAL_ACTIONS, required=False, enum_name="ApprovalActionEnum",
        help_text="approve (the default): send the referral on to the Gateway; return: send it "
        "back to the officer with a comment (comment required)",
    )


class UnseenLinkInputSerializer(serializers.Serializer[dict[str, Any]]):
    """The Gateway's answer on a child the referrer could not see (#20 item 8)."""

    action = Choice([("confirm", "confirm"), ("reject", "reject")],
                    enum_name="UnseenLinkActionEnum",
                    help_text="confirm: the record is the child (added to the referral's "
                    "children); reject: it is not (reason required)")
    reason = serializers.CharField(required=False, allow_blank=True,
                                   help_text="reject: why the record is not this child")
    child = serializers.CharField(required=False, allow_blank=True, max_length=16,
                                  help_text="reject: the Tarian ID of the right record, to "
                                  "link instead (optional)")
    version = serializers.IntegerField(required=False, min_value=1)


class ResubmitInputSerializer(ReferralInputSerializer):
    """The answer, and (#20 item 2) any of the referral's content the officer changes: each
    field as when referring, all optional; a field left out stays as it is. Who the referral is
    about (``children``, ``household``) does not change here."""

    children = None  # type: ignore[assignment]
    household = None  # type: ignore[assignment]
    unseen_children = None  # type: ignore[assignment]
    answer = serializers.CharField(
        allow_blank=True,
        help_text="The officer's answer to the supervisor's comment: what was added or changed",
    )
    version = serializers.IntegerField(required=False, min_value=1)
    concern = serializers.CharField(required=False)
    parental_awareness = Choice(ParentalAwareness.choices, required=False)
    consent = Choice(Consent.choices, required=False)
    priority = Choice(_priorities, required=False,
                      help_text="The referrer's priority, from the procedures pack")


class ReviewStepSerializer(serializers.Serializer[Any]):
    action = Choice(ReviewAction.choices, enum_name="ReviewStepActionEnum")
    by = serializers.CharField(help_text="Who took the step")
    at = serializers.DateTimeField()
    to = serializers.CharField(allow_null=True, help_text="Whom it went back to, if anyone")
    reason = serializers.CharField(help_text="The reason, comment or answer given")
    earlier_outcome = serializers.CharField(
        allow_blank=True, source="earlier_decision.outcome", default="",
        help_text="The outcome of the decision returned or replaced (blank for police steps)",
    )
    changes = serializers.DictField(
        child=serializers.DictField(), read_only=True,
        help_text="What the officer changed when sending it again (#20 item 2): each field "
        "changed, with its value before and after (`{\"concern\": {\"before\": ..., "
        "\"after\": ...}}`); empty for other steps",
    )


class DecisionSerializer(serializers.Serializer[Any]):
    outcome = Choice(_outcomes)
    rationale = serializers.CharField()
    risk_analysis = serializers.CharField()
    threshold_level = Choice(threshold_codes, listed=False, allow_blank=True,
                             help_text=THRESHOLD_LEVEL_HELP)
    decided_at = serializers.DateTimeField()
    signed_off_at = serializers.DateTimeField(
        source="sign_off.signed_off_at", default=None, allow_null=True
    )
    made_as = Choice(
        DecisionMaker.choices, enum_name="DecisionMakerEnum",
        help_text="gateway, or manager when the team manager recorded their own decision in "
        "place of the Gateway worker's (#20)",
    )
    decided_by = serializers.CharField(help_text="Who made the decision")
    signed_off_by = serializers.CharField(
        source="sign_off.signed_off_by", default=None, allow_null=True
    )


class OutOfHoursCoverSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The emergency duty team, in English")
    name_cy = serializers.CharField(help_text="Its name in Welsh")
    phone = serializers.CharField(help_text="Its phone number (empty when not configured)")


class ReferralSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(source="ref")
    status = Choice(ReferralStatus.choices, enum_name="ReferralStatusEnum")
    children = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    unseen_children = serializers.SerializerMethodField(
        help_text="#20 item 8: the children the referrer could not see, as described; the "
        "Gateway also reads the record each points to and what it decided"
    )
    household_notes = serializers.CharField()
    referrer_agency = serializers.CharField(source="referrer_agency.slug")
    priority = Choice(_priorities)
    concern = serializers.CharField()
    voice_of_child = serializers.CharField()
    voice_method = Choice(
        VoiceMethod.choices, allow_blank=True,
        help_text="How the child's voice was captured; blank when it was not recorded",
    )
    voice_language = Choice(_languages, allow_blank=True, enum_name="LanguageEnum")
    voice_of_child_absent_reason = serializers.CharField()
    # Blank while withheld (``withheld``).
    parental_awareness = Choice(ParentalAwareness.choices, allow_blank=True)
    consent = Choice(Consent.choices, allow_blank=True)
    strengths = serializers.CharField()
    # #20 item 9: blank (or null) on a referral a police officer did not make.
    crime_reference = serializers.CharField()
    public_protection_notice_reference = serializers.CharField()
    incident_type = Choice(_incident_types, allow_blank=True, enum_name="PoliceIncidentTypeEnum")
    police_risk_level = Choice(_risk_levels, allow_blank=True, enum_name="PoliceRiskLevelEnum")
    children_present = serializers.BooleanField(allow_null=True)
    children_seen = serializers.BooleanField(allow_null=True)
    protection_notice_considered = serializers.BooleanField(allow_null=True)
    protection_notice_outcome = serializers.CharField()
    police_facts_missing = serializers.SerializerMethodField(
        help_text="The police facts a police referral should carry and does not (sent by a "
        "partner system that left them out): crime_reference (neither reference given), "
        "incident_type, police_risk_level, children_present, children_seen, "
        "protection_notice_considered, protection_notice_outcome. Empty for other referrals"
    )
    submitted_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    decision_due_at = serializers.DateTimeField(
        allow_null=True,
        help_text="FD4: when the Gateway must decide: the pack's timescale for the referrer's "
        "priority, from receipt (high is counted in hours, through nights, weekends and bank "
        "holidays; the others in working days); null while a police supervisor has it",
    )
    decision_status = serializers.SerializerMethodField(
        help_text="Where the decision clock stands: pending, due_soon, overdue, met or "
        "met_late; null while a police supervisor has the referral"
    )
    out_of_hours_cover = serializers.SerializerMethodField(
        help_text="Who covers a referral the Gateway received out of office hours: the "
        "partnership's emergency duty team (name, phone); null in office hours"
    )
    decision = serializers.SerializerMethodField()
    supervisor_approved_by = serializers.CharField(
        allow_null=True, help_text="FD3: the police supervisor who sent the referral on"
    )
    supervisor_approved_at = serializers.DateTimeField(allow_null=True)
    manager_comment = serializers.SerializerMethodField(
        help_text="The team manager's sign-off comment: for the referrer's agency only when "
        "the manager chose to tell the referrer; null when there is none to show"
    )
    reviews = serializers.SerializerMethodField(
        help_text="#20: the review steps the caller may read, oldest first (returns with "
        "their reasons, the officer's answers, a decision the manager replaced); on one "
        "referral only, null in lists"
    )
    feedback_sent_at = serializers.DateTimeField(allow_null=True)
    feedback_due_at = serializers.SerializerMethodField(
        help_text="FD5: when the referrer must have been told the outcome (the pack's "
        "feedback timescale from the Gateway decision); null before a decision"
    )
    feedback_status = serializers.SerializerMethodField(
        help_text="Where that clock stands: pending, due_soon, overdue, met or met_late; "
        "null before a decision. It stays open, and goes overdue, while nobody has been told"
    )
    version = serializers.IntegerField()
    withheld = serializers.SerializerMethodField(
        help_text="True when the referral names a restricted person you may not open: its "
        "content (concern, the child's voice, strengths, household notes, the decision's "
        "rationale and risk analysis) is left out until you open that person's record with "
        "break-glass (IS1)"
    )

    # What a referral says about the people it names, left out while one of them is withheld.
    WITHHELD_TEXT = (
        "household_notes",
        "concern",
        "voice_of_child",
        "voice_method",
        "voice_language",
        "voice_of_child_absent_reason",
        "parental_awareness",
        "consent",
        "strengths",
    )
    WITHHELD_POLICE_FACTS = (
        "crime_reference",
        "public_protection_notice_reference",
        "incident_type",
        "police_risk_level",
        "children_present",
        "children_seen",
        "protection_notice_considered",
        "protection_notice_outcome",
    )

    def to_representation(self, instance: Referral) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        if instance.withheld_for:
            for name in self.WITHHELD_TEXT:
                data[name] = ""
            # A police referral's facts say what happened to whom (#20 item 9).
            for name in self.WITHHELD_POLICE_FACTS:
                data[name] = None if name in police.ANSWERS else ""
            data["police_facts_missing"] = []
            if data.get("decision"):
                data["decision"] = {**data["decision"], "rationale": "", "risk_analysis": ""}
            data["manager_comment"] = None
            if data.get("reviews"):
                data["reviews"] = [{**step, "reason": ""} for step in data["reviews"]]
        return data

    def get_police_facts_missing(self, obj: Referral) -> list[str]:
        return police.missing_facts(obj)

    def _page(self, obj: Referral) -> selectors.ReferralPage | None:
        page: selectors.ReferralPage | None = self.context.get("page")
        return page if page is not None and page.referral is obj else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_manager_comment(self, obj: Referral) -> str | None:
        page = self._page(obj)
        if page is None or not page.shows_manager_comment or page.decision is None:
            return None
        return str(page.decision.sign_off.comment)

    @extend_schema_field(ReviewStepSerializer(many=True, allow_null=True))
    def get_reviews(self, obj: Referral) -> list[dict[str, Any]] | None:
        page = self._page(obj)
        if page is None:
            return None
        return [dict(step) for step in ReviewStepSerializer(page.reviews, many=True).data]

    @extend_schema_field(UnseenChildSerializer(many=True))
    def get_unseen_children(self, obj: Referral) -> list[dict[str, Any]]:
        if obj.withheld_for:
            return []
        page = self._page(obj)
        if page is not None:
            return _unseen_data(page.unseen)
        # In lists and the referrer's own answer: only what the referrer typed.
        return [
            {"given_name": row.given_name, "family_name": row.family_name,
             "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
             "id": None, "status": None, "record": None, "linked": None, "reason": None}
            for row in obj.unseen_children.all()
        ]

    def get_withheld(self, obj: Referral) -> bool:
        return bool(obj.withheld_for)

    def get_children(self, obj: Referral) -> list[str]:
        # Never a child linked from one the reader's agency could not see (#20 item 8).
        return sorted(p.ref for p in obj.shown_children())

    def get_household(self, obj: Referral) -> list[str]:
        return sorted(p.ref for p in obj.household.all())

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj: Referral) -> dict[str, Any] | None:
        # A decision the team manager returned is not the decision until the Gateway decides
        # again: it is among the review steps (#20).
        if obj.status == ReferralStatus.AWAITING_DECISION:
            return None
        decision = getattr(obj, "decision", None)
        return None if decision is None else dict(DecisionSerializer(decision).data)

    def _decision_clock(self, obj: Referral) -> Clock | None:
        if obj.received_at is None:
            return None
        page: selectors.ReferralPage | None = self.context.get("page")
        if page is not None and page.referral is obj:
            return page.decision_clock
        item: selectors.QueueItem | None = self.context.get("items", {}).get(obj.ref)
        if item is not None and item.referral is obj:
            return item.clock
        return selectors.with_clock(obj, now=self.context.get("now") or timezone.now()).clock

    @extend_schema_field(
        serializers.ChoiceField(choices=[str(s) for s in ClockStatus], allow_null=True)
    )
    def get_decision_status(self, obj: Referral) -> str | None:
        clock = self._decision_clock(obj)
        return None if clock is None else str(clock.status)

    @extend_schema_field(OutOfHoursCoverSerializer(allow_null=True))
    def get_out_of_hours_cover(self, obj: Referral) -> dict[str, str] | None:
        cover = selectors.out_of_hours_cover(obj)
        if cover is None:
            return None
        return {"name": cover.name_en, "name_cy": cover.name_cy, "phone": cover.phone}

    def _feedback_clock(self, obj: Referral) -> Clock | None:
        page: selectors.ReferralPage | None = self.context.get("page")
        if page is not None and page.referral is obj:
            return page.feedback_clock
        return selectors.feedback_clock(obj, now=self.context.get("now") or timezone.now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_feedback_due_at(self, obj: Referral) -> str | None:
        clock = self._feedback_clock(obj)
        return None if clock is None else serializers.DateTimeField().to_representation(
            clock.due_at
        )

    @extend_schema_field(Choice(CLOCK_STATUSES, allow_null=True, enum_name="ClockStatusEnum"))
    def get_feedback_status(self, obj: Referral) -> str | None:
        clock = self._feedback_clock(obj)
        return None if clock is None else str(clock.status)


class QueueItemSerializer(ReferralSerializer):
    """A referral in a list, with the clock that applies to it (``selectors.with_clock``)."""

    age_seconds = serializers.SerializerMethodField(
        help_text="Seconds the referral's clock has run: the supervisor backlog from "
        "submission, or the Gateway decision from receipt (to the decision, once made)"
    )
    clock_status = serializers.SerializerMethodField(
        help_text="Where that clock stands: pending, due_soon, overdue, met or met_late"
    )
    clock_due_at = serializers.SerializerMethodField(
        help_text="When that clock falls due: the supervisor backlog limit, or the decision "
        "time the referrer's priority sets. The Gateway queue (?status=awaiting_decision) "
        "comes in this order, the most overdue first"
    )

    def get_age_seconds(self, obj: Referral) -> int:
        return int(self.context["items"][obj.ref].age.total_seconds())

    @extend_schema_field(Choice(CLOCK_STATUSES, enum_name="ClockStatusEnum"))
    def get_clock_status(self, obj: Referral) -> str:
        return str(self.context["items"][obj.ref].clock.status)

    @extend_schema_field(serializers.DateTimeField())
    def get_clock_due_at(self, obj: Referral) -> str:
        due = self.context["items"][obj.ref].clock.due_at
        return str(serializers.DateTimeField().to_representation(due))
