"""Section 47 enquiries in the API (API-CONTRACT "Resources the workflows add":
``/api/v1/enquiries``)."""

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
from tarian.deadlines.models import Deadline
from tarian.enquiries import selectors, services
from tarian.enquiries.models import EnquiryStatus
from tarian.enquiries.selectors import EnquiryRecord
from tarian.errors import Refused
from tarian.meetings.api import valid
from tarian.people import vocabulary
from tarian.procedures.packs import current_pack
from tarian.referrals.models import VoiceMethod


def _languages() -> list[tuple[str, str]]:
    return vocabulary.choices("language")


class EnquiryIn(serializers.Serializer[Any]):
    strategy_meeting = serializers.IntegerField(min_value=1, help_text="The strategy meeting's id")
    children = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Tarian IDs; by default every child the strategy meeting is about",
    )
    type = Choice(lambda: current_pack().codes("enquiry_types"), enum_name="EnquiryTypeEnum")
    rationale = serializers.CharField(allow_blank=True)
    concern = Choice(lambda: current_pack().codes("abuse_categories"), required=False,
                     allow_blank=True,
                     help_text="The category of concern: the joint protocol proposes the type")
    lead = serializers.CharField(required=False, allow_blank=True,
                                 help_text="Username of the lead; by default the caller")


class ChildSeenOut(serializers.Serializer[Any]):
    child = serializers.CharField()
    seen_at = serializers.DateTimeField()
    seen_by = serializers.CharField()
    seen_alone = serializers.BooleanField()
    views = serializers.CharField()
    voice_method = Choice(VoiceMethod.choices, allow_blank=True)
    language = Choice(_languages, allow_blank=True, enum_name="LanguageEnum")


class EnquiryOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    strategy_meeting = serializers.IntegerField()
    children = serializers.ListField(child=serializers.CharField())
    concern = serializers.CharField()
    proposed_type = Choice(lambda: current_pack().codes("enquiry_types"),
                           enum_name="EnquiryTypeEnum")
    type = Choice(lambda: current_pack().codes("enquiry_types"), enum_name="EnquiryTypeEnum")
    type_label = serializers.CharField()
    rationale = serializers.CharField()
    lead = serializers.CharField()
    started_at = serializers.DateTimeField()
    child_seen_due_at = serializers.DateTimeField(allow_null=True)
    children_seen = ChildSeenOut(many=True)
    status = Choice(EnquiryStatus.choices, enum_name="EnquiryStatusEnum")
    outcome = Choice(lambda: current_pack().codes("enquiry_outcomes"), allow_blank=True,
                     enum_name="EnquiryOutcomeEnum")
    analysis = serializers.CharField()
    child_not_seen_reasons = serializers.DictField(child=serializers.CharField())
    conference_requested = serializers.BooleanField()
    review_strategy_meeting = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField()


def enquiry_data(record: EnquiryRecord) -> dict[str, Any]:
    enquiry = record.enquiry
    refs = {child.ref for child in record.children}
    due = (
        Deadline.objects.filter(
            subject_kind=services.SUBJECT_KIND, subject_id=str(enquiry.pk),
            timescale=services.CHILD_SEEN,
        ).order_by("due_at").values_list("due_at", flat=True).first()
    )
    return {
        "id": enquiry.pk,
        "reference": enquiry.reference,
        "strategy_meeting": enquiry.strategy_meeting_id,
        "children": sorted(refs),
        "concern": enquiry.concern,
        "proposed_type": enquiry.proposed_type,
        "type": enquiry.type,
        "type_label": current_pack().label("enquiry_types", enquiry.type, get_language() or "en"),
        "rationale": enquiry.rationale,
        "lead": enquiry.lead.username,
        "started_at": enquiry.started_at,
        "child_seen_due_at": due,
        "children_seen": [
            {"child": row.child.ref, "seen_at": row.seen_at, "seen_by": row.seen_by.username,
             "seen_alone": row.seen_alone, "views": row.views,
             "voice_method": row.voice_method, "language": row.language}
            for row in record.seen
        ],
        "status": enquiry.status,
        "outcome": enquiry.outcome,
        "analysis": enquiry.analysis,
        "child_not_seen_reasons": {
            ref: reason for ref, reason in enquiry.not_seen_reasons.items() if ref in refs
        },
        "conference_requested": enquiry.conference_requested,
        "review_strategy_meeting": enquiry.review_meeting_id,
        "version": enquiry.version,
    }


