"""API for duplicate records (IS3, FD6): the review list, merge, undo, "not the same person".

Thin like the pages: the ``merge`` sharing rule is checked by ``tarian.people.duplicates`` and
``tarian.people.merging``; a refusal is 400 naming the field, no permission 403, a record or
pair the caller may not see 404 (the API's exception handler).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.fields import Choice
from tarian.api.pagination import PagePagination
from tarian.api.requests import api_user
from tarian.people import duplicates, merging
from tarian.people.models import DuplicateStatus, Merge, Person


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PairPersonSerializer(serializers.Serializer[Person]):
    id = serializers.CharField(source="ref")
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    nhs_number = serializers.CharField()
    postcode = serializers.SerializerMethodField()

    def get_postcode(self, obj: Person) -> str:
        homes = getattr(obj, "current_residences", None)
        if homes is None:
            homes = list(obj.residences.filter(end_date__isnull=True).select_related("address"))
        return homes[0].address.postcode if homes else ""


class DuplicateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    person_a = PairPersonSerializer()
    person_b = PairPersonSerializer()
    score = serializers.FloatField()
    reasons = serializers.ListField(
        child=serializers.CharField(), source="reasons_read",
        help_text="Why the matcher found them alike, in the caller's language",
    )
    found_at = serializers.DateTimeField()
    status = Choice(DuplicateStatus.choices)
    decided_by = serializers.CharField(
        source="decided_by.username", default=None, allow_null=True
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class MergeSerializer(serializers.Serializer[Merge]):
    id = serializers.IntegerField(source="pk")
    kept = serializers.CharField(source="kept.ref")
    merged = serializers.CharField(source="merged.ref")
    reason = serializers.CharField()
    merged_by = serializers.CharField(source="merged_by.username")
    merged_at = serializers.DateTimeField()
    moved = serializers.SerializerMethodField()
    undone_by = serializers.CharField(source="undone_by.username", default=None, allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)
    undo_reason = serializers.CharField()
    restriction_inherited = serializers.BooleanField(
        help_text="The merged record was restricted and the record kept was not, so the merge "
        "restricted the record kept and named on it the people named on the merged record "
        "(undoing the merge lifts that restriction, unless it has been changed since)"
    )

    def get_moved(self, obj: Merge) -> dict[str, int]:
        """How many rows of each kind moved to the record kept (``left:`` ones stayed)."""
        return {k: len(v) for k, v in obj.moved.items() if isinstance(v, list)}


class MergeInputSerializer(serializers.Serializer[dict[str, Any]]):
    merge = serializers.CharField(max_length=16)
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    candidate = serializers.IntegerField(required=False, min_value=1)


class UndoInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class NotSameInputSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DuplicatesView(APIView):
    @extend_schema(
        operation_id="duplicates_list",
        parameters=[
            OpenApiParameter("status", str, enum=DuplicateStatus.values, description="Default open")
        ],
        responses=DuplicateSerializer(many=True),
        summary="Pairs of records that may be one person (from `tarian dedupe`), best first",
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        pairs = duplicates.duplicate_review_list(
            user, request.query_params.get("status", DuplicateStatus.OPEN)
        )
        paginator = PagePagination()
        page = paginator.paginate_queryset(pairs, request, view=self)
        assert page is not None
        duplicates.note_listed(user, page)
        return paginator.get_paginated_response(DuplicateSerializer(page, many=True).data)


class MergeView(APIView):
    @extend_schema(
        operation_id="people_merge",
        request=MergeInputSerializer,
        responses={200: MergeSerializer},
        summary="Merge the duplicate record `merge` into this one (audited; can be undone)",
    )
    def post(self, request: Request, id: str) -> Response:
        data = _valid(MergeInputSerializer, request.data)
        merge = merging.merge_people(
            api_user(request), keep_ref=id, merge_ref=data["merge"], reason=data["reason"],
            candidate_id=data.get("candidate"),
        )
        return Response(MergeSerializer(merge).data)


class UndoMergeView(APIView):
    @extend_schema(
        operation_id="merges_undo",
        request=UndoInputSerializer,
        responses={200: MergeSerializer},
        summary="Undo a merge: exactly the rows it moved go back, and the record is shown again",
    )
    def post(self, request: Request, merge_id: int) -> Response:
        data = _valid(UndoInputSerializer, request.data)
        merge = merging.undo_merge(api_user(request), merge_id=merge_id, reason=data["reason"])
        return Response(MergeSerializer(merge).data)


class NotSameView(APIView):
    @extend_schema(
        operation_id="duplicates_not_same",
        request=NotSameInputSerializer,
        responses={200: DuplicateSerializer},
        summary="Record that a pair are different people; they are not suggested again",
    )
    def post(self, request: Request, id: int) -> Response:
        data = _valid(NotSameInputSerializer, request.data)
        candidate = merging.mark_not_same(
            api_user(request), candidate_id=id, note=data.get("note", "")
        )
        return Response(DuplicateSerializer(candidate).data)
