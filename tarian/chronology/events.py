"""The shape of a chronology event, and the registry of sources that produce them (IS1, IS2).

A source has two halves, registered together so that neither can be left out:

- ``readable(user, person)``: the records about the person that the user may open, from that
  kind of record's own access function (the same rule its own page applies: a referral is
  readable when ``referrals_for(user)`` holds it). Nothing else decides what a source shows.
- ``events(records, person)``: those records, and only those, as ``Event`` rows. It is given no
  user, so it cannot make an access decision of its own, only turn what it was given into
  events.

The record's own first event (made) comes with the person, whom the chronology reads through
``person_for``; every other event comes from a source. A workflow registers its source in its
own ``chronology.py`` (found by convention, as Django's admin finds ``admin.py``):
``tests/chronology/test_record_access.py`` proves, for every registered source, that someone
who may not open its records sees none of its events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from tarian.agencies.models import User
from tarian.people.models import Person


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str  # a stable code, e.g. "involvement_started"
    label: str  # what a practitioner reads, e.g. "School involvement started"
    agency_slug: str
    agency_name: str
    summary: str
    record_kind: str  # the sharing-rules record kind this event is read from
    link: str = ""
    # True when only the day is known (an involvement's start date): shown without a time.
    date_only: bool = False


Readable = Callable[[User, Person], QuerySet[Any]]
Events = Callable[[QuerySet[Any], Person], Iterable[Event]]


@dataclass(frozen=True)
class Source:
    name: str
    readable: Readable
    events: Events

    def events_for(self, user: User, person: Person) -> Iterable[Event]:
        """The person's events from the records of this source that ``user`` may open."""
        return self.events(self.readable(user, person), person)


_SOURCES: dict[str, Source] = {}


def register(name: str, *, readable: Readable) -> Callable[[Events], Events]:
    """Register a function that turns records into a person's events; ``readable`` is the
    access function that chooses those records for each reader."""

    def decorator(events: Events) -> Events:
        _SOURCES[name] = Source(name, readable, events)
        return events

    return decorator


@cache
def _discover() -> None:
    from tarian.chronology import sources as _shared  # noqa: F401 - registers the record's own

    autodiscover_modules("chronology")


def sources() -> dict[str, Source]:
    """Every registered source: the shared record's own (``tarian.chronology.sources``) and
    each installed app's ``chronology`` module."""
    _discover()
    return dict(_SOURCES)
