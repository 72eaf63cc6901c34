"""The conference on its meeting's page (CP1): the due time, the quorum, the report requests,
each child's voice and advocacy, and the outcomes, with links to the report and outcome pages.
Found by ``tarian.meetings.panels``."""

from __future__ import annotations

from django.utils import timezone

from tarian.agencies.models import User
from tarian.conferences.models import Conference
from tarian.conferences.selectors import report_status
from tarian.conferences.services import INITIAL_KIND
from tarian.meetings.selectors import MeetingRecord
from tarian.people.panels import Panel


def panel(user: User, record: MeetingRecord) -> Panel | None:
    if record.meeting.kind != INITIAL_KIND:
        return None
    conference = Conference.objects.filter(pk=record.meeting.pk).first()
    if conference is None:
        return None
    now = timezone.now()
    visible = {child.pk for child in record.children}
    reports = list(conference.report_requests.select_related("agency"))
    return Panel(
        template="conferences/_meeting_panel.html",
        data={
            "conference": conference,
            "reports": [(row, report_status(row, now)) for row in reports],
            "children": [row for row in conference.children.select_related("child")
                         if row.child_id in visible],
            "outcomes": [row for row in conference.outcomes.select_related("child", "key_worker")
                         if row.child_id in visible],
            "may_record_outcome": record.is_chair,
        },
    )
