"""Section 47 enquiries on the strategy meeting's page (EQ1, SM7): those the meeting started
(or whose findings it reviews), and, when it decided Section 47 enquiries, the link that starts
them for whoever may (``selectors.may_start``). Found by ``tarian.meetings.panels``."""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language

from tarian.agencies.models import User
from tarian.enquiries import selectors
from tarian.meetings.models import MeetingStatus
from tarian.meetings.selectors import MeetingRecord
from tarian.people.panels import Panel
from tarian.procedures.packs import current_pack

SECTION_47 = "section_47"


def panel(user: User, record: MeetingRecord) -> Panel | None:
    meeting = record.meeting
    decided = any(decision.code == SECTION_47 for decision in record.decisions)
    enquiries = list(
        selectors.enquiries_for(user)
        .filter(Q(strategy_meeting=meeting) | Q(review_meeting=meeting))
        .order_by("started_at", "pk")
    )
    if not decided and not enquiries:
        return None
    language = get_language() or "en"
    pack = current_pack()
    name = pack.term("section_47_enquiry_name", language)
    return Panel(
        template="enquiries/_meeting_panel.html",
        data={
            "name": name,
            "heading": capfirst(name),
            "started": [
                (e, pack.label("enquiry_types", e.type, language)
                 if e.type in pack.codes("enquiry_types") else e.type)
                for e in enquiries if e.strategy_meeting_id == meeting.pk
            ],
            "reviewed": [e for e in enquiries if e.review_meeting_id == meeting.pk],
            "may_start": decided and meeting.status != MeetingStatus.CANCELLED
            and selectors.may_start(user),
            "meeting_id": meeting.pk,
        },
    )
