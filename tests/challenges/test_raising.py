"""Raising a professional challenge (PC1; issue 21): any practitioner who may see a decision
and whose workflow lets them challenge it says why; it starts at tier 1 with the tier's clock
as a deadline row, and the responders are told in their own language."""

from __future__ import annotations

import pytest

from tarian.challenges import services
from tarian.challenges.models import Challenge, ChallengeStep, StepKind
from tarian.deadlines.models import Deadline
from tarian.errors import Forbidden, NotFound, Refused
from tarian.notifications.models import Notification
from tarian.procedures.clocks import due_at
from tarian.procedures.packs import current_pack
from tests.challenges.conftest import DECISION, KIND, RAISED_AT, REASON, World

pytestmark = pytest.mark.django_db


def _raise(world: World, **changes: object) -> Challenge:
    arguments: dict[str, object] = {
        "about_kind": KIND, "about_id": DECISION, "reason": REASON, "now": RAISED_AT,
    }
    arguments.update(changes)
    return services.raise_challenge(world.raiser, **arguments)  # type: ignore[arg-type]


def test_pc1_a_challenge_starts_at_tier_1_with_its_clock_as_a_deadline_row(world: World) -> None:
    challenge = _raise(world)

    challenge.refresh_from_db()
    assert (challenge.tier, challenge.status, challenge.reason) == (1, "open", REASON)
    assert challenge.raised_by_agency == world.raiser.agency
    [row] = Deadline.objects.filter(subject_kind="challenge", subject_id=str(challenge.pk))
    scale = current_pack().timescale("challenge_tier_1")
    assert row.timescale == "challenge_tier_1"
    assert row.started_at == RAISED_AT and row.due_at == due_at(scale, RAISED_AT)
    assert row.owner == world.responder  # the workflow names one responder
    assert row.is_open
    [step] = ChallengeStep.objects.filter(challenge=challenge)
    assert (step.kind, step.tier, step.by, step.text) == (StepKind.RAISED, 1, world.raiser, REASON)


def test_pc1_responders_are_told_in_their_language(world: World) -> None:
    world.responder.language = "cy"
    world.responder.save()

    challenge = _raise(world)

    [note] = Notification.objects.filter(recipient=world.responder)
    assert note.link == f"/challenges/{challenge.pk}"
    assert "her broffesiynol" in note.subject
    assert not Notification.objects.filter(recipient=world.raiser).exists()


@pytest.mark.parametrize("reason", ["", "   ", "disagree", "NFA", "see notes", "as discussed"])
def test_pc1_challenge_needs_a_reason(world: World, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        _raise(world, reason=reason)

    assert list(refused.value.errors) == ["reason"]
    assert refused.value.errors["reason"][0].startswith("Reason:")
    assert not Challenge.objects.exists() and not Deadline.objects.exists()


def test_pc1_unregistered_kind_refused_naming_about(world: World) -> None:
    with pytest.raises(Refused) as refused:
        _raise(world, about_kind="horoscope", reason="")

    assert set(refused.value.errors) == {"about", "reason"}
    assert "horoscope" in refused.value.errors["about"][0]
    assert not Challenge.objects.exists()


def test_pc1_an_empty_decision_id_is_refused_naming_about(world: World) -> None:
    with pytest.raises(Refused) as refused:
        _raise(world, about_id=" ")

    assert list(refused.value.errors) == ["about"]


def test_pc1_someone_who_cannot_see_the_decision_gets_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        services.raise_challenge(
            world.outsider, about_kind=KIND, about_id=DECISION, reason=REASON, now=RAISED_AT
        )
    assert not Challenge.objects.exists()


def test_pc1_someone_who_may_see_but_not_challenge_is_forbidden(world: World) -> None:
    with pytest.raises(Forbidden):
        services.raise_challenge(
            world.onlooker, about_kind=KIND, about_id=DECISION, reason=REASON, now=RAISED_AT
        )
    assert not Challenge.objects.exists()
