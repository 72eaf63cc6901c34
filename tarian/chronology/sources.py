"""The shared record's chronology: the record made, and the source of agencies involved.

The involvements source reads only what ``tarian.people.selectors`` lets the reader open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind
from tarian.chronology.events import Event, register
from tarian.people import vocabulary
from tarian.people.models import Involvement, Person
from tarian.people.selectors import involvements_of


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def in_sentence(label: str) -> str:
    """A role's label inside a sentence: "social worker", but "GP" and "CAMHS" as written
    (#20 item 10: plain labels, never a code or a lower-cased acronym)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def record_created(person: Person) -> Event:
    """The record's own first event. The chronology is read for a person the reader may see
    (``person_for``), so this one needs no source: every other event comes from one."""
    agency = person.created_by_agency
    return Event(
        at=person.created_at,
        kind="record_created",
        label=_("Record created"),
        agency_slug=agency.slug if agency else "",
        agency_name=agency.display_name(get_language() or "en") if agency else "",
        summary=_("Tarian record created"),
        record_kind=RecordKind.PERSON,
    )


@register("involvements", readable=involvements_of)
def involvement_events(involvements: QuerySet[Involvement], person: Person) -> Iterator[Event]:
    language = get_language() or "en"
    for involvement in involvements.select_related("agency"):
        role = involvement.get_role_display()
        who = involvement.agency.display_name(language)
        yield Event(
            at=_start_of(involvement.start_date),
            kind="involvement_started",
            label=_("%(role)s involvement started") % {"role": role},
            agency_slug=involvement.agency.slug,
            agency_name=who,
            summary=_("%(agency)s began working with the child as %(role)s")
            % {"agency": who, "role": in_sentence(role)},
            record_kind=RecordKind.INVOLVEMENT,
            date_only=True,
        )
        if involvement.end_date is not None:
            # A standard reason in the reader's language (#20 item 11); others as written.
            reason = (
                vocabulary.end_reason(involvement.end_reason, language)
                if involvement.end_reason else _("no reason recorded")
            )
            yield Event(
                at=_start_of(involvement.end_date),
                kind="involvement_ended",
                label=_("%(role)s involvement ended") % {"role": role},
                agency_slug=involvement.agency.slug,
                agency_name=who,
                summary=_("%(agency)s stopped working with the child: %(reason)s")
                % {"agency": who, "reason": reason},
                record_kind=RecordKind.INVOLVEMENT,
                date_only=True,
            )
