"""The board's counts of statutory clocks by month (QA1): ``GET /api/v1/deadlines/counts``, the
same figures as the timeliness page, for the same readers (``timeliness.may_read_counts``;
anyone else 403). Thin: parse, call ``timeliness``, shape the answer."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.api.fields import choose_one_of
from tarian.api.requests import api_user
from tarian.deadlines import timeliness
from tarian.deadlines.serializers import (
    CountsQuerySerializer,
    CountsSerializer,
    timescale_codes,
)
from tarian.errors import Refused


class CountsView(APIView):
    @extend_schema(
        operation_id="deadlines_counts",
        parameters=[CountsQuerySerializer],
        responses=CountsSerializer,
        summary="For the safeguarding board (board members; children's services team "
        "managers): per timescale and London month of the due time, how many statutory "
        "clocks were met on time, met late, are overdue, are open and not yet due, or were "
        "stopped. Counts only; no child is identifiable.",
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        timeliness.require_reader(user)
        now = timezone.now()
        params = request.query_params
        try:
            period = timeliness.parse_period(
                since=params.get("since"), until=params.get("until"),
                timescale=params.get("timescale"), now=now,
            )
        except Refused as refused:
            if "timescale" in refused.errors:
                # A partner system is told the codes it may send (API contract).
                refused.errors["timescale"] = [choose_one_of(timescale_codes())]
            raise
        figures = timeliness.timeliness(user, period=period, now=now)
        return Response(CountsSerializer({
            "since": timeliness.month_code(period.since),
            "until": timeliness.month_code(period.until),
            "timescale": period.timescale,
            "timescales": [
                {
                    "code": table.code, "name": table.name,
                    "target_share": table.target_share, "months": table.months,
                    "totals": table.totals,
                }
                for table in figures.tables
            ],
        }).data)
