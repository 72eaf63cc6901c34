"""The notifications app's endpoint: acknowledging the receipt of something circulated (SM4).
Thin: the same service as the page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.requests import api_user
from tarian.notifications.circulation import acknowledge


class AcknowledgedSerializer(serializers.Serializer[dict[str, object]]):
    id = serializers.IntegerField()
    acknowledged_at = serializers.DateTimeField()


class AcknowledgeReceiptView(APIView):
    @extend_schema(
        operation_id="receipts_acknowledge",
        request=None,
        responses=AcknowledgedSerializer,
        summary="Acknowledge receipt of something circulated to the caller or to their agency "
        "as a whole (someone else's is 404); acknowledging again keeps the first time",
    )
    def post(self, request: Request, id: int) -> Response:
        receipt = acknowledge(api_user(request), receipt_id=id)
        return Response(
            AcknowledgedSerializer(
                {"id": receipt.pk, "acknowledged_at": receipt.acknowledged_at}
            ).data
        )
