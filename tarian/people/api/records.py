"""People's records by API (API contract): search and list, record and correct a person,
their involvements, who has viewed the record (IS4), and breaking the glass (IS1). Thin:
parse, call one service or selector, render; refusals are answered by ``api/errors.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from tarian.agencies.models import Action
from tarian.api.answers import json_answer
from tarian.api.errors import flatten_errors
from tarian.api.pagination import PagePagination
from tarian.api.requests import api_user
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.errors import Refused
from tarian.people import restriction, selectors, services
from tarian.people.api.serializers import (
    AccessEventSerializer,
    BreakGlassInputSerializer,
    BreakGlassSerializer,
    InvolvementEndSerializer,
    InvolvementInputSerializer,
    InvolvementSerializer,
    PersonCreatedSerializer,
    PersonDetailSerializer,
    PersonFoundSerializer,
    PersonInputSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    person_detail_data,
)
from tarian.people.models import Person
from tarian.people.search import search_people


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _valid_person(
    serializer_class: type[serializers.Serializer[Any]], data: Any, *, partial: bool
) -> dict[str, Any]:
    """Check a person payload, naming every bad field at once.

    The serializer checks the shape; when it fails, the service's own rules are run over the
    same input too, so a caller learns of a bad NHS number and a bad date in one reply.
    """
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    errors = flatten_errors(serializer.errors)
    if isinstance(data, dict):
        fields = {k: data[k] for k in services.PERSON_FIELDS if k in data}
        try:
            services.clean_person_fields(fields, partial=partial)
        except Refused as exc:
            for name, messages in exc.errors.items():
                errors.setdefault(name, messages)
    raise Refused(errors)


class PeopleView(APIView):
    @extend_schema(
        operation_id="people_list",
        parameters=[
            OpenApiParameter(
                "q", str,
                description="Name (with typos, nicknames, Welsh or English forms, previous "
                "names), perhaps with a date of birth or a year of birth; or an NHS number, "
                "unique pupil number or Tarian ID",
            )
        ],
        responses=PersonFoundSerializer(many=True),
        summary="People the caller may see, optionally narrowed by a search, best match first",
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        text = request.query_params.get("q", "")
        paginator = PagePagination()
        if text:
            size = paginator.get_page_size(request)
            number = paginator.get_page_number(request, None)  # type: ignore[arg-type]
            answer = search_people(user, text, page=number, per_page=size, strict=True)
            data = [
                {**PersonSerializer(found.person).data, "reasons": found.reasons}
                for found in answer.results
            ]
            next_link = None
            if answer.page.has_next():
                next_link = replace_query_param(
                    request.build_absolute_uri(), "page", answer.page.next_page_number()
                )
            return Response({"count": answer.count, "next": next_link, "results": data})
        people = (
            selectors.people_for(user, Action.LIST)
            .order_by("pk")
            .prefetch_related("names", "residences__address")
        )
        page = paginator.paginate_queryset(people, request, view=self)
        assert page is not None
        record_accesses(
            user,
            action=AccessAction.LIST,
            record_kind="person",
            person_ids=[p.pk for p in page],
        )
        return paginator.get_paginated_response(
            [{**PersonSerializer(p).data, "reasons": []} for p in page]
        )

    @extend_schema(
        operation_id="people_create",
        request=PersonInputSerializer,
        responses={201: PersonCreatedSerializer},
        summary="Record a person (child, unborn baby or adult)",
    )
    def post(self, request: Request) -> Response:
        data = _valid_person(PersonInputSerializer, request.data, partial=False)
        address = data.pop("address", None)
        person = services.create_person(api_user(request), data=data, address=address)
        return Response(PersonCreatedSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonView(APIView):
    @extend_schema(
        operation_id="people_retrieve",
        responses=PersonDetailSerializer,
        summary="A person, as the caller may see them",
    )
    def get(self, request: Request, id: str) -> HttpResponse:
        # Every partner system's lookup: the JSON written without a template response (#17).
        return json_answer(person_detail_data(selectors.read_person(api_user(request), id)))

    @extend_schema(
        operation_id="people_update",
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer},
        summary="Correct a person's details (send the version you read, and why)",
    )
    def patch(self, request: Request, id: str) -> Response:
        data = _valid_person(PersonUpdateSerializer, request.data, partial=True)
        version = data.pop("version")
        reason = data.pop("reason")
        person = services.update_person(
            api_user(request), ref=id, version=version, changes=data, reason=reason
        )
        fresh = Person.objects.prefetch_related("names", "residences__address").get(pk=person.pk)
        return Response(PersonSerializer(fresh).data)


class InvolvementsView(APIView):
    @extend_schema(
        operation_id="involvements_list",
        responses=InvolvementSerializer(many=True),
        summary="Agencies involved with a person",
    )
    def get(self, request: Request, id: str) -> Response:
        involvements = selectors.involvements_for(api_user(request), id)
        # Paged like every list, so that page and page_size mean what the schema says (#17).
        paginator = PagePagination()
        page = paginator.page_of(involvements, request)
        return paginator.get_paginated_response(InvolvementSerializer(page, many=True).data)

    @extend_schema(
        operation_id="involvements_create",
        request=InvolvementInputSerializer,
        responses={201: InvolvementSerializer},
        summary="Record that an agency is involved with a person",
    )
    def post(self, request: Request, id: str) -> Response:
        data = _valid(InvolvementInputSerializer, request.data)
        involvement = services.add_involvement(
            api_user(request),
            person_ref=id,
            agency_slug=data["agency"],
            role=data["role"],
            start_date=data["start_date"],
            professional=data.get("professional", ""),
            team_name=data.get("team", ""),
        )
        return Response(InvolvementSerializer(involvement).data, status=status.HTTP_201_CREATED)


class InvolvementEndView(APIView):
    @extend_schema(
        operation_id="involvements_end",
        request=InvolvementEndSerializer,
        responses={200: InvolvementSerializer},
        summary="Record that an involvement has ended",
    )
    def post(self, request: Request, involvement_id: int) -> Response:
        data = _valid(InvolvementEndSerializer, request.data)
        involvement = services.end_involvement(
            api_user(request),
            involvement_id=involvement_id,
            version=data["version"],
            end_date=data["end_date"],
            reason=data["reason"],
        )
        return Response(InvolvementSerializer(involvement).data)


class BreakGlassView(APIView):
    @extend_schema(
        operation_id="people_break_glass",
        request=BreakGlassInputSerializer,
        responses={200: BreakGlassSerializer},
        summary="Open a restricted record in an emergency: the reason is recorded, managers told",
    )
    def post(self, request: Request, id: str) -> Response:
        data = _valid(BreakGlassInputSerializer, request.data)
        grant = restriction.open_restricted_record(api_user(request), ref=id, reason=data["reason"])
        return Response(BreakGlassSerializer(grant).data)


class AccessLogView(APIView):
    @extend_schema(
        operation_id="people_access_log",
        responses=AccessEventSerializer(many=True),
        summary="Who has viewed or changed this person's record (IS4)",
    )
    def get(self, request: Request, id: str) -> Response:
        _, events = selectors.access_log(api_user(request), id)
        paginator = PagePagination()
        page = paginator.paginate_queryset(events, request, view=self)
        assert page is not None
        return paginator.get_paginated_response(AccessEventSerializer(page, many=True).data)
