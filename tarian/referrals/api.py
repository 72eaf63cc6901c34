"""The front door's endpoints (API contract: "Resources the front door needs"); their
serializers are in ``serializers.py``. Thin: parse, call a service or selector, shape the
answer."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.agencies.models import Action
from tarian.api.pagination import PagePagination
from tarian.api.requests import api_user
from tarian.errors import Refused
from tarian.referrals import linking, reviews, selectors, services
from tarian.referrals.models import (
    ReferralStatus,
)
from tarian.referrals.serializers import (
    ApprovalInputSerializer,
    DecisionInputSerializer,
    QueueItemSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    ResubmitInputSerializer,
    ReviewInputSerializer,
    UnseenLinkInputSerializer,
)


def _one(request: Request, ref: str) -> Response:
    """A referral as the caller reads it now: the same read as its page (``referral_page``)."""
    page = selectors.referral_page(api_user(request), ref)
    return Response(ReferralSerializer(page.referral, context={"page": page}).data)


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReferralsView(APIView):
    @extend_schema(
        operation_id="referrals_list",
        parameters=[OpenApiParameter("status", str, enum=ReferralStatus.values)],
        responses=QueueItemSerializer(many=True),
        summary="Referrals the caller may see; ?status=awaiting_decision is the Gateway queue",
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in ReferralStatus.values:
            raise Refused("status", "Choose one of: " + ", ".join(ReferralStatus.values))
        now = timezone.now()
        page = PagePagination()
        chosen: list[selectors.QueueItem] | None
        if wanted == ReferralStatus.AWAITING_DECISION:
            chosen = page.page_of(selectors.gateway_queue(user, now=now), request)
        elif wanted == ReferralStatus.AWAITING_SUPERVISOR:
            chosen = page.page_of(selectors.supervisor_queue(user, now=now), request)
        else:
            referrals = selectors.with_parts(selectors.referrals_for(user, Action.LIST)).order_by(
                "-submitted_at", "pk"
            )
            if wanted:
                referrals = referrals.filter(status=wanted)
            rows = page.paginate_queryset(referrals, request)
            if rows is not None:
                selectors.withhold_restricted(user, rows)
            chosen = None if rows is None else [selectors.with_clock(r, now=now) for r in rows]
        assert chosen is not None
        # Each referral shown names its children and household, with the concern (IS4).
        selectors.audit_referrals(user, [i.referral for i in chosen], detail={"list": "api"})
        context = {"items": {i.referral.ref: i for i in chosen}}
        data = QueueItemSerializer([i.referral for i in chosen], many=True, context=context).data
        return page.get_paginated_response(data)

    @extend_schema(
        operation_id="referrals_create",
        request=ReferralInputSerializer,
        responses={201: ReferralSerializer},
        summary="Make a referral (any practitioner of any partner agency)",
    )
    def post(self, request: Request) -> Response:
        user = api_user(request)
        serializer = ReferralInputSerializer(data=request.data)
        if not serializer.is_valid():
            from tarian.api.errors import flatten_errors

            errors = flatten_errors(serializer.errors)
            if isinstance(request.data, dict):
                try:
                    services.clean_referral(user, dict(request.data))
                except Refused as refused:
                    for name, messages in refused.errors.items():
                        errors.setdefault(name, messages)
            raise Refused(errors)
        referral = services.submit_referral(user, data=dict(serializer.validated_data))
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralView(APIView):
    @extend_schema(operation_id="referrals_retrieve", responses=ReferralSerializer,
                   summary="A referral with its status, decision and feedback time")
    def get(self, request: Request, id: str) -> Response:
        return _one(request, id)


class DecisionView(APIView):
    @extend_schema(operation_id="referrals_decide", request=DecisionInputSerializer,
                   responses=ReferralSerializer,
                   summary="Record the Gateway decision (an outcome from the pack, a rationale)")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(DecisionInputSerializer, request.data)
        user = api_user(request)
        services.record_decision(
            user, ref=id, outcome=data["outcome"], rationale=data["rationale"],
            risk_analysis=data.get("risk_analysis", ""),
            threshold_level=data.get("threshold_level", ""), version=data.get("version"),
        )
        return _one(request, id)


class SignOffView(APIView):
    @extend_schema(operation_id="referrals_sign_off", request=ReviewInputSerializer,
                   responses=ReferralSerializer,
                   summary="A team manager signs off the decision (the referrer is told), "
                   "returns it to the Gateway worker with a reason, or records their own")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(ReviewInputSerializer, request.data)
        user = api_user(request)
        action = data.get("action") or "sign_off"
        if action == "return":
            reviews.return_decision(user, ref=id, reason=data.get("reason", ""),
                                    version=data.get("version"))
        elif action == "decide":
            reviews.record_managers_decision(
                user, ref=id, outcome=data.get("outcome", ""),
                rationale=data.get("rationale", ""),
                risk_analysis=data.get("risk_analysis", ""),
                threshold_level=data.get("threshold_level", ""),
                comment=data.get("comment", ""), share_comment=data["share_comment"],
                version=data.get("version"),
            )
        else:
            services.sign_off_decision(user, ref=id, comment=data.get("comment", ""),
                                       share_comment=data["share_comment"],
                                       version=data.get("version"))
        return _one(request, id)


class ApproveView(APIView):
    @extend_schema(operation_id="referrals_approve", request=ApprovalInputSerializer,
                   responses=ReferralSerializer,
                   summary="A police supervisor sends a waiting referral on to the Gateway, or "
                   "returns it to the officer with a comment (FD3)")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(ApprovalInputSerializer, request.data)
        user = api_user(request)
        if data.get("action") == "return":
            reviews.return_referral(user, ref=id, comment=data.get("comment", ""),
                                    version=data.get("version"))
        else:
            services.approve_referral(user, ref=id, version=data.get("version"))
        return _one(request, id)


class ResubmitView(APIView):
    @extend_schema(operation_id="referrals_resubmit", request=ResubmitInputSerializer,
                   responses=ReferralSerializer,
                   summary="The officer answers the supervisor's comment and sends a returned "
                   "referral to the supervisor again (FD3)")
    def post(self, request: Request, id: str) -> Response:
        data = _valid(ResubmitInputSerializer, request.data)
        answer, version = data.pop("answer"), data.pop("version", None)
        reviews.resubmit_referral(api_user(request), ref=id, answer=answer, version=version,
                                  changes=data)
        return _one(request, id)


class UnseenChildView(APIView):
    @extend_schema(operation_id="referrals_unseen_child", request=UnseenLinkInputSerializer,
                   responses=ReferralSerializer,
                   summary="The Gateway confirms the record a child the referrer could not see "
                   "points to (it joins the referral's children), or rejects it with a reason "
                   "(#20 item 8)")
    def post(self, request: Request, id: str, unseen_id: int) -> Response:
        data = _valid(UnseenLinkInputSerializer, request.data)
        user = api_user(request)
        if data["action"] == "confirm":
            linking.confirm_unseen_child(user, ref=id, unseen_id=unseen_id,
                                         version=data.get("version"))
        else:
            linking.reject_unseen_child(user, ref=id, unseen_id=unseen_id,
                                        reason=data.get("reason", ""),
                                        child=data.get("child", ""),
                                        version=data.get("version"))
        return _one(request, id)
