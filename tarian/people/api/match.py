"""``GET /api/v1/people/match`` (API contract; FD6): is this child known to any agency?"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.fields import Choice
from tarian.api.requests import api_user
from tarian.errors import Refused
from tarian.people.identifiers import parse_nhs_number, parse_postcode
from tarian.people.matching.answers import check_typed_query, match_for
from tarian.people.matching.engine import MatchQuery

FIELDS = ("given_name", "family_name", "date_of_birth", "postcode", "nhs_number")


class CandidateSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(source="ref")
    score = serializers.FloatField(source="probability", help_text="Match probability, 0..1")
    decision = Choice(["match", "possible", "no_match"])
    reasons = serializers.ListField(child=serializers.CharField())


class MatchSerializer(serializers.Serializer[Any]):
    decision = Choice(["match", "possible", "no_match"])
    candidates = CandidateSerializer(many=True)
    hidden_matches = serializers.IntegerField(
        help_text="Likely matches you may not see: ask the Gateway about them"
    )
    hidden_match_handles = serializers.ListField(
        child=serializers.CharField(),
        help_text="One opaque handle for each likely match you may not see (#20 item 8): send "
        "it in a referral's unseen_children to refer that child without seeing their record. "
        "It works only for you, for 24 hours, and says nothing about the record",
    )
    message = serializers.CharField(allow_blank=True)


def parse_match_query(params: Any) -> MatchQuery:
    """The query from request parameters; every bad field is named."""
    errors: dict[str, list[str]] = {}
    values = {name: str(params.get(name, "") or "").strip() for name in FIELDS}
    born: dt.date | None = None
    if values["date_of_birth"]:
        try:
            born = dt.date.fromisoformat(values["date_of_birth"])
        except ValueError:
            errors["date_of_birth"] = ["Enter a date of birth as YYYY-MM-DD"]
    nhs = ""
    if values["nhs_number"]:
        try:
            nhs = parse_nhs_number(values["nhs_number"])
        except ValueError as exc:
            errors["nhs_number"] = [str(exc)]
    postcode = ""
    if values["postcode"]:
        try:
            postcode = parse_postcode(values["postcode"])
        except ValueError as exc:
            errors["postcode"] = [str(exc)]
    for name in ("given_name", "family_name"):
        if len(values[name]) > 100:
            errors[name] = ["Use at most 100 characters"]
    if not any(values.values()):
        errors["__all__"] = ["Give at least one of: " + ", ".join(FIELDS)]
    query = MatchQuery(
        given_name=values["given_name"],
        family_name=values["family_name"],
        date_of_birth=born,
        postcode=postcode,
        nhs_number=nhs,
    )
    try:
        check_typed_query(query)
    except Refused as refused:
        errors.update(refused.errors)
    if errors:
        raise Refused(errors)
    return query


class MatchView(APIView):
    @extend_schema(
        operation_id="people_match",
        parameters=[
            OpenApiParameter("given_name", str),
            OpenApiParameter("family_name", str),
            OpenApiParameter(
                "date_of_birth", dt.date, description="From 1900 to today; others are 400"
            ),
            OpenApiParameter("postcode", str),
            OpenApiParameter("nhs_number", str),
        ],
        responses=MatchSerializer,
        summary="Is this person already known? Candidates with a match probability and reasons",
    )
    def get(self, request: Request) -> Response:
        answer = match_for(api_user(request), parse_match_query(request.query_params))
        message = (
            "A possible match exists that you may not see. Ask the Gateway, or refer the "
            "child with its handle (hidden_match_handles): the Gateway checks it."
            if answer.hidden_matches
            else ""
        )
        # Built directly: the answer is small and fixed in shape (``MatchSerializer`` documents
        # it), and instantiating nested serializers was a tenth of a match's time.
        return Response(
            {
                "decision": answer.decision,
                "candidates": [
                    {
                        "id": c.ref,
                        "score": float(c.probability),
                        "decision": c.decision,
                        "reasons": [str(reason) for reason in c.reasons],
                    }
                    for c in answer.candidates
                ],
                "hidden_matches": int(answer.hidden_matches),
                "hidden_match_handles": list(answer.hidden_handles),
                "message": message,
            }
        )
