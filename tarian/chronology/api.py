"""A child's chronology through the API (IS2): the same events as the page, filtered by agency
and date. Thin: parse, call ``chronology.selectors``, render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.requests import api_user
from tarian.chronology.selectors import chronology_for, parse_since


class ChronologyEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField(source="label")
    agency = serializers.CharField(source="agency_slug")
    agency_name = serializers.CharField()
    summary = serializers.CharField()


class ChronologySerializer(serializers.Serializer[Any]):
    events = ChronologyEventSerializer(many=True)


class ChronologyView(APIView):
    @extend_schema(
        operation_id="children_chronology",
        parameters=[
            OpenApiParameter("agency", str, description="Only this agency's events (slug)"),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATE,
                description="Only events on or after (from 1900 to a year ahead; others are 400)",
            ),
        ],
        responses=ChronologySerializer,
        summary="A child's chronology across every agency the caller may see, newest first",
    )
    def get(self, request: Request, id: str) -> Response:
        since = parse_since(request.query_params.get("since", ""))
        result = chronology_for(
            api_user(request), id, agency=request.query_params.get("agency", ""), since=since
        )
        return Response(ChronologySerializer({"events": result.events}).data)
