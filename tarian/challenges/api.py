"""Professional challenge endpoints (API contract: ``POST /api/v1/challenges``; PC1). Thin:
parse, call a service or selector, shape the answer. A challenge's ``id`` is an opaque string;
``about`` names the decision by its workflow's kind code and id."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.errors import flatten_errors
from tarian.api.fields import Choice
from tarian.api.requests import api_user
from tarian.challenges import selectors, services, tiers
from tarian.challenges.about import registered
from tarian.challenges.models import Challenge, ChallengeStatus, StepKind
from tarian.errors import Refused

KINDS = ("referral_decision", "meeting_decision", "enquiry_type", "suspension_decision",
         "plan_ending")


class AboutSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(
        max_length=32, allow_blank=True,
        help_text="The kind of decision, as its workflow registers it: "
        + ", ".join(KINDS) + ". A kind no workflow offers is refused on about.",
    )
    id = serializers.CharField(max_length=64, allow_blank=True,
                               help_text="The decision's id, as its workflow names it")


class ChallengeInputSerializer(serializers.Serializer[Any]):
    about = AboutSerializer()
    reason = serializers.CharField(allow_blank=True, max_length=20000,
                                   help_text="What you disagree with and why (not a bare "
                                   "'disagree' or 'see notes')")


class EscalateInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, max_length=20000)
    version = serializers.IntegerField(required=False, min_value=1)


class RespondInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, max_length=20000)
    resolved = serializers.BooleanField(
        help_text="true: the answer resolves the challenge (it must give reasons)"
    )
    version = serializers.IntegerField(required=False, min_value=1)


class AboutOutputSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    id = serializers.CharField()
    kind_label = serializers.CharField(help_text="What the kind of decision is called")
    text = serializers.CharField(allow_null=True)
    link = serializers.CharField(allow_null=True)


class StepSerializer(serializers.Serializer[Any]):
    kind = Choice(StepKind.choices, enum_name="ChallengeStepKind")
    tier = serializers.IntegerField(min_value=1)
    by = serializers.CharField(allow_null=True, help_text="username; null: by the clock")
    agency = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    text = serializers.CharField(allow_blank=True)


class ChallengeSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    tier = serializers.IntegerField(min_value=1)
    tier_name = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True,
                                       help_text="When the current tier's clock is due")
    status = Choice(ChallengeStatus.choices, enum_name="ChallengeStatus")
    about = AboutOutputSerializer()
    reason = serializers.CharField()
    raised_by = serializers.CharField()
    raised_by_agency = serializers.CharField()
    raised_at = serializers.DateTimeField()
    resolution = serializers.CharField(allow_blank=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    steps = StepSerializer(many=True)


def _shape(challenge: Challenge, page: selectors.ChallengePage | None = None) -> dict[str, Any]:
    about = page.about if page else None
    steps = list(challenge.steps.all())
    data = {
        "id": str(challenge.pk),
        "tier": challenge.tier,
        "tier_name": tiers.tier_label(challenge.tier),
        "due_at": getattr(challenge, "due_at", None),
        "status": challenge.status,
        "about": {
            "kind": challenge.about_kind,
            "id": challenge.about_id,
            "kind_label": page.about_label if page else selectors.about_label(challenge.about_kind),
            "text": about.text if about else None,
            "link": about.link if about else None,
        },
        "reason": challenge.reason,
        "raised_by": challenge.raised_by.username,
        "raised_by_agency": challenge.raised_by_agency.slug,
        "raised_at": challenge.raised_at,
        "resolution": challenge.resolution,
        "resolved_at": challenge.resolved_at,
        "version": challenge.version,
        "steps": [
            {
                "kind": step.kind, "tier": step.tier,
                "by": step.by.username if step.by else None,
                "agency": step.by_agency.slug if step.by_agency else None,
                "at": step.at, "text": step.text,
            }
            for step in steps
        ],
    }
    return dict(ChallengeSerializer(data).data)


def _one(request: Request, challenge_id: object, status_code: int = status.HTTP_200_OK) -> Response:
    page = selectors.challenge_page(api_user(request), challenge_id)
    return Response(_shape(page.challenge, page), status=status_code)


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise Refused(flatten_errors(serializer.errors))
    return dict(serializer.validated_data)


class ChallengesView(APIView):
    @extend_schema(
        operation_id="challenges_create",
        request=ChallengeInputSerializer,
        responses={201: ChallengeSerializer},
        summary="Challenge a decision (professional challenge, PC1): it starts at tier 1 with "
        "the tier's clock (due_at) and escalates tier by tier until resolved",
    )
    def post(self, request: Request) -> Response:
        data = _valid(ChallengeInputSerializer, request.data)
        try:
            challenge = services.raise_challenge(
                api_user(request), about_kind=data["about"]["kind"],
                about_id=data["about"]["id"], reason=data["reason"],
            )
        except Refused as refused:
            # The service names ``about``; the API names the part of it that is wrong, as it
            # does for the serializer's own errors (``about.kind``, ``about.id``).
            errors = dict(refused.errors)
            if "about" in errors:
                part = "id" if registered(data["about"]["kind"].strip()) else "kind"
                errors[f"about.{part}"] = errors.pop("about")
            raise Refused(errors) from None
        return _one(request, challenge.pk, status.HTTP_201_CREATED)


class ChallengeView(APIView):
    @extend_schema(operation_id="challenges_retrieve", responses=ChallengeSerializer,
                   summary="A challenge with its tier, due time and steps")
    def get(self, request: Request, id: str) -> Response:
        return _one(request, id)


class EscalateView(APIView):
    @extend_schema(operation_id="challenges_escalate", request=EscalateInputSerializer,
                   responses=ChallengeSerializer,
                   summary="The raiser or a responder takes the challenge to the next tier, "
                   "with a reason; beyond the last tier is refused on tier")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(EscalateInputSerializer, request.data)
        services.escalate(api_user(request), challenge_id=id, reason=data["reason"],
                          version=data.get("version"))
        return _one(request, id)


class RespondView(APIView):
    @extend_schema(operation_id="challenges_respond", request=RespondInputSerializer,
                   responses=ChallengeSerializer,
                   summary="A responder at the current tier answers; resolved=true resolves it")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(RespondInputSerializer, request.data)
        services.respond(api_user(request), challenge_id=id, text=data["text"],
                         resolved=data["resolved"], version=data.get("version"))
        return _one(request, id)
