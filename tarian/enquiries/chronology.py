"""Chronology source for Section 47 enquiries (issue 21; EQ1, EQ2, VC1): started (with the
type), the child seen (alone or not), concluded (with the outcome). Read by whoever may read
the strategy meeting that started them; another child's visit is not on this child's
chronology."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind, User
from tarian.chronology.events import Event, register
from tarian.enquiries.models import ChildSeen, Enquiry
from tarian.enquiries.selectors import enquiries_for
from tarian.people.models import Person
from tarian.procedures.packs import current_pack


def _short(text: str) -> str:
    return Truncator(text).words(45, truncate="…") if len(text) > 300 else text


def _event(enquiry: Enquiry, at: dt.datetime, kind: str, label: str, summary: str,
           language: str) -> Event:
    agency = enquiry.lead_agency
    return Event(
        at=at, kind=kind, label=label, agency_slug=agency.slug,
        agency_name=agency.display_name(language), summary=summary,
        record_kind=RecordKind.MEETING, link=f"/enquiries/{enquiry.pk}",
    )


def enquiries_about(user: User, person: Person) -> QuerySet[Enquiry]:
    return enquiries_for(user).filter(children=person)


@register("enquiries", readable=enquiries_about)
def enquiry_events(enquiries: QuerySet[Enquiry], person: Person) -> Iterator[Event]:
    language = get_language() or "en"
    pack = current_pack()
    name = capfirst(pack.term("section_47_enquiry_name", language))
    chosen = list(enquiries.select_related("lead_agency").prefetch_related(
        Prefetch("seen", queryset=ChildSeen.objects.filter(child=person), to_attr="own_visits")
    ))
    for enquiry in chosen:
        yield _event(
            enquiry, enquiry.started_at, "enquiry_started",
            _("%(name)s started: %(type)s") % {
                "name": name, "type": pack.label("enquiry_types", enquiry.type, language)},
            _short(enquiry.rationale), language,
        )
        for visit in enquiry.own_visits:
            yield _event(
                enquiry, visit.seen_at, "enquiry_child_seen",
                _("Child seen alone") if visit.seen_alone else _("Child seen"),
                _short(visit.views), language,
            )
        if enquiry.concluded_at is not None:
            yield _event(
                enquiry, enquiry.concluded_at, "enquiry_concluded",
                _("%(name)s concluded: %(outcome)s") % {
                    "name": name,
                    "outcome": pack.label("enquiry_outcomes", enquiry.outcome, language)},
                _short(enquiry.analysis), language,
            )
