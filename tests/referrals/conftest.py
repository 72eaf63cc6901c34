"""Front-door personas: a police officer and their supervisor, referral data that is valid."""

from __future__ import annotations

from typing import Any

import pytest

from tarian.agencies.models import Agency, User
from tarian.people.models import Person
from tests.factories import InvolvementFactory, PersonFactory, UserFactory


@pytest.fixture
def cru_supervisor(police: Agency) -> User:
    return UserFactory(username="sara", agency=police, roles=["cru_supervisor"])


@pytest.fixture
def sibling(child: Person, school: Agency) -> Person:
    """The child's brother, at the same school (a referrer may name only children they see)."""
    brother = PersonFactory(given_name="Dafydd", family_name=child.family_name)
    InvolvementFactory(person=brother, agency=school)
    return brother


@pytest.fixture
def referral_data(child: Person, sibling: Person) -> dict[str, Any]:
    return {
        "children": [child.ref, sibling.ref],
        "concern": (
            "Gwenllian came to school with bruising to her arm and said her dad grabbed her."
        ),
        "voice_of_child": "'Dad was cross and grabbed me. I don't want to go home tonight.'",
        "voice_method": "own_words",
        "voice_language": "cy",
        "parental_awareness": "not_told_risk",
        "consent": "not_sought",
        "strengths": "Grandmother lives nearby and the children are close to her.",
        "priority": "high",
    }


RATIONALE = (
    "Disclosure of physical harm by a parent, with visible bruising and the child afraid to go "
    "home: reasonable cause to suspect significant harm, so a strategy discussion is needed today."
)
