"""Chronology sources for the shared record itself: the record made, agencies involved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind
from tarian.chronology.events import Event, register
from tarian.people.models import Involvement, Person


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@register("people")
def person_events(person: Person) -> Iterator[Event]:
    agency = person.created_by_agency
    yield Event(
        at=person.created_at,
        kind="record_created",
        label=_("Record created"),
        agency_slug=agency.slug if agency else "",
        agency_name=agency.name if agency else "",
        summary=_("Tarian record created"),
        record_kind=RecordKind.PERSON,
    )


@register("involvements")
def involvement_events(person: Person) -> Iterator[Event]:
    for involvement in Involvement.objects.filter(person=person).select_related("agency"):
        role = involvement.get_role_display()
        who = involvement.agency.name
        yield Event(
            at=_start_of(involvement.start_date),
            kind="involvement_started",
            label=_("%(role)s involvement started") % {"role": role},
            agency_slug=involvement.agency.slug,
            agency_name=who,
            summary=_("%(agency)s began working with the child as %(role)s")
            % {"agency": who, "role": role.lower()},
            record_kind=RecordKind.INVOLVEMENT,
        )
        if involvement.end_date is not None:
            reason = involvement.end_reason or _("no reason recorded")
            yield Event(
                at=_start_of(involvement.end_date),
                kind="involvement_ended",
                label=_("%(role)s involvement ended") % {"role": role},
                agency_slug=involvement.agency.slug,
                agency_name=who,
                summary=_("%(agency)s stopped working with the child: %(reason)s")
                % {"agency": who, "reason": reason},
                record_kind=RecordKind.INVOLVEMENT,
            )
