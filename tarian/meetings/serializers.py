"""A meeting as the API shows it to one reader (issue 21; API-CONTRACT "Resources the workflows
add"): the same narrowed record as its page (``selectors.meeting_record``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tarian.api.fields import Choice
from tarian.meetings.models import Audience, InvitationStatus, MeetingStatus, MinutesStatus
from tarian.meetings.reasons import reason_in
from tarian.meetings.selectors import MeetingRecord
from tarian.procedures.clocks import ClockStatus
from tarian.procedures.packs import current_pack

LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]


class InvitationOut(serializers.Serializer[Any]):
    agency = serializers.CharField(help_text="The agency's slug")
    agency_name = serializers.CharField()
    status = Choice(InvitationStatus.choices, enum_name="InvitationStatusEnum")
    reason = serializers.CharField(
        help_text="Why the invitation rule proposed the agency, in the reader's language"
    )
    status_reason = serializers.CharField(help_text="Why it declined or was not invited")
    proposed = serializers.BooleanField()


class DecisionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    decision_label = serializers.CharField()
    child = serializers.CharField(allow_null=True)
    rationale = serializers.CharField()
    recorded_by = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class DissentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    agency = serializers.CharField()
    person = serializers.CharField()
    decision = serializers.IntegerField(allow_null=True)
    what = serializers.CharField()
    reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ContributionOut(serializers.Serializer[Any]):
    agency = serializers.CharField()
    text = serializers.CharField()
    audience = Choice(Audience.choices, enum_name="AudienceEnum")
    shared_at = serializers.DateTimeField()


class AddendumOut(serializers.Serializer[Any]):
    text = serializers.CharField()
    agreed_on = serializers.DateField()
    agreed_with = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class MinutesOut(serializers.Serializer[Any]):
    text = serializers.CharField()
    language = Choice(LANGUAGES, enum_name="MinutesLanguageEnum")
    status = Choice(MinutesStatus.choices, enum_name="MinutesStatusEnum")
    approved_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class CirculationOut(serializers.Serializer[Any]):
    agency = serializers.CharField()
    what = serializers.CharField()
    sent_at = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)


class ClockOut(serializers.Serializer[Any]):
    timescale = serializers.CharField(help_text="The pack's timescale code")
    description = serializers.CharField(help_text="The timescale in the reader's language")
    due_at = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    status = Choice([str(s) for s in ClockStatus], enum_name="ClockStatusEnum")


class MeetingOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = Choice(lambda: current_pack().codes("meeting_kinds"), enum_name="MeetingKindEnum")
    status = Choice(MeetingStatus.choices, enum_name="MeetingStatusEnum")
    children = serializers.ListField(child=serializers.CharField(),
                                     help_text="Tarian IDs of the children the reader may open")
    referral = serializers.CharField(allow_null=True)
    chair = serializers.CharField()
    chair_role = serializers.CharField()
    chair_seniority = serializers.CharField()
    scheduled_for = serializers.DateTimeField(allow_null=True)
    held_at = serializers.DateTimeField(allow_null=True)
    risk_analysis = serializers.CharField()
    invitations = InvitationOut(many=True)
    proposed_invitees = serializers.ListField(child=serializers.DictField())
    information_shared = ContributionOut(many=True)
    decisions = DecisionOut(many=True)
    dissents = DissentOut(many=True)
    addenda = AddendumOut(many=True)
    actions = serializers.ListField(child=serializers.DictField())
    minutes = MinutesOut(allow_null=True)
    circulation = CirculationOut(many=True)
    clocks = ClockOut(many=True)
    version = serializers.IntegerField()


def meeting_data(record: MeetingRecord, *, language: str = "en") -> dict[str, Any]:
    pack = current_pack()
    meeting = record.meeting
    minutes = record.minutes
    invitations = [
        {
            "agency": invitation.agency.slug,
            "agency_name": invitation.agency.display_name(language),
            "status": invitation.status,
            "reason": reason_in(invitation, language),
            "status_reason": invitation.status_reason,
            "proposed": invitation.proposed,
        }
        for invitation in record.invitations
    ]
    return {
        "id": meeting.pk,
        "reference": meeting.reference,
        "kind": meeting.kind,
        "status": meeting.status,
        "children": [child.ref for child in record.children],
        "referral": meeting.origin_id if meeting.origin_kind == "referral" else None,
        "chair": meeting.chair.username,
        "chair_role": meeting.chair_role,
        "chair_seniority": meeting.chair_seniority,
        "scheduled_for": meeting.scheduled_for,
        "held_at": meeting.held_at,
        "risk_analysis": meeting.risk_analysis,
        "invitations": invitations,
        "proposed_invitees": [
            {"agency": i["agency"], "reason": i["reason"]}
            for i, row in zip(invitations, record.invitations, strict=True) if row.proposed
        ],
        "information_shared": [
            {"agency": c.agency.slug, "text": c.text, "audience": c.audience,
             "shared_at": c.shared_at}
            for c in record.contributions
        ],
        "decisions": [
            {
                "id": d.pk, "decision": d.code,
                "decision_label": pack.label(d.list_name, d.code, language)
                if d.code in pack.codes(d.list_name) else d.code,
                "child": d.child.ref if d.child and d.child in record.children else None,
                "rationale": d.rationale, "recorded_by": d.recorded_by.username,
                "recorded_at": d.recorded_at,
            }
            for d in record.decisions
        ],
        "dissents": [
            {"id": x.pk, "agency": x.agency.slug, "person": x.person.username,
             "decision": x.decision_id, "what": x.what, "reason": x.reason,
             "recorded_at": x.recorded_at}
            for x in record.dissents
        ],
        "addenda": [
            {"text": a.text, "agreed_on": a.agreed_on, "agreed_with": a.agreed_with,
             "recorded_at": a.recorded_at}
            for a in record.addenda
        ],
        "actions": list(record.extra.get("actions", [])),  # type: ignore[call-overload]
        "minutes": None if minutes is None else {
            "text": minutes.text_for(language)[0], "language": minutes.text_for(language)[1],
            "status": minutes.status, "approved_at": minutes.approved_at,
            "version": minutes.version,
        },
        "circulation": list(record.extra.get("circulation", [])),  # type: ignore[call-overload]
        "clocks": [
            {"timescale": clock["timescale"], "description": clock["label"],
             "due_at": clock["due_at"], "met_at": clock["met_at"], "status": clock["status"]}
            for clock in record.extra.get("clocks", [])  # type: ignore[attr-defined]
        ],
        "version": meeting.version,
    }
