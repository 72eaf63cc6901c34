"""Agreed actions' endpoints (SM3): the caller's open actions, one action, and completing it
with an outcome. Thin: parse, call a service or selector, shape the answer; errors take the
API's one shape (``tarian.api.errors``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.actions import selectors, services
from tarian.actions.serializers import AgreedActionSerializer, CompleteInputSerializer
from tarian.api.pagination import PagePagination
from tarian.api.requests import api_user


class ActionsView(APIView):
    @extend_schema(operation_id="actions_list", responses=AgreedActionSerializer(many=True),
                   summary="The caller's open agreed actions (named as owner, or their "
                   "agency's with nobody named), soonest due first")
    def get(self, request: Request) -> Response:
        page = PagePagination()
        rows = page.paginate_queryset(selectors.open_actions(api_user(request)), request)
        return page.get_paginated_response(AgreedActionSerializer(rows, many=True).data)


class ActionView(APIView):
    @extend_schema(operation_id="actions_retrieve", responses=AgreedActionSerializer,
                   summary="An agreed action: visible to its owning agency, its owner and "
                   "those its subject's workflow allows")
    def get(self, request: Request, id: int) -> Response:
        action = selectors.action_for(api_user(request), id)
        return Response(AgreedActionSerializer(action).data)


class CompleteActionView(APIView):
    @extend_schema(operation_id="actions_complete", request=CompleteInputSerializer,
                   responses=AgreedActionSerializer,
                   summary="Complete an agreed action with its outcome (SM3); the owning "
                   "agency, or whom the subject's workflow allows (a meeting's chair)")
    def post(self, request: Request, id: int) -> Response:
        serializer = CompleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        action = services.complete_action(
            api_user(request), action_id=id, outcome=data.get("outcome", ""),
            version=data.get("version"),
        )
        return Response(AgreedActionSerializer(action).data)
