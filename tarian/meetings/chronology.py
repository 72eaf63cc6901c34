"""Chronology source for meetings about a child (issue 21; SM1, SM2, SM4, IS2): convened, held,
each decision with its rationale, each dissent, minutes approved and circulated, cancelled.

A reader sees a meeting's events only if they may see the meeting itself
(``selectors.meetings_for``: children's services, and the agencies invited to it); a decision
about another child only is not shown on this child's chronology."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, RecordKind, User
from tarian.chronology.events import Event, register
from tarian.meetings.kinds import decision_list
from tarian.meetings.models import Dissent, Meeting, MeetingStatus, Minutes, MinutesStatus
from tarian.meetings.selectors import meetings_for
from tarian.people.models import Person
from tarian.procedures.packs import current_pack


def _short(text: str) -> str:
    return Truncator(text).words(45, truncate="…") if len(text) > 300 else text


@dataclass(frozen=True)
class _Where:
    agency: Agency
    link: str
    language: str


def _event(at: dt.datetime, kind: str, label: str, summary: str, where: _Where) -> Event:
    return Event(
        at=at, kind=kind, label=label, agency_slug=where.agency.slug,
        agency_name=where.agency.display_name(where.language), summary=summary,
        record_kind=RecordKind.MEETING, link=where.link,
    )


def meetings_about(user: User, person: Person) -> QuerySet[Meeting]:
    return meetings_for(user).filter(children=person)


@register("meetings", readable=meetings_about)
def meeting_events(meetings: QuerySet[Meeting], person: Person) -> Iterator[Event]:
    language = get_language() or "en"
    pack = current_pack()
    chosen = list(
        meetings.select_related("convening_agency", "minutes").prefetch_related(
            "decisions", Prefetch("dissents", queryset=Dissent.objects.select_related("agency"))
        )
    )
    for meeting in chosen:
        where = _Where(meeting.convening_agency, f"/meetings/{meeting.pk}", language)
        kind = pack.label("meeting_kinds", meeting.kind, language)
        yield _event(meeting.convened_at, "meeting_convened",
                     _("%(kind)s convened") % {"kind": kind}, meeting.reference, where)
        if meeting.status == MeetingStatus.CANCELLED:
            yield _event(meeting.modified_at, "meeting_cancelled",
                         _("%(kind)s cancelled") % {"kind": kind},
                         _short(meeting.cancelled_reason), where)
        if meeting.held_at is not None:
            yield _event(meeting.held_at, "meeting_held", _("%(kind)s held") % {"kind": kind},
                         _short(meeting.risk_analysis), where)
        list_name = decision_list(meeting.kind)
        for decision in meeting.decisions.all():
            if decision.child_id not in (None, person.pk):
                continue
            name = list_name or decision.list_name
            outcome = (
                pack.label(name, decision.code, language)
                if decision.code in pack.codes(name) else decision.code
            )
            yield _event(
                decision.recorded_at, "meeting_decision",
                _("Decision of the %(kind)s: %(decision)s") % {
                    "kind": kind.lower(), "decision": outcome},
                _short(decision.rationale), where,
            )
        for dissent in meeting.dissents.all():
            yield _event(
                dissent.recorded_at, "meeting_dissent",
                _("%(agency)s disagreed") % {"agency": dissent.agency.display_name(language)},
                _short(dissent.reason), _Where(dissent.agency, where.link, language),
            )
        try:
            minutes: Minutes | None = meeting.minutes
        except Minutes.DoesNotExist:
            minutes = None
        if minutes is not None and minutes.status == MinutesStatus.APPROVED and minutes.approved_at:
            yield _event(minutes.approved_at, "meeting_minutes",
                         _("Minutes approved and circulated"), meeting.reference, where)
