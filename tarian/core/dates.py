"""The plausible range of every date a person gives Tarian (IS3; API contract: bad input is a
4xx naming the field).

A date outside these ranges is a typing slip or hostile input, never a fact about a child: a
date of birth in 0001 or an involvement starting in 0853 is refused where it is typed, so that
nothing downstream (the chronology's date-times, the matcher's day-either-side keys) has to
cope with it. Services call ``check_date`` or ``parse_date``; serializers and forms only show
the service's message on the field it names.

Every range starts on 1 January 1900. How far ahead a date may be depends on what it is:

- ``BIRTH``: a date of birth (also one asked about in a match): today at the latest;
- ``EXPECTED``: an unborn baby's expected date: at most ten months from today;
- ``EVENT``: something that happened or is recorded as ending (an involvement's start and end,
  a filter of the chronology): at most a year from today. A service may narrow this further
  (an involvement cannot start in the future).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(1900, 1, 1)
EXPECTED_DAYS_AHEAD = 305  # ten months: a pregnancy is known of at most about 40 weeks ahead
EVENT_DAYS_AHEAD = 366
# Only the contract's form (Python would also take 20160304 and 2016-W09-5).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateKind(StrEnum):
    BIRTH = "birth"
    EXPECTED = "expected"
    EVENT = "event"


def plausible_range(kind: DateKind, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date (both included) that a date of this kind may be."""
    today = today or timezone.localdate()
    if kind == DateKind.BIRTH:
        return EARLIEST, today
    ahead = EXPECTED_DAYS_AHEAD if kind == DateKind.EXPECTED else EVENT_DAYS_AHEAD
    return EARLIEST, today + dt.timedelta(days=ahead)


def check_date(value: dt.date, kind: DateKind, *, today: dt.date | None = None) -> str | None:
    """Why ``value`` is not a plausible date of this kind, or None if it is."""
    first, last = plausible_range(kind, today=today)
    if value < first:
        if kind == DateKind.BIRTH:
            return _("Date of birth must be after 1900")
        return _("Enter a date in 1900 or later")
    if value > last:
        if kind == DateKind.BIRTH:
            return _("Date of birth must be today or in the past")
        if kind == DateKind.EXPECTED:
            return _("The expected date must be no more than 10 months from today")
        return _("Enter a date no more than a year from today")
    return None


def parse_date(
    value: object,
    *,
    name: str,
    kind: DateKind,
    errors: dict[str, list[str]],
    required: bool = False,
    today: dt.date | None = None,
) -> dt.date | None:
    """``value`` (a date, or text ``YYYY-MM-DD``) as a plausible date, or None with the
    problem added to ``errors`` under ``name``. Blank is None, a problem only if ``required``."""
    if value is None or value == "":
        if required:
            errors.setdefault(name, []).append(_("Enter a date"))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
                raise ValueError(value)
            value = dt.date.fromisoformat(value)
        except ValueError:
            errors.setdefault(name, []).append(_("Enter a real date as YYYY-MM-DD"))
            return None
    problem = check_date(value, kind, today=today)
    if problem is not None:
        errors.setdefault(name, []).append(problem)
        return None
    return value
