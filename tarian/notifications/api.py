"""The notifications app's endpoint: acknowledging the receipt of something circulated (SM4),
thin, the same service as the page; and the shape of a workflow's ``circulation`` field."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.requests import api_user
from tarian.notifications.circulation import acknowledge
from tarian.notifications.selectors import AgencyReceipt


class AgencyReceiptSerializer(serializers.Serializer[AgencyReceipt]):
    """One agency's receipt in a workflow's ``circulation`` field: serialize
    ``latest_receipts_by_agency(...).values()`` with ``many=True``."""

    agency = serializers.CharField(source="agency_slug")
    sent_at = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)


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
