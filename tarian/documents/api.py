"""Documents on a person's record through the API: list, upload (checked kind and size) and
download (every download audited). Thin: parse, call ``documents.services``, render."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.pagination import PagePagination
from tarian.api.requests import api_user
from tarian.documents import services as documents


class DocumentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DocumentUploadSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class DocumentsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="documents_list",
        responses=DocumentSerializer(many=True),
        summary="Documents on a person's record",
    )
    def get(self, request: Request, id: str) -> Response:
        paginator = PagePagination()
        page = paginator.page_of(documents.list_documents(api_user(request), id), request)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="documents_create",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Add a document (PDF, Word, OpenDocument, PNG, JPEG or text; size-limited)",
    )
    def post(self, request: Request, id: str) -> Response:
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        uploaded = upload.validated_data["file"]
        document = documents.upload_document(
            api_user(request),
            person_ref=id,
            title=upload.validated_data["title"],
            original_name=uploaded.name or "",
            stream=uploaded,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentContentView(APIView):
    @extend_schema(
        operation_id="documents_content",
        responses={(200, "*/*"): OpenApiTypes.BINARY},
        summary="The document's file (every download is audited)",
    )
    def get(self, request: Request, document_id: int) -> FileResponse:
        opened = documents.open_document(api_user(request), document_id)
        response = FileResponse(
            opened.path.open("rb"),
            as_attachment=True,
            filename=f"document-{document_id}{opened.path.suffix}",
            content_type=opened.document.content_type,
        )
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["Cache-Control"] = "private, no-store"
        return response
