"""The shape of a chronology event, and the registry of sources that produce them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


Source = Callable[[Person], Iterable[Event]]
_SOURCES: dict[str, Source] = {}


def register(name: str) -> Callable[[Source], Source]:
    """Register a function that yields a person's events from one app's records."""

    def decorator(source: Source) -> Source:
        _SOURCES[name] = source
        return source

    return decorator


def sources() -> dict[str, Source]:
    return dict(_SOURCES)
