"""Template filters for the front door's pages: the pack's names for outcomes and priorities,
the queue's order and its clocks (FD3, FD4)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tarian.procedures.clocks import ClockStatus
from tarian.procedures.packs import current_pack
from tarian.referrals import selectors

register = template.Library()


@register.filter
def clock_label(status: str) -> str:
    """A clock's status (pending, due soon, overdue ...) in the current language."""
    return ClockStatus(status).label(get_language() or "en")


@register.filter
def outcome_label(code: str) -> str:
    """A Gateway outcome code as the procedures pack names it."""
    return current_pack().label("gateway_outcomes", code, get_language() or "en")


@register.filter
def priority_label(code: str) -> str:
    """A referrer's priority (high, medium, standard) as the procedures pack names it."""
    return current_pack().label("referrer_priorities", code, get_language() or "en")


@register.filter
def priority_rank(code: str) -> int:
    """Sort key for priorities, most urgent first: the Gateway queue's own order."""
    return selectors.priority_rank(code)
