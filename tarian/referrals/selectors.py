"""Reading referrals: narrowed by the sharing rules, audited, with each item's clock (FD3, FD4);
who may act on a referral now (``may_*``), and a referral as its page shows it (FD3-FD6).

Clocks (#20): the referrer's priority sets the decision timescale (the pack's own for each
priority: high is counted in hours, through nights, weekends and bank holidays); the Gateway
queue comes most urgent first, overdue at the top; a referral received out of office hours
names the emergency duty team that covers it; feedback to the referrer runs its own clock
from the decision, and the Gateway sees when it is overdue (FD5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from tarian import procedures
from tarian.agencies.access import can, scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.errors import NotFound, Restricted
from tarian.people.models import Person
from tarian.people.restriction import restriction_filter
from tarian.people.selectors import people_for
from tarian.procedures.clocks import Clock, ClockStatus, due_at, in_office_hours, status
from tarian.procedures.packs import Timescale, current_pack
from tarian.referrals.models import (
    DecisionMaker,
    GatewayDecision,
    Referral,
    ReferralReview,
    ReferralStatus,
    ReviewAction,
)
from tarian.referrals.unseen import UnseenRow, mark_hidden_children, unseen_rows


def referrals_for(
    user: User, action: str = Action.READ, record_kind: str = RecordKind.REFERRAL
) -> QuerySet[Referral]:
    """The referrals the user may ``action``; ``record_kind`` names a part of a referral (its
    decision, sign-off or supervisor review) whose rule decides instead. ``involved`` means
    made by the user's agency."""
    within = referral_scope(user, action, record_kind)
    return Referral.objects.none() if within is None else Referral.objects.filter(within)


def referral_scope(
    user: User,
    action: str = Action.READ,
    record_kind: str = RecordKind.REFERRAL,
    *,
    via: str = "",
) -> Q | None:
    """The filter ``referrals_for`` applies, for a query that reaches referrals through a
    relation (``via="referral__"`` from a referral's children or household); None when the
    user may see no referral. The same rule, so that a read joined from elsewhere (FD6: the
    whole child before a decision) is narrowed exactly as a list of referrals is."""
    scope = scope_for(user, record_kind, action)
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.INVOLVED and user.agency_id is not None:
        return Q(**{f"{via}referrer_agency_id": user.agency_id})
    return None


