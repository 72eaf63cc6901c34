"""Where the child stands, on their record page (#20 item 10, IS2): the referrals about them
that the reader may open, open ones and those of the last twelve months, each with its
status and decision. Shown through ``tarian.people.panels``, so that people never imports
referrals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.people.models import Person
from tarian.people.panels import Panel
from tarian.procedures.packs import current_pack
from tarian.referrals.models import Referral, ReferralStatus
from tarian.referrals.selectors import referrals_for, with_parts, withhold_restricted

RECENT_DAYS = 365  # decided referrals shown on the record page: those of the last year
SHOWN = 10  # at most, newest first; the chronology lists every one


@dataclass(frozen=True)
class Standing:
    referral: Referral
    outcome: str  # the decision in the pack's words, "" before one
    decided_at: dt.datetime | None


def referrals_about(
    user: User, person: Person, *, now: dt.datetime | None = None
) -> list[Standing]:
    """The referrals about the child the user may open: every open one, and those decided in
    the last ``RECENT_DAYS``, newest first (at most ``SHOWN``); in a fixed number of queries."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    referrals = list(
        with_parts(referrals_for(user).filter(children=person))
        .exclude(status=ReferralStatus.DECIDED, submitted_at__lt=since)
        .order_by("-submitted_at", "-pk")[:SHOWN]
    )
    withhold_restricted(user, referrals)
    pack, language = current_pack(), get_language() or "en"
    found = []
    for referral in referrals:
        decision = getattr(referral, "decision", None)
        found.append(
            Standing(
                referral=referral,
                outcome=pack.label("gateway_outcomes", decision.outcome, language)
                if decision is not None
                else "",
                decided_at=decision.decided_at if decision is not None else None,
            )
        )
    return found


def panel(user: User, person: Person) -> Panel | None:
    if scope_for(user, RecordKind.REFERRAL, Action.READ) == Scope.NONE:
        return None
    return Panel("referrals/_person_referrals.html", {"standing": referrals_about(user, person)})
