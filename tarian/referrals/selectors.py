"""Reading referrals: narrowed by the sharing rules, audited, with each item's clock (FD3, FD4);
who may act on a referral now (``may_*``), and a referral as its page shows it (FD3-FD6).

Clocks (#20): the referrer's priority sets the decision timescale (the pack's own for each
priority: high is counted in hours, through nights, weekends and bank holidays); the Gateway
queue comes most urgent first, overdue at the top; a referral received out of office hours
names the emergency duty team that covers it; feedback to the referrer runs its own clock
from the decision, and the Gateway sees when it is overdue (FD5).

The queues read the clocks' rows (issue 21, ``referrals/deadlines.py``): the Gateway's queue,
the feedback that is overdue, the decisions waiting for sign-off and the police supervisor's
queue are the open ``deadlines.Deadline`` rows of their subject kinds, their status worked out
by the database and in the database's order (most urgent first), then the referrals they time
by primary key: a fixed number of statements however long the queue is. A referral naming
several children has a row per child; it is listed once, by its earliest due row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.utils import timezone

from tarian import procedures
from tarian.agencies.access import can, scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.deadlines.models import OPEN, Deadline
from tarian.deadlines.selectors import status_in_sql
from tarian.errors import NotFound, Restricted
from tarian.people.models import Person
from tarian.people.restriction import restriction_filter
from tarian.people.selectors import people_for
from tarian.procedures.clocks import (
    LONDON,
    Clock,
    ClockStatus,
    due_at,
    in_office_hours,
    status,
)
from tarian.procedures.packs import Timescale, current_pack
from tarian.referrals.deadlines import DECISION, FEEDBACK, SUPERVISOR
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


def priority_rank_in_sql() -> Case:
    """``priority_rank`` of a referral's ``priority``, as a SQL expression."""
    codes = current_pack().codes("referrer_priorities")
    return Case(
        *[When(priority=code, then=Value(rank)) for rank, code in enumerate(codes)],
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def _subject_keys(referrals: QuerySet[Referral]) -> QuerySet[Referral, dict[str, Any]]:
    """The referrals' primary keys as deadline subject ids (text): a subquery that finds
    their rows through the ``(subject_kind, subject_id)`` index."""
    return referrals.annotate(
        subject_key=Cast("pk", output_field=CharField())
    ).values("subject_key")


def _open_rows(kind: str, referrals: QuerySet[Referral], *, now: dt.datetime) -> QuerySet[
    Deadline
]:
    """The open rows of ``kind`` timing these referrals, each with its ``status`` at ``now``
    computed by the database."""
    return Deadline.objects.filter(
        OPEN, subject_kind=kind, subject_id__in=_subject_keys(referrals)
    ).annotate(status=status_in_sql(now))


def _by_urgency(rows: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Most urgent first, in the database: the earliest due time (the most overdue at the
    top), then the more urgent priority of the referral, then the longest waiting."""
    priority = Referral.objects.filter(
        pk=Cast(OuterRef("subject_id"), output_field=BigIntegerField())
    ).annotate(rank=priority_rank_in_sql()).values("rank")[:1]
    return rows.annotate(
        priority_rank=Subquery(priority, output_field=IntegerField())
    ).order_by("due_at", "priority_rank", "started_at", "pk")


def _earliest_per_referral(rows: Iterable[Deadline]) -> list[Deadline]:
    """One row per referral (a row per child is written): the first in the order read, which
    is the earliest due."""
    first: dict[tuple[str, str], Deadline] = {}
    for row in rows:
        first.setdefault((row.subject_kind, row.subject_id), row)
    return list(first.values())


def _clock_of(row: Deadline, *, now: dt.datetime) -> Clock:
    """A row as the ``Clock`` pages and the API show: its times in London (as the clock
    engine gives them), the status the database worked out, the time left to its due time
    (or, once met, the margin it was met by)."""
    end = row.met_at if row.met_at is not None else now
    return Clock(
        timescale=current_pack().timescale(row.timescale),
        started_at=row.started_at.astimezone(LONDON),
        due_at=row.due_at.astimezone(LONDON),
        due_soon_at=row.due_soon_at.astimezone(LONDON),
        status=ClockStatus(row.status),  # type: ignore[attr-defined]
        # In UTC: two London times subtract by their wall clocks across a clock change.
        remaining=row.due_at.astimezone(dt.UTC) - end.astimezone(dt.UTC),
        met_at=row.met_at.astimezone(LONDON) if row.met_at is not None else None,
    )


def _referrals_of(
    user: User, referrals: QuerySet[Referral], rows: Iterable[Deadline]
) -> dict[str, Referral]:
    """The referrals these rows time, by subject id, with what the queues show of them (the
    referrer, their agency, the decision, the children), marked for what the user may not
    see (``withhold_restricted``): one statement, and one per relation loaded."""
    keys = {int(row.subject_id) for row in rows if row.subject_id.isdigit()}
    if not keys:
        return {}
    found = list(
        referrals.filter(pk__in=keys)
        .select_related("referrer", "referrer_agency", "decision")
        .prefetch_related("children")
    )
    withhold_restricted(user, found)
    return {str(referral.pk): referral for referral in found}


def _queue_items(
    rows: Iterable[Deadline], referrals: dict[str, Referral], *, now: dt.datetime
) -> list[QueueItem]:
    items = []
    for row in rows:
        referral = referrals.get(row.subject_id)
        if referral is not None:
            clock = _clock_of(row, now=now)
            age = now.astimezone(dt.UTC) - row.started_at.astimezone(dt.UTC)
            items.append(QueueItem(referral, age, clock))
    return items


def _feedback_items(
    rows: Iterable[Deadline], referrals: dict[str, Referral], *, now: dt.datetime
) -> list[FeedbackItem]:
    return [
        FeedbackItem(referrals[row.subject_id], _clock_of(row, now=now))
        for row in rows
        if row.subject_id in referrals
    ]


def gateway_work(
    user: User, *, now: dt.datetime | None = None
) -> tuple[list[QueueItem], list[FeedbackItem]]:
    """The Gateway's work as of ``now``: referrals waiting for a decision, most urgent first
    (the time left on the clock each one's priority sets, or on the clock of a decision the
    manager returned; overdue at the top), and decided referrals whose feedback to the
    referrer is overdue (FD5), most overdue first.

    Both from the clocks' rows (issue 21): one statement for the rows of both, in order, one
    for their referrals (with the referrer and the decision) and one for each relation the
    queue shows or withholds by (children, household, children the referrer could not see).
    A decided referral nobody has been told of is work in progress like one waiting for a
    decision, so the cost does not grow with the referrals that are done."""
    moment = now or timezone.now()
    listed = referrals_for(user, Action.LIST)
    waiting = listed.filter(status=ReferralStatus.AWAITING_DECISION)
    untold = listed.filter(
        status__in=(ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED),
        feedback_sent_at__isnull=True,
    )
    decisions = Q(subject_kind=DECISION, subject_id__in=_subject_keys(waiting))
    feedback = Q(subject_kind=FEEDBACK, subject_id__in=_subject_keys(untold), due_at__lt=moment)
    rows = _earliest_per_referral(_by_urgency(
        Deadline.objects.filter(OPEN).filter(decisions | feedback)
        .annotate(status=status_in_sql(moment))
    ))
    referrals = _referrals_of(user, listed, rows)
    queue = _queue_items(
        [row for row in rows if row.subject_kind == DECISION], referrals, now=moment
    )
    overdue = _feedback_items(
        [row for row in rows if row.subject_kind == FEEDBACK], referrals, now=moment
    )
    return queue, overdue


def gateway_queue(user: User, *, now: dt.datetime | None = None) -> list[QueueItem]:
    """Referrals waiting for a decision, most urgent first: by the time left on the clock the
    referrer's priority sets, the overdue at the top (then the more urgent priority)."""
    return gateway_work(user, now=now)[0]


def supervisor_queue(user: User, *, now: dt.datetime | None = None) -> list[QueueItem]:
    """FD3: police referrals waiting for a supervisor, oldest first (the backlog clock runs
    from submission, so the earliest due), with the backlog clock: its open rows, then their
    referrals (issue 21). A referral returned to the officer is theirs until sent again."""
    moment = now or timezone.now()
    listed = referrals_for(user, Action.LIST)
    waiting = listed.filter(status=ReferralStatus.AWAITING_SUPERVISOR)
    rows = _earliest_per_referral(
        _open_rows(SUPERVISOR, waiting, now=moment).order_by("due_at", "started_at", "pk")
    )
    return _queue_items(rows, _referrals_of(user, listed, rows), now=moment)


def sign_off_queue(user: User, *, now: dt.datetime | None = None) -> list[FeedbackItem]:
    """FD4, FD5: decisions waiting for the manager's sign-off, each with its feedback clock
    (the referrer is told when the manager signs off), the feedback due soonest first: the
    open feedback rows, then their referrals."""
    moment = now or timezone.now()
    listed = referrals_for(user, Action.LIST)
    waiting = listed.filter(status=ReferralStatus.AWAITING_SIGN_OFF)
    rows = _earliest_per_referral(
        _open_rows(FEEDBACK, waiting, now=moment).order_by("due_at", "pk")
    )
    keys = {int(row.subject_id) for row in rows if row.subject_id.isdigit()}
    referrals = {
        str(referral.pk): referral
        for referral in listed.filter(pk__in=keys).select_related("referrer_agency", "decision")
    } if keys else {}
    return _feedback_items(rows, referrals, now=moment)


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
    awaiting_sign_off = (
        sign_off_queue(user, now=moment)
        if can(user, RecordKind.DECISION_SIGN_OFF, Action.WRITE) else []
    )
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