def with_parts(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals with everything a page or the API shows of them, in a fixed number of queries
    however many there are: referrer, agency, decision and its sign-off, children, household."""
    return referrals.select_related(
        "referrer",
        "referrer_agency",
        "decision__decided_by",
        "decision__sign_off__signed_off_by",
        "supervisor_approved_by",
    ).prefetch_related("children", "household", "unseen_children")


def withhold_restricted(user: User, referrals: Iterable[Referral]) -> None:
    """Mark each referral that names a restricted person the user may not open (not named on
    their record, no glass broken): ``withheld_for`` holds that person's Tarian ID, else "".

    A restricted record stays restricted inside a referral about it (IS1): wherever the
    referral is listed only its ID, status, clocks and agency are shown, and opening it asks
    for break-glass access to that person's record first. One query, and only when a listed
    referral names a restricted person."""
    chosen = list(referrals)
    prefetch_related_objects(chosen, "children", "household")
    # #20 item 8: a child linked from one the referrer could not see is not shown to the
    # referrer's agency at all (``unseen``), so it withholds nothing from them either.
    mark_hidden_children(user, chosen)
    restricted = {
        person.pk
        for referral in chosen
        for person in [*referral.shown_children(), *referral.household.all()]
        if person.is_restricted
    }
    openable: set[int] = set()
    if restricted:
        openable = set(
            Person.objects.filter(pk__in=restricted)
            .filter(restriction_filter(user))
            .values_list("pk", flat=True)
        )
    for referral in chosen:
        hidden = [
            person.ref
            for person in [*referral.shown_children(), *referral.household.all()]
            if person.pk in restricted and person.pk not in openable
        ]
        referral.withheld_for = hidden[0] if hidden else ""


def referral_for(user: User, ref: str) -> Referral:
    """One referral the user may read, or ``NotFound``; ``Restricted`` (with the person's
    Tarian ID) if it names a restricted person the user may not open. Its reading is audited
    once for each child and household member it names (IS4): it is about each of them, so
    each one's "who has viewed" and subject access show it."""
    referral = with_parts(referrals_for(user)).filter(ref=ref).first()
    if referral is None:
        raise NotFound(ref)
    withhold_restricted(user, [referral])
    if referral.withheld_for:
        raise Restricted(referral.withheld_for)
    children = referral.shown_children()
    audit_referrals(user, [referral], action=AccessAction.VIEW, detail={
        "children": [c.ref for c in children],
        "household": [p.ref for p in referral.household.all()],
    })
    return referral


def people_named(referrals: Iterable[Referral]) -> list[tuple[Referral, Person]]:
    """Each child and household member each referral names, in order, once per referral, as
    the reader they were marked for may see them (``withhold_restricted``; #20 item 8).
    Their children and household are loaded for all of them at once if they were not."""
    chosen = list(referrals)
    prefetch_related_objects(chosen, "children", "household", "unseen_children")
    named: list[tuple[Referral, Person]] = []
    for referral in chosen:
        seen: set[int] = set()
        for person in [*referral.shown_children(), *referral.household.all()]:
            if person.pk not in seen:
                seen.add(person.pk)
                named.append((referral, person))
    return named


def audit_referrals(
    user: User,
    referrals: Iterable[Referral],
    *,
    action: str = AccessAction.LIST,
    record_kind: str = RecordKind.REFERRAL,
    detail: dict[str, Any] | None = None,
) -> None:
    """One access event for each person each referral names (IS4), in one statement: for a
    referral read or acted on, and for every referral a list shows (call it with the page)."""
    named = people_named(referrals)
    record_accesses(
        user,
        action=action,
        record_kind=record_kind,
        person_ids=[person.pk for _referral, person in named],
        record_ids=[referral.ref for referral, _person in named],
        detail=detail,
    )


@dataclass(frozen=True)
class QueueItem:
    """A referral with the clock that applies to it now, and how long that clock has run."""

    referral: Referral
    age: dt.timedelta
    clock: Clock


def decision_timescale(priority: str) -> Timescale:
    """FD1, FD4: the Gateway decision timescale the referrer's priority sets (the pack names
    one for each priority). A priority the pack does not list has the standard one."""
    pack = current_pack()
    try:
        return pack.timescale_of("referrer_priorities", priority)
    except KeyError:
        return pack.timescale("gateway_decision")


def decision_due_at(priority: str, received_at: dt.datetime) -> dt.datetime:
    """When the Gateway must have decided a referral of ``priority`` received at
    ``received_at``: hours run through nights, weekends and bank holidays; working days skip
    weekends and the pack's bank holidays."""
    return due_at(decision_timescale(priority), received_at)


def with_clock(referral: Referral, *, now: dt.datetime) -> QueueItem:
    """The referral's clock as of ``now`` (FD3, FD4), whatever its status.

    Waiting for a police supervisor (or returned to the officer): the backlog clock from
    submission. A decision the team manager returned: the pack's
    ``gateway_decision_returned`` clock from the return. Received by the Gateway: the decision
    clock its priority sets, from receipt, met when the decision was
    recorded (a decided referral's ``decision`` is read: select it with the referral). ``age``
    runs from the clock's start to now, or to the decision once there is one.
    """
    decided = referral.status in (ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED)
    decision = getattr(referral, "decision", None) if decided else None
    if referral.received_at is None or referral.status in (
        ReferralStatus.AWAITING_SUPERVISOR, ReferralStatus.RETURNED_TO_REFERRER
    ):
        started = referral.submitted_at
        clock = procedures.clock("cru_backlog", started, now=now)
    elif referral.decision_returned_at is not None:
        # The team manager returned the decision: the Gateway decides again on the pack's
        # own clock from the return (#20).
        started = referral.decision_returned_at
        met_at = decision.decided_at if decision is not None else None
        timescale = current_pack().timescale("gateway_decision_returned")
        clock = status(timescale, started, now=now, met_at=met_at)
    else:
        started = referral.received_at
        met_at = decision.decided_at if decision is not None else None
        timescale = decision_timescale(referral.priority)
        clock = status(timescale, started, now=now, met_at=met_at)
    ended = decision.decided_at if decision is not None else now
    return QueueItem(referral, ended - started, clock)


def feedback_clock(referral: Referral, *, now: dt.datetime) -> Clock | None:
    """FD5: the pack's feedback timescale, running from the Gateway decision until someone is
    told the outcome (``feedback_sent_at``); None before a decision. It goes overdue while
    nobody has been told, also when nobody could be (select the decision with the referral)."""
    if referral.status not in (ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED):
        return None
    decision = getattr(referral, "decision", None)
    if decision is None:
        return None
    return procedures.clock(
        "feedback_to_referrer", decision.decided_at, now=now, met_at=referral.feedback_sent_at
    )


@dataclass(frozen=True)
class OutOfHoursCover:
    """Who covers a referral the Gateway received out of office hours: the partnership's
    emergency duty team (``settings.TARIAN_EMERGENCY_DUTY_TEAM*``)."""

    name_en: str
    name_cy: str
    phone: str

    def display_name(self, language: str = "en") -> str:
        return self.name_cy if language.startswith("cy") and self.name_cy else self.name_en


def out_of_hours_cover(referral: Referral) -> OutOfHoursCover | None:
    """#20: the emergency duty team, when the Gateway received the referral outside office
    hours (``settings.TARIAN_OFFICE_HOURS`` on a working day of the pack); None when it came
    in office hours or has not reached the Gateway yet (a police supervisor has it)."""
    if referral.received_at is None:
        return None
    hours = settings.TARIAN_OFFICE_HOURS
    if in_office_hours(referral.received_at, current_pack().subdivision, hours):
        return None
    return OutOfHoursCover(
        name_en=settings.TARIAN_EMERGENCY_DUTY_TEAM,
        name_cy=settings.TARIAN_EMERGENCY_DUTY_TEAM_CY,
        phone=settings.TARIAN_EMERGENCY_DUTY_TEAM_PHONE,
    )


def priority_rank(priority: str) -> int:
    """Where a referrer's priority comes in the Gateway queue, most urgent first: the pack lists
    its priorities in that order. A code the pack does not list comes last."""
    codes = current_pack().codes("referrer_priorities")
    return codes.index(priority) if priority in codes else len(codes)


@dataclass(frozen=True)
class FeedbackItem:
    """FD5: a decided referral whose referrer has not been told the outcome, with the feedback
    clock (from the decision)."""

    referral: Referral
    clock: Clock


def _by_time_left(item: QueueItem) -> tuple[dt.datetime, int, dt.datetime]:
    """Most urgent first: the earliest due time (the most overdue at the top), then the more
    urgent priority, then the longest waiting. Due times compare in UTC."""
    return (
        item.clock.due_at.astimezone(dt.UTC),
        priority_rank(item.referral.priority),
        item.clock.started_at.astimezone(dt.UTC),
    )


def gateway_work(
    user: User, *, now: dt.datetime | None = None
) -> tuple[list[QueueItem], list[FeedbackItem]]:
    """The Gateway's work as of ``now``: referrals waiting for a decision, most urgent first
    (the time left on the clock each one's priority sets; overdue at the top), and decided
    referrals whose feedback to the referrer is overdue (FD5), most overdue first.

    One read for both (with their children and agencies): a decided referral nobody has been
    told of is work in progress like one waiting for a decision, so the queue's cost does not
    grow with the referrals that are done."""
    moment = now or timezone.now()
    waiting = (
        referrals_for(user, Action.LIST)
        .filter(
            Q(status=ReferralStatus.AWAITING_DECISION)
            | Q(
                status__in=(ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED),
                feedback_sent_at__isnull=True,
            )
        )
        # "decision": none yet for the queue, and the join says so without a query per
        # referral; the feedback clock runs from it.
        .select_related("referrer", "referrer_agency", "decision")
        .prefetch_related("children")
    )
    referrals = list(waiting)
    withhold_restricted(user, referrals)
    queue = [
        with_clock(referral, now=moment)
        for referral in referrals
        if referral.status == ReferralStatus.AWAITING_DECISION
    ]
    queue.sort(key=_by_time_left)
    overdue = [
        FeedbackItem(referral, clock)
        for referral in referrals
        if referral.status != ReferralStatus.AWAITING_DECISION
        and (clock := feedback_clock(referral, now=moment)) is not None
        and clock.status == ClockStatus.OVERDUE
    ]
    overdue.sort(key=lambda item: item.clock.remaining)
    return queue, overdue


def gateway_queue(user: User, *, now: dt.datetime | None = None) -> list[QueueItem]:
    """Referrals waiting for a decision, most urgent first: by the time left on the clock the
    referrer's priority sets, the overdue at the top (then the more urgent priority)."""
    return gateway_work(user, now=now)[0]


def supervisor_queue(user: User, *, now: dt.datetime | None = None) -> list[QueueItem]:
    """FD3: police referrals waiting for a supervisor, oldest first, with the backlog clock."""
    moment = now or timezone.now()
    waiting = (
        referrals_for(user, Action.LIST)
        .filter(status=ReferralStatus.AWAITING_SUPERVISOR)
        .select_related("referrer", "referrer_agency", "decision")
        .prefetch_related("children")
        .order_by("submitted_at")
    )
    referrals = list(waiting)
    withhold_restricted(user, referrals)
    return [with_clock(referral, now=moment) for referral in referrals]


@dataclass(frozen=True)
class ReferralLists:
    """The referrals page: the queues the user works, decisions to sign off, recent ones."""

    gateway: list[QueueItem]
    supervisor: list[QueueItem]
    awaiting_sign_off: list[FeedbackItem]
    recent: list[Referral]
    # FD5: decided referrals whose referrer should have been told by now (the Gateway's).
    feedback_overdue: list[FeedbackItem]


def referral_lists(user: User, *, now: dt.datetime | None = None) -> ReferralLists:
    """What the referrals page shows this user; the children the queues name are audited."""
    moment = now or timezone.now()
    gateway, feedback_overdue = (
        gateway_work(user, now=moment)
        if can(user, RecordKind.GATEWAY_DECISION, Action.WRITE)
        else ([], [])
    )
    supervisor = (
        supervisor_queue(user, now=moment)
        if can(user, RecordKind.SUPERVISOR_REVIEW, Action.WRITE) else []
    )
    # Each with its feedback clock: the referrer is told when the manager signs off (FD5).
    awaiting_sign_off = [
        FeedbackItem(referral, clock)
        for referral in referrals_for(user, Action.LIST)
        .filter(status=ReferralStatus.AWAITING_SIGN_OFF)
        .select_related("referrer_agency", "decision")
        if (clock := feedback_clock(referral, now=moment)) is not None
    ] if can(user, RecordKind.DECISION_SIGN_OFF, Action.WRITE) else []
    recent = list(
        referrals_for(user, Action.LIST)
        .select_related("referrer_agency")
        .order_by("-submitted_at")[:25]
    )
    # The queues name each referral's children; the other lists show only the referral.
    shown = [item.referral for item in [*gateway, *supervisor]] + [
        item.referral for item in feedback_overdue
    ]
    named = [
        (referral, child) for referral in shown for child in referral.children.all()
    ]
    record_accesses(
        user,
        action=AccessAction.LIST,
        record_kind=RecordKind.REFERRAL,
        person_ids=[child.pk for _referral, child in named],
        record_ids=[referral.ref for referral, _child in named],
        detail={"list": "referrals"},
    )
    return ReferralLists(gateway, supervisor, awaiting_sign_off, recent, feedback_overdue)


def decisions_by_threshold_level(codes: Iterable[str]) -> dict[str, int]:
    """How many Gateway decisions record each of these levels of need (FD7).

    Counts only, no referral or person: the threshold guide asks before a level is removed,
    because a level that decisions record must stay (taken out of use instead).
    """
    rows = (
        GatewayDecision.objects.filter(threshold_level__in=list(codes))
        .values("threshold_level")
        .annotate(decisions=Count("pk"))
    )
    return {row["threshold_level"]: row["decisions"] for row in rows}


# Who may act on a referral now. The services refuse the same things; these let a page offer
# only what would be accepted, and the API and the page answer alike.


def may_decide(user: User, referral: Referral) -> bool:
    """FD4: the Gateway decides a referral that is waiting for a decision."""
    return referral.status == ReferralStatus.AWAITING_DECISION and can(
        user, RecordKind.GATEWAY_DECISION, Action.WRITE
    )


def made_the_decision(user: User, decision: GatewayDecision) -> bool:
    """FD4: the person who made a Gateway decision may not also sign it off."""
    return decision.decided_by_id == user.pk


def may_sign_off(user: User, referral: Referral) -> bool:
    """FD4: a manager, not the decider, signs off a decision waiting for sign-off (select the
    decision with the referral)."""
    decision: GatewayDecision | None = getattr(referral, "decision", None)
    return (
        referral.status == ReferralStatus.AWAITING_SIGN_OFF
        and can(user, RecordKind.DECISION_SIGN_OFF, Action.WRITE)
        and decision is not None
        and not made_the_decision(user, decision)
    )


def may_approve(user: User, referral: Referral) -> bool:
    """FD3: a police supervisor sends on a referral waiting for supervisor review."""
    return referral.status == ReferralStatus.AWAITING_SUPERVISOR and can(
        user, RecordKind.SUPERVISOR_REVIEW, Action.WRITE
    )


def may_resubmit(user: User, referral: Referral) -> bool:
    """FD3 (#20): the officer who made a referral their supervisor returned sends it again."""
    return (
        referral.status == ReferralStatus.RETURNED_TO_REFERRER
        and referral.referrer_id == user.pk
        and can(user, RecordKind.REFERRAL, Action.WRITE)
    )


# Review steps the referrer's agency reads: its own supervisor's and officer's. How the Gateway
# and its manager reviewed a decision is children's services' own record; the referrer is told
# the outcome, the level of need and any comment the manager chose to share (FD5, #20).
REFERRER_REVIEW_ACTIONS = (ReviewAction.RETURNED_TO_REFERRER, ReviewAction.RESUBMITTED)


def reads_gateway_review(user: User) -> bool:
    """Whether the user reads how the Gateway's decisions were reviewed: those who read every
    referral (children's services, auditors), not a referrer's agency."""
    return scope_for(user, RecordKind.REFERRAL, Action.READ) == Scope.ALL


def review_history(user: User, referral: Referral) -> list[ReferralReview]:
    """#20: the referral's review steps the user may read, oldest first (returns with their
    reasons, the officer's answers, a decision the manager replaced). Read only for a referral
    that has any: one that was returned, or whose decision is the manager's."""
    decision: GatewayDecision | None = getattr(referral, "decision", None)
    if (
        referral.supervisor_returned_at is None
        and referral.decision_returned_at is None
        and (decision is None or decision.made_as != DecisionMaker.MANAGER)
    ):
        return []
    steps = referral.reviews.select_related("by", "to").order_by("at", "pk")
    if not reads_gateway_review(user):
        steps = steps.filter(action__in=REFERRER_REVIEW_ACTIONS)
    return list(steps)


def shows_manager_comment(user: User, referral: Referral) -> bool:
    """FD5 (#20): the manager's sign-off comment is read by children's services, and by the
    referrer's agency only when the manager chose to tell the referrer."""
    decision: GatewayDecision | None = getattr(referral, "decision", None)
    sign_off = getattr(decision, "sign_off", None) if decision is not None else None
    if sign_off is None or not sign_off.comment:
        return False
    return bool(sign_off.share_comment) or reads_gateway_review(user)


def may_send_feedback(user: User, referral: Referral) -> bool:
    """FD5: the Gateway tries again to tell someone the outcome of a decided referral that
    nobody has been told of yet."""
    return (
        referral.status == ReferralStatus.DECIDED
        and referral.feedback_sent_at is None
        and can(user, RecordKind.GATEWAY_DECISION, Action.WRITE)
    )


@dataclass(frozen=True)
class ReferralPage:
    """A referral as one user reads it, what they may do with it now, and its feedback clock."""

    referral: Referral
    decision: GatewayDecision | None
    may_decide: bool
    may_sign_off: bool
    may_approve: bool
    may_send_feedback: bool
    # #20: the officer sends a returned referral again; the review steps so far.
    may_resubmit: bool
    reviews: list[ReferralReview]
    shows_manager_comment: bool
    feedback_clock: Clock | None
    # FD4 (#20): the decision clock the referrer's priority sets, once the Gateway has the
    # referral (None while a police supervisor has it), and who covers it out of hours.
    decision_clock: Clock | None
    out_of_hours: OutOfHoursCover | None
    # #20 item 8: children the referrer could not see, as this user may read them.
    unseen: list[UnseenRow]

    @property
    def shows_history(self) -> bool:
        """FD6: whoever decides or signs off sees the children's earlier referrals first."""
        return self.may_decide or self.may_sign_off


def referral_page(user: User, ref: str, *, now: dt.datetime | None = None) -> ReferralPage:
    """One referral the user may read (``referral_for``: ``NotFound``, ``Restricted``, its
    reading audited), with what they may do with it as of ``now``."""
    referral = referral_for(user, ref)
    moment = now or timezone.now()
    received = referral.received_at is not None
    # A decision the team manager returned is not the decision any more: it is in the
    # review history until the Gateway decides again (#20).
    waiting = referral.status == ReferralStatus.AWAITING_DECISION
    return ReferralPage(
        referral=referral,
        decision=None if waiting else getattr(referral, "decision", None),
        may_decide=may_decide(user, referral),
        may_sign_off=may_sign_off(user, referral),
        may_approve=may_approve(user, referral),
        may_send_feedback=may_send_feedback(user, referral),
        may_resubmit=may_resubmit(user, referral),
        reviews=review_history(user, referral),
        shows_manager_comment=shows_manager_comment(user, referral),
        feedback_clock=feedback_clock(referral, now=moment),
        decision_clock=with_clock(referral, now=moment).clock if received else None,
        out_of_hours=out_of_hours_cover(referral),
        unseen=unseen_rows(user, referral),
    )


def named_people(user: User, referral: Referral) -> tuple[list[tuple[Person, bool]], ...]:
    """The referral's children and its household, each with whether the user may open that
    person's record (a link), in one query."""
    children = referral.shown_children()
    household = list(referral.household.all())
    openable = set(
        people_for(user)
        .filter(pk__in=[p.pk for p in [*children, *household]])
        .values_list("pk", flat=True)
    )
    return (
        [(person, person.pk in openable) for person in children],
        [(person, person.pk in openable) for person in household],
    )
