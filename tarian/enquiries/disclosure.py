"""Section 47 enquiries about a person, for their subject access export (IS4; issue 21).

Each enquiry about the person as a child: its type and the rationale, when it started, when
the person was seen (alone or not) and their views in their own words, why they were not seen
if they were not, the outcome and the analysis of risk. Other children's visits and reasons are
withheld; the lead and those who saw the child are staff."""

from __future__ import annotations

from typing import Any

from tarian.core.disclosure import (
    STAFF,
    Disclosure,
    Table,
    choice_label,
    disclosure_section,
    iso_moment,
)
from tarian.enquiries.models import ChildSeen, Enquiry, EnquiryStatus
from tarian.people.models import Person
from tarian.procedures.packs import current_pack


@disclosure_section(
    "enquiries",
    order=91,
    records=[Enquiry, ChildSeen],
    tables=[Table("Section 47 enquiries", ("enquiries",), (
        ("Enquiry", 1.4, "reference"), ("Type", 2.2, "type"), ("Started", 1.8, "started_at"),
        ("Seen", 1.8, "seen_at"), ("Outcome", 2.6, "outcome"), ("Analysis", 4, "analysis"),
    ))],
    withheld=[
        "- Section 47 enquiries: the other children's visits, views and reasons for not being "
        "seen are withheld; the lead and the practitioners who saw the child are staff.",
    ],
    before_release=[
        "- Section 47 enquiries: the rationale, the analysis of risk and the child's views are "
        "included as staff wrote them; read them and remove anything about other people.",
    ],
)
def enquiries(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    who, now = disclosure.person, disclosure.now
    pack = current_pack()
    found = Enquiry.objects.filter(children=who, started_at__lte=now).select_related(
        "lead_agency"
    ).order_by("started_at", "id")
    seen: dict[int, list[ChildSeen]] = {}
    for row in ChildSeen.objects.filter(enquiry__in=found, child=who, recorded_at__lte=now):
        seen.setdefault(row.enquiry_id, []).append(row)
    items = []
    for enquiry in found:
        concluded = enquiry.concluded_at is not None and enquiry.concluded_at <= now
        visits = seen.get(enquiry.pk, [])
        items.append({
            "reference": enquiry.reference,
            "type": pack.label("enquiry_types", enquiry.type, "en"),
            "rationale": enquiry.rationale,
            "lead": STAFF,
            "lead_agency": disclosure.agency(enquiry.lead_id, enquiry.lead_agency.name),
            "started_at": iso_moment(enquiry.started_at),
            "seen_at": iso_moment(visits[0].seen_at) if visits else None,
            "seen": [
                {"seen_at": iso_moment(v.seen_at), "seen_alone": v.seen_alone,
                 "views": v.views, "seen_by": STAFF}
                for v in visits
            ],
            "not_seen_reason": enquiry.not_seen_reasons.get(who.ref) if concluded else None,
            "status": choice_label(EnquiryStatus, enquiry.status if concluded else "open"),
            "outcome": pack.label("enquiry_outcomes", enquiry.outcome, "en")
            if concluded and enquiry.outcome else "",
            "analysis": enquiry.analysis if concluded else "",
        })
    return items
