"""Strategy discussions and meetings in the API (API-CONTRACT "Resources the workflows add":
``/api/v1/strategy-meetings``). Convening is here; the meeting's own endpoints are the shared
ones (``tarian.meetings.api``), mounted for strategy kinds in ``urls.py``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.fields import Choice
from tarian.api.requests import api_user
from tarian.errors import Refused
from tarian.meetings.api import answer, valid
from tarian.meetings.serializers import MeetingOut
from tarian.strategy import services


class ConveneIn(serializers.Serializer[Any]):
    children = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Tarian IDs of the children (optional when a referral is named)",
    )
    referral = serializers.CharField(required=False, allow_blank=True)
    kind = Choice(lambda: list(services.STRATEGY_KINDS), required=False,
                  enum_name="StrategyMeetingKindEnum")
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True)
    chair = serializers.CharField(required=False, allow_blank=True,
                                  help_text="Username of the chair; by default the caller")
    chair_role = serializers.CharField(required=False, allow_blank=True)
    chair_seniority = serializers.CharField(required=False, allow_blank=True)


class StrategyMeetingsView(APIView):
    @extend_schema(
        operation_id="strategy_meetings_create", request=ConveneIn,
        responses={201: MeetingOut, 200: MeetingOut},
        summary="Convene a strategy discussion or meeting (SM1): every involved agency, the "
        "referrer's and the police are proposed with reasons and invited; naming a referral "
        "that already opened one answers that one (200)",
    )
    def post(self, request: Request) -> Response:
        data = valid(ConveneIn, request.data)
        user = api_user(request)
        chair = None
        if data.get("chair"):
            chair = get_user_model().objects.filter(
                username=data["chair"], is_active=True
            ).first()
            if chair is None:
                raise Refused("chair", "No active user with this username")
        meeting, created = services.convene_strategy_meeting(
            user, children=data.get("children", []), kind=data.get("kind") or "discussion",
            referral_ref=data.get("referral", ""), scheduled_for=data.get("scheduled_for"),
            chair=chair, chair_role=data.get("chair_role", ""),
            chair_seniority=data.get("chair_seniority", ""),
        )
        return answer(
            request, meeting.pk, code=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
