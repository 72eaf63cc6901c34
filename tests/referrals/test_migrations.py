"""FD7, issue 19: the threshold guide's move from ``procedures`` to the front door changes no
data. State-only migrations hand ``ThresholdLevel`` over on the same table, forward and back,
and the partnership's levels stay where they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tarian.referrals.models import ThresholdLevel

TABLE = "procedures_thresholdlevel"
BEFORE = [
    ("procedures", "0001_threshold_levels"),
    ("referrals", "0003_referral_feedback_sent_to"),
]
AFTER = [
    ("procedures", "0002_threshold_levels_to_referrals"),
    ("referrals", "0004_threshold_levels_from_procedures"),
]


def _migrate(targets: list[tuple[str, str]]) -> Apps:
    """Migrate the test database to ``targets``; the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


@pytest.fixture
def latest() -> Iterator[None]:
    """Whatever a test migrates to, the database is left fully migrated for the next."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest")
def test_fd7_threshold_levels_move_to_referrals_on_the_same_table_and_back() -> None:
    before = _migrate(BEFORE)
    with pytest.raises(LookupError):
        before.get_model("referrals", "ThresholdLevel")
    before.get_model("procedures", "ThresholdLevel").objects.create(
        pack="wales",
        code="edge_of_care",
        position=1,
        title_en="Edge of care",
        title_cy="Ar ymyl gofal",
        description_en="Children at risk of coming into care",
        description_cy="Plant mewn perygl o ddod i ofal",
        version=3,
        modified_at=timezone.now(),
    )

    after = _migrate(AFTER)
    with pytest.raises(LookupError):
        after.get_model("procedures", "ThresholdLevel")
    assert after.get_model("referrals", "ThresholdLevel")._meta.db_table == TABLE
    assert ThresholdLevel._meta.db_table == TABLE and TABLE in _tables()
    assert list(ThresholdLevel.objects.values_list("pack", "code", "title_cy", "version")) == [
        ("wales", "edge_of_care", "Ar ymyl gofal", 3)
    ]

    back = _migrate(BEFORE)
    assert TABLE in _tables()
    assert list(
        back.get_model("procedures", "ThresholdLevel").objects.values_list("code", "version")
    ) == [("edge_of_care", 3)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest")
def test_fd4_20_review_migration_goes_back_and_forward() -> None:
    """The review steps, returns and the manager's decision (#20 item 2) are added reversibly."""
    before = [("referrals", "0008_referral_police_facts")]
    after = [("referrals", "0009_decision_review_and_returns")]
    _migrate(after)
    assert "referrals_referralreview" in _tables()
    back = _migrate(before)
    assert "referrals_referralreview" not in _tables()
    with pytest.raises(LookupError):
        back.get_model("referrals", "ReferralReview")
    forward = _migrate(after)
    fields = {f.name for f in forward.get_model("referrals", "GatewayDecision")._meta.fields}
    assert {"made_as", "version"} <= fields
