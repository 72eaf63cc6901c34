"""The test cast (after Healthchecks' alice/bob/charlie): fixed personas used across the suite.

- ``social_worker``, ``gateway_worker``, ``team_manager``: children's services (see everyone)
- ``cru_officer``: the police central referral unit
- ``school_dsl``: the DSL of Ysgol Aberwen, which is involved with ``child``
- ``other_school_dsl``: the DSL of another school, who must see nothing of ``child``
- ``board_member``: sees aggregates only, never a child's record
- ``auditor``: reads records and who has viewed them
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tarian.agencies.models import Agency, AgencyType, User
from tarian.people.matching.weights import DEFAULT_FILE, reload_weights
from tarian.people.models import Person
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def private_upload_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test's uploads go to its own temporary folder."""
    settings.TARIAN_UPLOAD_DIR = tmp_path / "uploads"
    return Path(settings.TARIAN_UPLOAD_DIR)


@pytest.fixture
def childrens_services(db: None) -> Agency:
    return AgencyFactory(
        slug="gaerwen-childrens-services",
        name="Gaerwen Children's Services",
        type=AgencyType.CHILDRENS_SERVICES,
    )


@pytest.fixture
def police(db: None) -> Agency:
    return AgencyFactory(slug="gaerwen-police", name="Gaerwen Police", type=AgencyType.POLICE)


@pytest.fixture
def school(db: None) -> Agency:
    return AgencyFactory(slug="ysgol-aberwen", name="Ysgol Aberwen", type=AgencyType.SCHOOL)


@pytest.fixture
def other_school(db: None) -> Agency:
    return AgencyFactory(slug="ysgol-nantgwyn", name="Ysgol Nantgwyn", type=AgencyType.SCHOOL)


@pytest.fixture
def board(db: None) -> Agency:
    return AgencyFactory(slug="gaerwen-board", name="Gaerwen Board", type=AgencyType.BOARD)


@pytest.fixture
def social_worker(childrens_services: Agency) -> User:
    return UserFactory(username="owain", agency=childrens_services, roles=["social_worker"])


@pytest.fixture
def gateway_worker(childrens_services: Agency) -> User:
    return UserFactory(username="nia", agency=childrens_services, roles=["gateway_worker"])


@pytest.fixture
def team_manager(childrens_services: Agency) -> User:
    return UserFactory(username="catrin", agency=childrens_services, roles=["team_manager"])


@pytest.fixture
def cru_officer(police: Agency) -> User:
    return UserFactory(username="mark", agency=police, roles=["cru_officer"])


@pytest.fixture
def school_dsl(school: Agency) -> User:
    return UserFactory(username="elen", agency=school, roles=["dsl"])


@pytest.fixture
def other_school_dsl(other_school: Agency) -> User:
    return UserFactory(username="ffion", agency=other_school, roles=["dsl"])


@pytest.fixture
def board_member(board: Agency) -> User:
    return UserFactory(username="helen", agency=board, roles=["board_member"])


@pytest.fixture
def auditor(board: Agency) -> User:
    return UserFactory(username="dylan", agency=board, roles=["auditor"])


@pytest.fixture
def child(school: Agency) -> Person:
    """A child that Ysgol Aberwen is currently involved with."""
    person = PersonFactory(given_name="Gwenllian", family_name="Prydderch")
    InvolvementFactory(person=person, agency=school)
    return person


@pytest.fixture(autouse=True)
def _shipped_match_weights(settings: Any) -> None:
    """Tests match with the weights Tarian ships, whatever a developer has trained locally."""
    if str(DEFAULT_FILE) != settings.TARIAN_MATCH_WEIGHTS:
        settings.TARIAN_MATCH_WEIGHTS = str(DEFAULT_FILE)
        reload_weights()


@pytest.fixture(autouse=True)
def _fresh_register_counts() -> None:
    """The matcher keeps the register's name counts a while; each test has its own register."""
    from tarian.people.matching.engine import counts

    counts.clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` need PostgreSQL: skipped (with the reason) on SQLite."""
    from django.conf import settings as django_settings

    if "postgresql" in django_settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgresql://...")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Any:
    """A Welsh request leaves Welsh active in the test's thread; start every test in English."""
    from django.utils import translation

    yield
    translation.activate("en")
