"""What follows a Gateway decision, registered by the workflow that carries it on (issue 21).

The front door does not import the workflows after it: a later workflow registers here (in its
``AppConfig.ready``) what it starts when a decision of an outcome is recorded, and what it
undoes when the team manager returns that decision. The registered functions run inside the
decision's transaction, so the decision and what follows it are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tarian.agencies.models import User
from tarian.referrals.models import GatewayDecision, Referral

Started = Callable[[User, Referral, GatewayDecision, dt.datetime], None]
Undone = Callable[[User, Referral, dt.datetime], None]

_STARTED: dict[str, list[Started]] = {}
_UNDONE: list[Undone] = []


def on_decision(outcome: str, started: Started, undone: Undone | None = None) -> None:
    """Run ``started`` when a decision of ``outcome`` is recorded, and ``undone`` when a
    decision is returned or replaced (it finds for itself whether it started anything)."""
    if started not in _STARTED.setdefault(outcome, []):
        _STARTED[outcome].append(started)
    if undone is not None and undone not in _UNDONE:
        _UNDONE.append(undone)


def decision_recorded(
    user: User, referral: Referral, decision: GatewayDecision, moment: dt.datetime
) -> None:
    for undone in _UNDONE:
        undone(user, referral, moment)
    for started in _STARTED.get(decision.outcome, []):
        started(user, referral, decision, moment)


def decision_returned(user: User, referral: Referral, moment: dt.datetime) -> None:
    for undone in _UNDONE:
        undone(user, referral, moment)
