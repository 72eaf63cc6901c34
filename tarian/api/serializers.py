"""Shapes of API input and output. Structure only: the rules live in the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ChronologyEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField(source="label")
    agency = serializers.CharField(source="agency_slug")
    agency_name = serializers.CharField()
    summary = serializers.CharField()


class ChronologySerializer(serializers.Serializer[Any]):
    events = ChronologyEventSerializer(many=True)


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
