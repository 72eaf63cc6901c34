"""API tokens moved from the ``api`` app to ``agencies`` (#19) without touching their table:
migrating forward and back keeps every token, and a token still signs its user in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from tarian.agencies.credentials import hash_token, issue_token, user_for_token
from tarian.agencies.models import ApiToken, User
from tarian.operations.manifest import differences
from tests.factories import UserFactory

BEFORE = [("agencies", "0009_enrolment_links"), ("api", "0001_initial")]


@pytest.fixture
def rows_of_migrate_restored(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """After the test's tables are emptied, put back the rows ``migrate`` made (roles,
    content types) with their ids, as ``tests/operations/conftest.py`` does for its
    transactional tests, so that the tests after this one find the database as they expect."""
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def executor(
    rows_of_migrate_restored: None, transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def _migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> None:
    executor.loader.build_graph()
    executor.migrate(targets)


def test_api_tokens_survive_migrating_back_and_forward(executor: MigrationExecutor) -> None:
    user = UserFactory(roles=["social_worker"])
    raw = issue_token(user, name="police records link")
    latest = executor.loader.graph.leaf_nodes()

    _migrate(executor, BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldToken = old_apps.get_model("api", "ApiToken")
    assert OldToken._meta.db_table == ApiToken._meta.db_table == "api_apitoken"
    kept = OldToken.objects.get(token_hash=hash_token(raw))
    assert (kept.user_id, kept.name) == (user.pk, "police records link")
    # A token made while the model was still the api app's is there after the move.
    OldToken.objects.create(
        user_id=user.pk,
        name="made before the move",
        prefix="trn_before",
        token_hash=hash_token("trn_before"),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    assert ContentType.objects.filter(app_label="api", model="apitoken").exists()
    assert not ContentType.objects.filter(app_label="agencies", model="apitoken").exists()

    _migrate(executor, latest)
    assert set(ApiToken.objects.values_list("name", flat=True)) == {
        "police records link",
        "made before the move",
    }
    found = user_for_token(raw)
    assert found is not None and found.pk == user.pk
    assert user_for_token("trn_before") == User.objects.get(pk=user.pk)
    assert ContentType.objects.filter(app_label="agencies", model="apitoken").exists()
    assert not ContentType.objects.filter(app_label="api", model="apitoken").exists()


def test_a_backup_manifest_from_before_the_move_still_matches() -> None:
    manifest = {"row_counts": {"api.ApiToken": 2}, "migrations": {}}
    assert differences(manifest, {"row_counts": {"agencies.ApiToken": 2}, "migrations": {}}) == []
    assert differences(manifest, {"row_counts": {"agencies.ApiToken": 1}, "migrations": {}}) == [
        "api.ApiToken: 1 rows, the backup had 2"
    ]
