"""API views for people and involvements (API contract). Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.agencies.models import User
from tarian.api.pagination import PagePagination
from tarian.api.serializers import (
    ChronologySerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
)
from tarian.chronology.selectors import chronology_for, parse_since
from tarian.documents import services as documents


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DocumentsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="documents_list",
        responses=DocumentSerializer(many=True),
        summary="Documents on a person's record",
    )
    def get(self, request: Request, id: str) -> Response:
        paginator = PagePagination()
        page = paginator.page_of(documents.list_documents(_user(request), id), request)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="documents_create",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Add a document (PDF, Word, OpenDocument, PNG, JPEG or text; size-limited)",
    )
    def post(self, request: Request, id: str) -> Response:
        data = _valid(DocumentUploadSerializer, request.data)
        uploaded = data["file"]
        document = documents.upload_document(
            _user(request), person_ref=id, title=data["title"],
            original_name=uploaded.name or "", stream=uploaded,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentContentView(APIView):
    @extend_schema(
        operation_id="documents_content",
        responses={(200, "*/*"): OpenApiTypes.BINARY},
        summary="The document's file (every download is audited)",
    )
    def get(self, request: Request, document_id: int) -> FileResponse:
        opened = documents.open_document(_user(request), document_id)
        response = FileResponse(
            opened.path.open("rb"), as_attachment=True,
            filename=f"document-{document_id}{opened.path.suffix}",
            content_type=opened.document.content_type,
        )
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["Cache-Control"] = "private, no-store"
        return response


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
            _user(request), id, agency=request.query_params.get("agency", ""), since=since
        )
        return Response(ChronologySerializer({"events": result.events}).data)
