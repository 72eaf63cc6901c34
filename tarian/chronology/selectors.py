"""Reading a child's chronology, narrowed to what the viewer may open, and audited (IS1, IS2,
IS4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access
from tarian.chronology.events import Event, sources
from tarian.chronology.sources import record_created
from tarian.core.dates import DateKind, parse_date
from tarian.errors import Refused
from tarian.people.models import Person
from tarian.people.selectors import person_for


@dataclass(frozen=True)
class Chronology:
    person: Person
    events: list[Event]
    agencies: list[tuple[str, str]]  # (slug, name) of every agency with an event, for filtering
    agency_filter: str


# The UK Government Security Classification for case records about children and families.
DEFAULT_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"


def protective_marking() -> str:
    """The marking a printed chronology carries at its top and foot (``TARIAN_PROTECTIVE_MARKING``;
    the default, OFFICIAL-SENSITIVE, in the reader's language)."""
    marking = str(getattr(settings, "TARIAN_PROTECTIVE_MARKING", "") or "").strip()
    if not marking or marking == DEFAULT_PROTECTIVE_MARKING:
        return _("OFFICIAL-SENSITIVE")
    return marking


def parse_since(raw: str) -> dt.date | None:
    """The ``since`` filter as typed (``YYYY-MM-DD``, blank for none), or ``Refused`` naming it."""
    errors: dict[str, list[str]] = {}
    since = parse_date(raw.strip(), name="since", kind=DateKind.EVENT, errors=errors)
    if errors:
        raise Refused(errors)
    return since


def chronology_for(
    user: User, ref: str, *, agency: str = "", since: dt.date | None = None
) -> Chronology:
    """The person's events, newest first; ``NotFound``/``Restricted`` as for their record."""
    person = person_for(user, ref)
    events: list[Event] = [record_created(person)]
    for source in sources().values():
        # Each source shows only the records its own access function lets the user open.
        events.extend(source.events_for(user, person))
    agencies = sorted(
        {(e.agency_slug, e.agency_name) for e in events if e.agency_slug}, key=lambda a: a[1]
    )
    if agency:
        events = [e for e in events if e.agency_slug == agency]
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        events = [e for e in events if e.at >= start]
    events.sort(key=lambda e: (e.at, e.kind), reverse=True)
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind="chronology",
        record_id=person.ref,
        person_id=person.pk,
        detail={"agency": agency} if agency else None,
    )
    return Chronology(person, events, agencies, agency)
