"""The dashboard's chart (QA1): each month of a timescale as a horizontal bar of the clocks due
then — met on time, met late, overdue — drawn as inline SVG (no script, no inline style: the
Content-Security-Policy allows neither). The table beside it holds the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.formats import date_format

from tarian.deadlines.timeliness import TimescaleTable

register = template.Library()

ROW_HEIGHT = 24
BAR_HEIGHT = 16
LABEL_WIDTH = 96
BAR_WIDTH = 296
# GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11).
ON_TIME, LATE, OVERDUE = "#00703c", "#1d70b8", "#d4351c"


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    segments: tuple[Segment, ...]


@register.inclusion_tag("deadlines/_chart.html")
def timeliness_chart(table: TimescaleTable, caption_id: str) -> dict[str, object]:
    largest = max([1, *(row.due for row in table.months)])
    bars = []
    for index, row in enumerate(table.months):
        x = float(LABEL_WIDTH)
        segments = []
        for count, fill in ((row.met_on_time, ON_TIME), (row.met_late, LATE),
                            (row.overdue, OVERDUE)):
            if count:
                width = round(count / largest * BAR_WIDTH, 1)
                segments.append(Segment(x=round(x, 1), width=width, fill=fill))
                x += width
        y = index * ROW_HEIGHT + 4
        bars.append(Bar(label=date_format(row.month, "M Y"), y=y, text_y=y + 12,
                        segments=tuple(segments)))
    return {
        "bars": bars, "caption_id": caption_id,
        "width": LABEL_WIDTH + BAR_WIDTH + 8, "height": len(bars) * ROW_HEIGHT + 8,
        "label_x": LABEL_WIDTH - 6, "colours": {"on_time": ON_TIME, "late": LATE,
                                                "overdue": OVERDUE},
    }