def _answer(request: Request, enquiry_id: int, code: int = status.HTTP_200_OK) -> Response:
    record = selectors.enquiry_record(api_user(request), enquiry_id, audit=False)
    return Response(enquiry_data(record), status=code)


class EnquiriesView(APIView):
    @extend_schema(operation_id="enquiries_create", request=EnquiryIn,
                   responses={201: EnquiryOut},
                   summary="Start Section 47 enquiries after a strategy meeting decided them "
                   "(EQ1): the joint protocol proposes the type; the rationale is required")
    def post(self, request: Request) -> Response:
        data = valid(EnquiryIn, request.data)
        user = api_user(request)
        lead = None
        if data.get("lead"):
            lead = get_user_model().objects.filter(username=data["lead"], is_active=True).first()
            if lead is None:
                raise Refused("lead", "No active user with this username")
        enquiry = services.start_enquiry(
            user, strategy_meeting_id=data["strategy_meeting"], type=data["type"],
            rationale=data["rationale"], children=data.get("children", []),
            concern=data.get("concern") or "", lead=lead,
        )
        return _answer(request, enquiry.pk, status.HTTP_201_CREATED)


class EnquiryView(APIView):
    @extend_schema(operation_id="enquiries_retrieve", responses=EnquiryOut,
                   summary="The enquiry as the caller may see it")
    def get(self, request: Request, id: int) -> Response:
        record = selectors.enquiry_record(api_user(request), id)
        return Response(enquiry_data(record))


class ChildSeenIn(serializers.Serializer[Any]):
    child = serializers.CharField(help_text="Tarian ID")
    seen_at = serializers.DateTimeField()
    seen_alone = serializers.BooleanField()
    views = serializers.CharField(allow_blank=True, help_text="The child's views, their words")
    voice_method = Choice(VoiceMethod.choices, required=False, allow_blank=True)
    language = Choice(_languages, required=False, allow_blank=True, enum_name="LanguageEnum",
                      help_text="The language the child spoke (ISO 639-1)")


class ChildSeenView(APIView):
    @extend_schema(operation_id="enquiries_child_seen", request=ChildSeenIn,
                   responses={201: EnquiryOut},
                   summary="A child seen during the enquiries, with their views (EQ2, VC1)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ChildSeenIn, request.data)
        services.record_child_seen(
            api_user(request), enquiry_id=id, child=data["child"], seen_at=data["seen_at"],
            seen_alone=data["seen_alone"], views=data["views"],
            voice_method=data.get("voice_method") or "", language=data.get("language", ""),
        )
        return _answer(request, id, status.HTTP_201_CREATED)


class OutcomeIn(serializers.Serializer[Any]):
    outcome = Choice(lambda: current_pack().codes("enquiry_outcomes"),
                     enum_name="EnquiryOutcomeEnum")
    analysis = serializers.CharField(allow_blank=True)
    child_not_seen_reason = serializers.CharField(required=False, allow_blank=True)
    request_conference = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, min_value=1)


class OutcomeView(APIView):
    @extend_schema(operation_id="enquiries_outcome", request=OutcomeIn, responses=EnquiryOut,
                   summary="Conclude the enquiries (EQ2): refused without an analysis or with a "
                   "child not seen and no reason; the review strategy meeting is convened (SM7)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(OutcomeIn, request.data)
        services.conclude_enquiry(
            api_user(request), enquiry_id=id, outcome=data["outcome"],
            analysis=data["analysis"],
            child_not_seen_reason=data.get("child_not_seen_reason", ""),
            request_conference=data["request_conference"], version=data.get("version"),
        )
        return _answer(request, id)
