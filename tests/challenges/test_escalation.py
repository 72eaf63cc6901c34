"""Answering and escalating a professional challenge (PC1, SM2 "the chair can escalate";
issue 21): each tier's clock is a deadline row, stopped when the challenge escalates and met
when it is resolved; an overdue tier escalates by the clock, once; nothing vanishes."""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.challenges import services
from tarian.challenges.models import Challenge, ChallengeStatus, StepKind
from tarian.deadlines.models import Deadline
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tests.challenges.conftest import DECISION, KIND, RAISED_AT, REASON, World

pytestmark = pytest.mark.django_db

LATER = RAISED_AT + dt.timedelta(hours=3)
ESCALATION = (
    "The team manager agreed the bruising was not explored but will not reconvene the "
    "strategy discussion, so the service manager needs to decide."
)
RESOLUTION = (
    "Agreed with the school to hold a strategy discussion tomorrow with the police and the "
    "health visitor; the child will be seen at school first."
)


def _raised(world: World) -> Challenge:
    return services.raise_challenge(
        world.raiser, about_kind=KIND, about_id=DECISION, reason=REASON, now=RAISED_AT
    )


def _rows(challenge: Challenge) -> list[Deadline]:
    return list(
        Deadline.objects.filter(subject_kind="challenge", subject_id=str(challenge.pk))
        .order_by("started_at", "pk")
    )


def test_pc1_the_raiser_escalates_and_the_next_tiers_clock_starts(world: World) -> None:
    challenge = _raised(world)

    services.escalate(world.raiser, challenge_id=challenge.pk, reason=ESCALATION, now=LATER,
                      version=1)

    challenge.refresh_from_db()
    assert challenge.tier == 2 and challenge.version == 2
    first, second = _rows(challenge)
    assert (first.timescale, first.met_at, first.stopped_at, first.stop_reason) == (
        "challenge_tier_1", None, LATER, "escalated to tier 2"
    )
    assert (second.timescale, second.started_at, second.is_open) == (
        "challenge_tier_2", LATER, True
    )
    kinds = [(s.kind, s.tier, s.by) for s in challenge.steps.all()]
    assert kinds == [(StepKind.RAISED, 1, world.raiser), (StepKind.ESCALATED, 2, world.raiser)]


def test_sm2_a_responder_may_escalate_too(world: World) -> None:
    challenge = _raised(world)

    services.escalate(world.responder, challenge_id=challenge.pk, reason=ESCALATION, now=LATER)

    challenge.refresh_from_db()
    assert challenge.tier == 2


def test_pc1_escalating_needs_a_reason_and_changes_nothing_when_refused(world: World) -> None:
    challenge = _raised(world)

    with pytest.raises(Refused) as refused:
        services.escalate(world.raiser, challenge_id=challenge.pk, reason="because", now=LATER)

    assert list(refused.value.errors) == ["reason"]
    challenge.refresh_from_db()
    assert challenge.tier == 1 and len(_rows(challenge)) == 1


def test_pc1_beyond_the_last_tier_is_refused_naming_tier(world: World) -> None:
    challenge = _raised(world)
    for hours in (1, 2, 3):
        services.escalate(world.raiser, challenge_id=challenge.pk, reason=ESCALATION,
                          now=RAISED_AT + dt.timedelta(hours=hours))

    with pytest.raises(Refused) as refused:
        services.escalate(world.raiser, challenge_id=challenge.pk, reason=ESCALATION, now=LATER)

    assert list(refused.value.errors) == ["tier"]
    challenge.refresh_from_db()
    assert challenge.tier == 4
    assert [row.timescale for row in _rows(challenge)] == [
        f"challenge_tier_{n}" for n in range(1, 5)
    ]


def test_pc1_an_outsider_cannot_escalate_and_an_onlooker_is_forbidden(world: World) -> None:
    challenge = _raised(world)

    with pytest.raises(NotFound):
        services.escalate(world.outsider, challenge_id=challenge.pk, reason=ESCALATION)
    with pytest.raises(Forbidden):
        services.escalate(world.onlooker, challenge_id=challenge.pk, reason=ESCALATION)
    with pytest.raises(NotFound):
        services.escalate(world.raiser, challenge_id=999999, reason=ESCALATION)


