"""The front door's clocks as deadline rows (issue 21; FD4, FD5): the Gateway's decision and
the feedback to the referrer, written by the referral services in their own transactions
through the shared ``tarian.deadlines`` mechanism, and what those rows are called on a page.

- **The Gateway's decision** (``referral_decision``): starts when the Gateway receives the
  referral (submission, or the police supervisor's approval) on the timescale the referrer's
  priority sets (``selectors.decision_timescale``) — the same due time as
  ``Referral.decision_due_at``; one row per child the referral names (decision 16), for anyone
  with the ``gateway_worker`` role. Met when the Gateway (or the team manager, in its place)
  records a decision. A decision the team manager returns leaves that row met and starts a new
  one on ``gateway_decision_returned``, owned by the worker who decided.
- **Feedback to the referrer** (``referral_feedback``): the pack's ``feedback_to_referrer`` from
  the decision, met when someone is told the outcome; a decision that is returned or replaced
  stops it (the next decision starts it again).
- **The police supervisor's backlog** (``referral_supervisor``, FD3): the pack's ``cru_backlog``
  from the officer's submission, one row per child, for anyone with the ``cru_supervisor`` role
  at the referrer's agency; met when a supervisor sends the referral on to the Gateway. A
  referral the supervisor returns to the officer stays on the same clock, from the first
  submission, through the officer's answer (as the backlog was counted before it was a row):
  the clock times the unit's queue, and a return does not start it again.

The Gateway's and the supervisor's queues read these rows (``selectors.gateway_work``,
``selectors.supervisor_queue``) instead of working each clock out again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.services import meet_clock, start_clocks, stop_clock
from tarian.deadlines.subjects import Subject, register_subject
from tarian.people.models import Person
from tarian.referrals.models import Referral
from tarian.referrals.words import pack_words

DECISION = "referral_decision"
FEEDBACK = "referral_feedback"
SUPERVISOR = "referral_supervisor"
BACKLOG_TIMESCALE = "cru_backlog"
SUPERVISOR_ROLE = "cru_supervisor"
FEEDBACK_TIMESCALE = "feedback_to_referrer"
RETURNED_TIMESCALE = "gateway_decision_returned"
GATEWAY_ROLE = "gateway_worker"


def _children(referral: Referral, children: Sequence[Person] | None) -> Sequence[Person | None]:
    people: Sequence[Person | None] = (
        list(children) if children is not None else list(referral.children.all())
    )
    return people or [None]


def start_decision_clock(
    referral: Referral, *, timescale: str, started_at: dt.datetime,
    children: Sequence[Person] | None = None, owner: User | None = None,
) -> None:
    """The Gateway must decide: one row per child, due when ``referral.decision_due_at``
    says (both from ``timescale``)."""
    start_clocks(
        timescale=timescale, subject_kind=DECISION, subject_id=referral.pk,
        started_at=started_at, people=_children(referral, children), owner=owner,
        role="" if owner is not None else GATEWAY_ROLE,
    )


def decision_recorded(referral: Referral, *, decided_at: dt.datetime) -> None:
    """A decision is recorded: the decision clock is met and the feedback clock starts from it
    (one that ran from an earlier decision stops: this one replaces it)."""
    meet_clock(subject_kind=DECISION, subject_id=referral.pk, met_at=decided_at)
    stop_clock(
        subject_kind=FEEDBACK, subject_id=referral.pk, stopped_at=decided_at,
        reason="decision replaced",
    )
    start_clocks(
        timescale=FEEDBACK_TIMESCALE, subject_kind=FEEDBACK, subject_id=referral.pk,
        started_at=decided_at, people=_children(referral, None), role=GATEWAY_ROLE,
    )


def decision_returned(referral: Referral, *, returned_at: dt.datetime, worker: User) -> None:
    """The team manager returned the decision: its feedback clock stops, and the worker decides
    again on the pack's ``gateway_decision_returned`` clock."""
    stop_clock(
        subject_kind=FEEDBACK, subject_id=referral.pk, stopped_at=returned_at,
        reason="decision returned",
    )
    start_decision_clock(
        referral, timescale=RETURNED_TIMESCALE, started_at=returned_at, owner=worker
    )


def feedback_sent(referral: Referral, *, sent_at: dt.datetime) -> None:
    meet_clock(subject_kind=FEEDBACK, subject_id=referral.pk, met_at=sent_at)


def start_backlog_clock(
    referral: Referral, *, submitted_at: dt.datetime, children: Sequence[Person] | None = None
) -> None:
    """FD3: a police referral waits for a supervisor: the pack's ``cru_backlog`` from
    submission, one row per child, for the supervisors of the referrer's agency."""
    start_clocks(
        timescale=BACKLOG_TIMESCALE, subject_kind=SUPERVISOR, subject_id=referral.pk,
        started_at=submitted_at, people=_children(referral, children),
        agency=referral.referrer_agency, role=SUPERVISOR_ROLE,
    )


def supervisor_approved(referral: Referral, *, approved_at: dt.datetime) -> None:
    """FD3: a supervisor sent the referral on to the Gateway: the backlog clock is met."""
    meet_clock(subject_kind=SUPERVISOR, subject_id=referral.pk, met_at=approved_at)


def register() -> None:
    """Called from ``ReferralsConfig.ready``: what the front door's clocks are called."""
    register_subject(
        DECISION, label=lambda: _("Gateway decision"),
        describe=_describe_decisions,
    )
    register_subject(
        FEEDBACK, label=lambda: _("Feedback to the referrer"),
        describe=_describe_feedback,
    )
    register_subject(
        SUPERVISOR, label=lambda: _("Supervisor review of a police referral"),
        describe=_describe_supervisor_review,
    )


def _describe_decisions(user: User, subject_ids: list[str]) -> dict[str, Subject]:
    return _subjects(user, subject_ids, lambda ref, words: _(
        "Decide on %(report)s %(ref)s") % {"ref": ref, **words})


def _describe_feedback(user: User, subject_ids: list[str]) -> dict[str, Subject]:
    return _subjects(user, subject_ids, lambda ref, words: _(
        "Tell the referrer the outcome of %(report)s %(ref)s") % {"ref": ref, **words})


def _describe_supervisor_review(user: User, subject_ids: list[str]) -> dict[str, Subject]:
    return _subjects(user, subject_ids, lambda ref, words: _(
        "Review police %(report)s %(ref)s and send it on") % {"ref": ref, **words})


def _subjects(
    user: User, subject_ids: list[str], text: Callable[[str, dict[str, str]], str]
) -> dict[str, Subject]:
    from tarian.referrals.selectors import referrals_for

    ids = [int(subject_id) for subject_id in subject_ids if subject_id.isdigit()]
    words = pack_words()
    return {
        str(pk): Subject(text=text(ref, words), link=f"/referrals/{ref}")
        for pk, ref in referrals_for(user).filter(pk__in=ids).values_list("pk", "ref")
    }
