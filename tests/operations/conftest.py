"""Fixtures for the operations tests: committed data, a scratch PostgreSQL database, a data dir."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django import DjangoDbBlocker, Settings

from tarian.operations.postgres import PostgresTarget


@pytest.fixture
def data_dir(tmp_path: Path, settings: Settings) -> Path:
    """Backups (and safety copies) go under the test's own directory, never the real one."""
    settings.DATA_DIR = tmp_path / "data"
    settings.TARIAN_BACKUP_DIR = None
    return tmp_path / "data"


@pytest.fixture
def migration_data_restored(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """Put back the rows migrations create (roles, content types) after a transactional test.

    A transactional test ends by emptying every table. Requested before ``transactional_db``,
    this fixture is torn down after that flush and reloads what ``migrate`` left, so the
    transactional tests that run later in the session (people/test_concurrency.py ...) still
    find their roles.
    """
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def scratch_postgres() -> Iterator[PostgresTarget]:
    """A freshly created, empty PostgreSQL database beside the test database; dropped after."""
    target = PostgresTarget.from_settings(connection.settings_dict)
    scratch = target.with_name(f"tarian_scratch_{secrets.token_hex(4)}")
    with target.with_name("postgres").connect(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch.name}"')
    try:
        yield scratch
    finally:
        with target.with_name("postgres").connect(autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch.name}" WITH (FORCE)')