def test_pc1_a_stale_version_is_a_conflict(world: World) -> None:
    challenge = _raised(world)
    services.respond(world.responder, challenge_id=challenge.pk, text="Looking into it now.",
                     resolved=False, now=LATER)

    with pytest.raises(Conflict):
        services.escalate(world.raiser, challenge_id=challenge.pk, reason=ESCALATION, version=1)


def test_pc1_a_response_keeps_it_open_and_resolving_meets_the_clock(world: World) -> None:
    challenge = _raised(world)

    services.respond(world.responder, challenge_id=challenge.pk, text="Looking into it now.",
                     resolved=False, now=LATER)
    [row] = _rows(challenge)
    assert row.is_open
    services.respond(world.responder, challenge_id=challenge.pk, text=RESOLUTION, resolved=True,
                     now=LATER + dt.timedelta(hours=1))

    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.RESOLVED
    assert (challenge.resolution, challenge.resolved_by) == (RESOLUTION, world.responder)
    [row] = _rows(challenge)
    assert row.met_at == LATER + dt.timedelta(hours=1) and row.stopped_at is None
    assert [s.kind for s in challenge.steps.all()] == [
        StepKind.RAISED, StepKind.RESPONDED, StepKind.RESOLVED
    ]
    with pytest.raises(Refused):
        services.escalate(world.raiser, challenge_id=challenge.pk, reason=ESCALATION)


def test_pc1_a_resolution_needs_reasons_and_only_responders_answer(world: World) -> None:
    challenge = _raised(world)

    with pytest.raises(Refused) as refused:
        services.respond(world.responder, challenge_id=challenge.pk, text="NFA", resolved=True)
    assert list(refused.value.errors) == ["text"]
    with pytest.raises(Refused) as empty:
        services.respond(world.responder, challenge_id=challenge.pk, text=" ", resolved=False)
    assert list(empty.value.errors) == ["text"]
    with pytest.raises(Forbidden):
        services.respond(world.raiser, challenge_id=challenge.pk, text=RESOLUTION, resolved=True)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN


def test_pc1_withdrawing_stops_the_clock_and_keeps_the_record(world: World) -> None:
    challenge = _raised(world)

    with pytest.raises(Forbidden):
        services.withdraw(world.responder, challenge_id=challenge.pk, reason="Not theirs")
    services.withdraw(world.raiser, challenge_id=challenge.pk,
                      reason="The decision was changed", now=LATER)

    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.WITHDRAWN
    [row] = _rows(challenge)
    assert (row.stopped_at, row.stop_reason) == (LATER, "withdrawn")
    assert challenge.steps.count() == 2


def test_pc2_overdue_tier_escalates_by_the_clock_once(world: World) -> None:
    challenge = _raised(world)
    [first] = _rows(challenge)
    after = first.due_at + dt.timedelta(minutes=1)

    assert services.escalate_overdue(now=first.due_at - dt.timedelta(minutes=1)) == 0
    assert services.escalate_overdue(now=after) == 1
    assert services.escalate_overdue(now=after) == 0  # idempotent

    challenge.refresh_from_db()
    assert challenge.tier == 2
    first, second = _rows(challenge)
    assert (first.stopped_at, first.stop_reason) == (after, "escalated to tier 2")
    assert (second.timescale, second.started_at) == ("challenge_tier_2", after)
    step = challenge.steps.last()
    assert step is not None
    assert (step.kind, step.tier, step.by, step.text) == (
        StepKind.ESCALATED, 2, None, services.CLOCK_ESCALATED
    )
    assert "escalated" in services.tick_job(after)


def test_pc2_the_clock_stops_at_the_last_tier(world: World) -> None:
    challenge = _raised(world)
    moment = RAISED_AT
    for _tier in range(3):
        [row] = [r for r in _rows(challenge) if r.is_open]
        moment = row.due_at + dt.timedelta(minutes=1)
        assert services.escalate_overdue(now=moment) == 1
    [row] = [r for r in _rows(challenge) if r.is_open]

    assert services.escalate_overdue(now=row.due_at + dt.timedelta(days=1)) == 0
    challenge.refresh_from_db()
    assert challenge.tier == 4 and row.is_open
