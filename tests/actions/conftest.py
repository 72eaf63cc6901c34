"""A subject kind registered for the tests alone ("test_meeting"), as a workflow would register
its own: its chair sees and completes its actions and is told when one is overdue; everyone at
a chaired meeting's invited agencies may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tarian.actions import services
from tarian.actions.models import AgreedAction
from tarian.actions.subjects import Subject, register_action_subject, unregister_action_subject
from tarian.agencies.models import Agency, User

KIND = "test_meeting"
TODAY = dt.date(2026, 11, 16)


@dataclass
class Meeting:
    """What the test workflow knows of its meetings: who chairs each, who was invited."""

    chairs: dict[str, User] = field(default_factory=dict)
    invited: dict[str, set[int]] = field(default_factory=dict)  # agency ids
    describe_calls: int = 0


@pytest.fixture
def meetings() -> Iterator[Meeting]:
    known = Meeting()

    def describe(user: User, ids: list[str]) -> dict[str, Subject]:
        known.describe_calls += 1
        return {
            i: Subject(text=f"Test meeting {i}", link=f"/test-meetings/{i}")
            for i in ids
            if i in known.chairs
        }

    def may_see(user: User, ids: list[str]) -> set[str]:
        return {
            i for i in ids
            if known.chairs.get(i) == user or user.agency_id in known.invited.get(i, set())
        }

    register_action_subject(
        KIND,
        label=lambda: "Test meeting",
        describe=describe,
        may_see=may_see,
        may_complete=lambda user, i: known.chairs.get(i) == user,
        overseers=lambda i: [known.chairs[i]] if i in known.chairs else [],
    )
    yield known
    unregister_action_subject(KIND)


def agree(
    user: User,
    agency: Agency,
    *,
    owner: User | None = None,
    subject: str = "1",
    due: dt.date = TODAY + dt.timedelta(days=7),
    description: str = "Share the school's attendance record with the social worker",
    kind: str = KIND,
) -> AgreedAction:
    return services.agree_action(
        user, subject_kind=kind, subject_id=subject, description=description,
        owner_agency=agency, owner=owner, due_date=due, today=TODAY,
    )
