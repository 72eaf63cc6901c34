"""Conferences in the API (API-CONTRACT "Resources the workflows add": ``/api/v1/conferences``):
convening, the conference as the caller may see it, an agency's report, the outcome per child,
held with the quorum, each child's voice and advocacy. The meeting's other endpoints are the
shared ones (``tarian.meetings.api``), mounted in ``urls.py``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.fields import Choice
from tarian.api.requests import api_user
from tarian.conferences import selectors, services
from tarian.conferences.models import AdvocacyAnswer
from tarian.conferences.selectors import ConferenceRecord, report_status
from tarian.errors import Refused
from tarian.meetings.api import agency_named, valid
from tarian.meetings.extras import add_extras
from tarian.meetings.serializers import MeetingOut, meeting_data
from tarian.procedures.packs import current_pack
from tarian.referrals.models import VoiceMethod

KINDS = [("initial", "initial")]


class ConferenceIn(serializers.Serializer[Any]):
    children = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="Tarian IDs; by default every child")
    kind = Choice(KINDS, required=False, enum_name="ConferenceKindEnum",
                  help_text="Only initial conferences so far")
    strategy_meeting = serializers.IntegerField(required=False, min_value=1)
    enquiry = serializers.IntegerField(required=False, min_value=1)
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True)
    chair = serializers.CharField(required=False, allow_blank=True,
                                  help_text="Username of the chair; by default the agency's "
                                  "conference chair")


class ConferenceReportRequestOut(serializers.Serializer[Any]):
    agency = serializers.CharField()
    due_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    status = Choice([("requested", "requested"), ("received", "received"), ("late", "late")],
                    enum_name="ReportStatusEnum")
    chased_at = serializers.DateTimeField(allow_null=True)
    shared_with_parents = serializers.BooleanField()


class ConferenceChildOut(serializers.Serializer[Any]):
    child = serializers.CharField()
    advocacy_offered_at = serializers.DateTimeField(allow_null=True)
    advocacy_answer = Choice(AdvocacyAnswer.choices, allow_blank=True,
                             enum_name="AdvocacyAnswerEnum")
    advocate = serializers.CharField()
    voice = serializers.CharField()
    voice_method = Choice(VoiceMethod.choices, allow_blank=True)


class ConferenceParentOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    relationship = serializers.CharField()
    invited = serializers.BooleanField()
    attended = serializers.BooleanField()
    support_offered = serializers.CharField()


class ConferenceOutcomeOut(serializers.Serializer[Any]):
    child = serializers.CharField()
    register = serializers.BooleanField()
    category = Choice(lambda: current_pack().codes("abuse_categories"), allow_blank=True,
                      enum_name="RegisterCategoryEnum")
    key_worker = serializers.CharField(allow_null=True)
    rationale = serializers.CharField()
    decision = serializers.IntegerField()


class ConferenceOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = Choice(KINDS, enum_name="ConferenceKindEnum")
    enquiry = serializers.IntegerField(allow_null=True)
    strategy_meeting = serializers.IntegerField(allow_null=True)
    due_at = serializers.DateTimeField()
    quorum = serializers.IntegerField()
    inquorate_reason = serializers.CharField()
    proposed_invitees = serializers.ListField(child=serializers.DictField())
    report_requests = ConferenceReportRequestOut(many=True)
    children_voice = ConferenceChildOut(many=True)
    parents = ConferenceParentOut(many=True)
    outcomes = ConferenceOutcomeOut(many=True)
    meeting = MeetingOut()
    version = serializers.IntegerField()


def conference_data(user: Any, record: ConferenceRecord) -> dict[str, Any]:
    conference = record.conference
    add_extras(user, record.meeting)
    meeting = meeting_data(record.meeting, language=get_language() or "en")
    return {
        "id": conference.pk,
        "reference": conference.reference,
        "kind": "initial",
        "enquiry": conference.enquiry_id,
        "strategy_meeting": conference.strategy_meeting_id,
        "due_at": conference.due_at,
        "quorum": conference.quorum,
        "inquorate_reason": conference.inquorate_reason,
        "proposed_invitees": meeting["proposed_invitees"],
        "report_requests": [
            {"agency": row.agency.slug, "due_at": row.due_at, "received_at": row.received_at,
             "status": report_status(row, record.now), "chased_at": row.chased_at,
             "shared_with_parents": row.shared_with_parents}
            for row in record.reports
        ],
        "children_voice": [
            {"child": row.child.ref, "advocacy_offered_at": row.advocacy_offered_at,
             "advocacy_answer": row.advocacy_answer, "advocate": row.advocate,
             "voice": row.voice, "voice_method": row.voice_method}
            for row in record.children
        ],
        "parents": [
            {"name": row.name, "relationship": row.relationship, "invited": row.invited,
             "attended": row.attended, "support_offered": row.support_offered}
            for row in record.parents
        ],
        "outcomes": [
            {"child": row.child.ref, "register": row.register, "category": row.category,
             "key_worker": row.key_worker.username if row.key_worker else None,
             "rationale": row.decision.rationale, "decision": row.decision_id}
            for row in record.outcomes
        ],
        "meeting": meeting,
        "version": conference.meeting.version,
    }


def _answer(request: Request, conference_id: int, code: int = status.HTTP_200_OK) -> Response:
    user = api_user(request)
    record = selectors.conference_record(user, conference_id, audit=False)
    return Response(conference_data(user, record), status=code)


class ConferencesView(APIView):
    @extend_schema(operation_id="conferences_create", request=ConferenceIn,
                   responses={201: ConferenceOut, 200: ConferenceOut},
                   summary="Convene an initial child protection conference (CP1): due within "
                   "the pack's limit of the strategy discussion, a report asked of every "
                   "invited agency; an enquiry that already requested one answers it (200)")
    def post(self, request: Request) -> Response:
        data = valid(ConferenceIn, request.data)
        user = api_user(request)
        chair = None
        if data.get("chair"):
            chair = get_user_model().objects.filter(username=data["chair"],
                                                    is_active=True).first()
            if chair is None:
                raise Refused("chair", "No active user with this username")
        conference, created = services.convene_conference(
            user, children=data.get("children", []), enquiry_id=data.get("enquiry"),
            strategy_meeting_id=data.get("strategy_meeting"),
            scheduled_for=data.get("scheduled_for"), chair=chair,
        )
        return _answer(request, conference.pk,
                       status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ConferenceView(APIView):
    @extend_schema(operation_id="conferences_retrieve", responses=ConferenceOut,
                   summary="The conference as the caller may see it")
    def get(self, request: Request, id: int) -> Response:
        user = api_user(request)
        record = selectors.conference_record(user, id)
        return Response(conference_data(user, record))


class ConferenceReportIn(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True)
    document = serializers.CharField(required=False, allow_blank=True, max_length=120,
                                     help_text="A document reference, instead of the text")
    shared_with_parents = serializers.BooleanField(required=False, default=False)


class ReportsView(APIView):
    @extend_schema(operation_id="conferences_report", request=ConferenceReportIn,
                   responses={201: ConferenceOut},
                   summary="The caller's agency's written report to the conference (CP1)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ConferenceReportIn, request.data)
        services.submit_report(api_user(request), conference_id=id, text=data.get("text", ""),
                               document=data.get("document", ""),
                               shared_with_parents=data["shared_with_parents"])
        return _answer(request, id, status.HTTP_201_CREATED)


class ConferenceOutcomeIn(serializers.Serializer[Any]):
    child = serializers.CharField(help_text="Tarian ID")
    register = serializers.BooleanField()
    category = Choice(lambda: current_pack().codes("abuse_categories"), required=False,
                      allow_blank=True, enum_name="RegisterCategoryEnum",
                      help_text="Required to register")
    key_worker = serializers.CharField(required=False, allow_blank=True,
                                       help_text="Username; required to register")
    rationale = serializers.CharField(allow_blank=True)


class OutcomeView(APIView):
    @extend_schema(operation_id="conferences_outcome", request=ConferenceOutcomeIn,
                   responses={201: ConferenceOut},
                   summary="The chair records a child's outcome (CP1): register or not, the "
                   "category and key worker to register, the rationale")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ConferenceOutcomeIn, request.data)
        services.record_outcome(
            api_user(request), conference_id=id, child=data["child"],
            register=data["register"], category=data.get("category") or "",
            key_worker=data.get("key_worker", ""), rationale=data["rationale"],
        )
        return _answer(request, id, status.HTTP_201_CREATED)


class ConferenceHeldIn(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    attended = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="Slugs of the agencies that attended")
    risk_analysis = serializers.CharField(required=False, allow_blank=True)
    inquorate_reason = serializers.CharField(
        required=False, allow_blank=True,
        help_text="The chair's reason for going ahead below the pack's quorum")


class HeldView(APIView):
    @extend_schema(operation_id="conferences_held", request=ConferenceHeldIn,
                   responses=ConferenceOut,
                   summary="Record that the conference was held (CP1): below the pack's quorum "
                   "refused on attended unless the chair gives inquorate_reason")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ConferenceHeldIn, request.data)
        services.record_conference_held(
            api_user(request), conference_id=id, held_at=data["held_at"],
            attended=[agency_named(slug, "attended") for slug in data.get("attended", [])],
            risk_analysis=data.get("risk_analysis", ""),
            inquorate_reason=data.get("inquorate_reason", ""),
        )
        return _answer(request, id)


class ConferenceChildIn(serializers.Serializer[Any]):
    child = serializers.CharField(help_text="Tarian ID")
    advocacy_offered_at = serializers.DateTimeField(required=False, allow_null=True)
    advocacy_answer = Choice(AdvocacyAnswer.choices, required=False, allow_blank=True,
                             enum_name="AdvocacyAnswerEnum")
    advocate = serializers.CharField(required=False, allow_blank=True, max_length=200)
    voice = serializers.CharField(required=False, allow_blank=True)
    voice_method = Choice(VoiceMethod.choices, required=False, allow_blank=True)


class ChildView(APIView):
    @extend_schema(operation_id="conferences_child", request=ConferenceChildIn,
                   responses={201: ConferenceOut},
                   summary="The active offer of advocacy and the child's voice (CP1, VC1)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ConferenceChildIn, request.data)
        services.record_child(
            api_user(request), conference_id=id, child=data["child"],
            advocacy_offered_at=data.get("advocacy_offered_at"),
            advocacy_answer=data.get("advocacy_answer") or "",
            advocate=data.get("advocate", ""), voice=data.get("voice", ""),
            voice_method=data.get("voice_method") or "",
        )
        return _answer(request, id, status.HTTP_201_CREATED)


class ConferenceApproveIn(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, min_value=1)


class ApproveMinutesView(APIView):
    @extend_schema(operation_id="conferences_minutes_approve", request=ConferenceApproveIn,
                   responses=ConferenceOut,
                   summary="The chair approves the minutes with the outline plan, which "
                   "circulates them and meets the outline plan's clock (CP1)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ConferenceApproveIn, request.data)
        services.approve_conference_minutes(api_user(request), conference_id=id,
                                            version=data.get("version"))
        return _answer(request, id)
