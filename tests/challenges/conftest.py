"""A kind of decision registered for the tests (the workflows register theirs later): a
"test decision" that the school and children's services may see and challenge, that an
outsider (another school) may not see, and that a police officer may see but not challenge.
Responders: the team manager at every tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from tarian.agencies.models import Agency, User
from tarian.challenges.about import register_challengeable, unregister_challengeable
from tarian.deadlines.subjects import Subject

KIND = "test_decision"
DECISION = "D-1"
LONDON = ZoneInfo("Europe/London")
# Monday 16 November 2026, 10:00: no bank holiday in the following weeks.
RAISED_AT = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
REASON = (
    "The decision ignores the school's record of three unexplained bruises this term and the "
    "child's own account of being hit at home, so a strategy discussion is needed."
)


@dataclass
class World:
    raiser: User
    responder: User
    outsider: User
    onlooker: User  # may see the decision, may not challenge it


@pytest.fixture
def world(
    school_dsl: User, team_manager: User, other_school_dsl: User, cru_officer: User,
    school: Agency,
) -> Iterator[World]:
    seeing = {school_dsl.pk, team_manager.pk, cru_officer.pk}
    challenging = {school_dsl.pk, team_manager.pk}

    register_challengeable(
        KIND,
        label=lambda: "Test decision",
        describe=lambda user, ids: {
            i: Subject(text=f"Decision {i}", link=f"/test-decisions/{i}")
            for i in ids if user.pk in seeing
        },
        may_see=lambda user, ids: set(ids) if user.pk in seeing else set(),
        may_challenge=lambda user, about_id: user.pk in challenging,
        responders=lambda about_id, tier: [team_manager],
        may_respond=lambda user, about_id, tier: user.pk == team_manager.pk,
    )
    yield World(school_dsl, team_manager, other_school_dsl, cru_officer)
    unregister_challengeable(KIND)
