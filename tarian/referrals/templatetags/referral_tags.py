"""Template filters for the front door's pages: the pack's names for outcomes and priorities,
the queue's order and its clocks in words (FD3, FD4, FD5)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.core.durations import duration_words
from tarian.procedures.clocks import Clock, ClockStatus
from tarian.procedures.packs import current_pack
from tarian.referrals import police, selectors
from tarian.referrals.models import Referral

register = template.Library()


@register.filter
def clock_label(status: str) -> str:
    """A clock's status (pending, due soon, overdue ...) in the current language."""
    return ClockStatus(status).label(get_language() or "en")


@register.filter
def duration(length: dt.timedelta) -> str:
    """A length of time in words in the current language: "2 h 10 min", "2 ddiwrnod, 3 awr"."""
    return duration_words(length)


@register.filter
def time_left(clock: Clock) -> str:
    """How long is left on a clock, or how late it is, in words: "due in 2 h 10 min",
    "overdue by 1 day 3 h"; once met, "met" or "met late by 2 h"."""
    words = duration_words(clock.remaining)
    if clock.status == ClockStatus.OVERDUE:
        return _("overdue by %(time)s") % {"time": words}
    if clock.status == ClockStatus.MET_LATE:
        return _("met late by %(time)s") % {"time": words}
    if clock.status == ClockStatus.MET:
        return clock.label(get_language() or "en")
    return _("due in %(time)s") % {"time": words}


@register.filter
def outcome_label(code: str) -> str:
    """A Gateway outcome code as the procedures pack names it."""
    return current_pack().label("gateway_outcomes", code, get_language() or "en")


@register.filter
def incident_marker(referral: Referral) -> str:
    """A police referral's incident type, as the pack names it, for the queues (#20 item 9)."""
    return police.incident_marker(referral, get_language() or "en")


@register.filter
def priority_label(code: str) -> str:
    """A referrer's priority (high, medium, standard) as the procedures pack names it."""
    return current_pack().label("referrer_priorities", code, get_language() or "en")


@register.filter
def priority_rank(code: str) -> int:
    """Sort key for priorities, most urgent first: the Gateway queue's own order."""
    return selectors.priority_rank(code)


@register.filter
def as_date(value: object) -> object:
    """A date kept as text ("2017-10-31", in a form's hidden field) as a date, for the ``date``
    filter; anything else as it is."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value
