"""The shapes of ``GET /api/v1/deadlines/counts`` (QA1): the query it takes and the board's
figures it answers with."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tarian.api.fields import Choice
from tarian.procedures.packs import current_pack

MONTH_PATTERN = r"^\d{4}-\d{2}$"


def timescale_codes() -> list[str]:
    return list(current_pack().timescales)


class CountsQuerySerializer(serializers.Serializer[Any]):
    """The query parameters (documented; checked by ``timeliness.parse_period``)."""

    since = serializers.RegexField(
        MONTH_PATTERN, required=False,
        help_text="First month, YYYY-MM, included (default: 11 months before `until`).",
    )
    until = serializers.RegexField(
        MONTH_PATTERN, required=False,
        help_text="Last month, YYYY-MM, included (default: this month, London time). "
        "At most 36 months from `since`.",
    )
    timescale = Choice(
        timescale_codes, required=False, allow_blank=True, enum_name="TimescaleEnum",
        help_text="One timescale of the procedures pack; none for every timescale.",
    )


class MonthFiguresSerializer(serializers.Serializer[Any]):
    month = serializers.SerializerMethodField(help_text="YYYY-MM (London month of the due time)")
    met_on_time = serializers.IntegerField()
    met_late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Open and past its due time")
    pending = serializers.IntegerField(help_text="Open and not yet due")
    stopped = serializers.IntegerField(help_text="Ended another way, with a reason")
    due = serializers.IntegerField(help_text="met_on_time + met_late + overdue")
    share_on_time = serializers.FloatField(
        allow_null=True, help_text="met_on_time / due, from 0 to 1; null when none fell due",
    )

    def get_month(self, row: Any) -> str:
        return f"{row.month.year:04d}-{row.month.month:02d}"


class TotalsSerializer(MonthFiguresSerializer):
    month = None  # type: ignore[assignment]


class TimescaleFiguresSerializer(serializers.Serializer[Any]):
    timescale = Choice(timescale_codes, source="code", enum_name="TimescaleEnum")
    name = serializers.CharField(help_text="The timescale in the caller's language")
    target_share = serializers.FloatField(
        allow_null=True, help_text="The share the procedures expect met on time, where set",
    )
    months = MonthFiguresSerializer(many=True)
    totals = TotalsSerializer()


class CountsSerializer(serializers.Serializer[Any]):
    since = serializers.CharField(help_text="YYYY-MM")
    until = serializers.CharField(help_text="YYYY-MM")
    timescale = Choice(timescale_codes, allow_blank=True, enum_name="TimescaleEnum")
    timescales = TimescaleFiguresSerializer(many=True)
