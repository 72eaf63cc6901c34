"""Meetings about a person, for their subject access export (IS4; issue 21).

Every meeting the person is a child of (or the professional of), up to the export's moment:
its kind and dates, the agencies invited and how they answered, what each shared, the risk
analysis, decisions with their rationale (a decision about another child is withheld),
dissents, addenda and approved minutes. The chair and the staff who recorded each part are
staff (their organisation is kept); the other children a meeting is about are counted, not
named. Draft minutes are not disclosed: they are not yet the meeting's record."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tarian.core.disclosure import (
    STAFF,
    WITHHELD,
    Disclosure,
    Table,
    choice_label,
    disclosure_section,
    iso_day,
    iso_moment,
)
from tarian.meetings.models import (
    InvitationStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    MinutesStatus,
)
from tarian.people.models import Person
from tarian.procedures.packs import current_pack


def _label(list_name: str, code: str) -> str:
    pack = current_pack()
    return pack.label(list_name, code, "en") if code in pack.codes(list_name) else code


@disclosure_section(
    "meetings",
    order=90,
    records=[Meeting, MeetingDecision],
    tables=[Table("Meetings", ("meetings",), (
        ("Meeting", 1.4, "reference"), ("Kind", 2.4, "kind"), ("Held", 1.8, "held_at"),
        ("Agencies invited", 3, "agencies"), ("Decisions", 4.4, "decisions_text"),
    ))],
    withheld=[
        "- Meetings: the other children a meeting is about are counted, not named; a decision "
        "about another child only is withheld; who chaired and recorded each part is staff.",
    ],
    before_release=[
        "- Meetings: the information each agency shared, the risk analysis, the rationales, "
        "dissents, addenda and minutes are included as staff wrote them; read them and remove "
        "anything about other people (police intelligence especially).",
    ],
)
def meetings(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    who, now = disclosure.person, disclosure.now
    found = (
        Meeting.objects.filter(Q(children=who) | Q(professional=who), convened_at__lte=now)
        .distinct()
        .select_related("convening_agency")
        .prefetch_related(
            "children", "invitations__agency", "contributions__agency", "decisions",
            "dissents__agency", "addenda", "minutes",
        )
        .order_by("convened_at", "id")
    )
    items = []
    for meeting in found:
        decisions = [
            {
                "decision": _label(d.list_name, d.code),
                "rationale": d.rationale if d.child_id in (None, who.pk) else WITHHELD,
                "recorded_at": iso_moment(d.recorded_at),
            }
            for d in meeting.decisions.all() if d.recorded_at <= now
        ]
        minutes = getattr(meeting, "minutes", None)
        items.append({
            "reference": meeting.reference,
            "kind": _label("meeting_kinds", meeting.kind),
            "convened_at": iso_moment(meeting.convened_at),
            "convened_by": disclosure.agency(meeting.convened_by_id,
                                             meeting.convening_agency.name),
            "chair": STAFF,
            "held_at": iso_moment(meeting.held_at) if meeting.held_at
            and meeting.held_at <= now else None,
            "status": choice_label(MeetingStatus, meeting.status),
            "other_children": len([c for c in meeting.children.all() if c.pk != who.pk]),
            "agencies": ", ".join(
                f"{i.agency.name} ({choice_label(InvitationStatus, i.status)})"
                for i in meeting.invitations.all()
            ),
            "information_shared": [
                {"agency": c.agency.name, "text": c.text, "shared_at": iso_moment(c.shared_at)}
                for c in meeting.contributions.all() if c.shared_at <= now
            ],
            "risk_analysis": meeting.risk_analysis,
            "decisions": decisions,
            "decisions_text": "; ".join(
                f"{d['decision']}: {d['rationale']}" for d in decisions
            ),
            "dissents": [
                {"agency": x.agency.name, "what": x.what, "reason": x.reason,
                 "recorded_at": iso_moment(x.recorded_at)}
                for x in meeting.dissents.all() if x.recorded_at <= now
            ],
            "addenda": [
                {"text": a.text, "agreed_on": iso_day(a.agreed_on)}
                for a in meeting.addenda.all() if a.recorded_at <= now
            ],
            "minutes": minutes.text if minutes is not None
            and minutes.status == MinutesStatus.APPROVED and minutes.approved_at
            and minutes.approved_at <= now else None,
        })
    return items
