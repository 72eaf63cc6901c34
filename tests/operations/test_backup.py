"""IS3, IS4: a backup restored is the database it was taken from, on SQLite and PostgreSQL.

Each round trip seeds people, involvements, record versions, audit events, a token and a failed
log-in through the services, backs up, restores somewhere else and compares every table's row
count and a digest of every row with the original. Transactional tests (with the migrations'
data reloaded) so that pg_dump, a separate process, sees committed rows.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tarian.agencies.models import User
from tarian.operations import backup, postgres
from tarian.people.models import Person
from tests.operations.support import KEY_TABLES, fingerprints, seed_record

# Committed data (pg_dump is another process), with the migrations' rows reloaded before each
# test and put back after it for the tests that follow.
pytestmark = pytest.mark.usefixtures(
    "migration_data_restored", "transactional_db", "django_db_serialized_rollback"
)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path")
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def live_sqlite_file(path: Path) -> Path:
    """The test database (in memory under pytest) copied to a real file to stand in as live."""
    connection.ensure_connection()
    backup.snapshot_sqlite(connection.connection, path)
    return path


def sqlite_fingerprints(path: Path) -> dict[str, tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return fingerprints(db.cursor(), "sqlite")


def assert_key_tables_have_rows(found: dict[str, tuple[int, str]]) -> None:
    empty = [table for table in KEY_TABLES if found.get(table, (0, ""))[0] == 0]
    assert not empty, f"the seed left these tables empty, so the test proves nothing: {empty}"


@on_sqlite
def test_is3_sqlite_backup_then_restore_loses_nothing(social_worker: User, tmp_path: Path) -> None:
    seed_record(social_worker)
    original = fingerprints(connection.cursor(), "sqlite")
    assert_key_tables_have_rows(original)
    live = live_sqlite_file(tmp_path / "live.sqlite3")

    backup.backup_sqlite(live, tmp_path / "backup.sqlite3")
    backup.restore_sqlite(tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3")

    assert sqlite_fingerprints(tmp_path / "restored.sqlite3") == original


@on_sqlite
def test_is3_sqlite_restore_replaces_rather_than_merges(
    social_worker: User, tmp_path: Path
) -> None:
    seed_record(social_worker)
    live = live_sqlite_file(tmp_path / "live.sqlite3")
    backup.backup_sqlite(live, tmp_path / "backup.sqlite3")
    expected = sqlite_fingerprints(live)
    with sqlite3.connect(live) as db:
        db.execute("DELETE FROM people_involvement")
        db.execute("CREATE TABLE stray (x)")

    backup.restore_sqlite(tmp_path / "backup.sqlite3", live)

    assert sqlite_fingerprints(live) == expected


@on_sqlite
def test_is3_sqlite_backup_and_restore_commands_round_trip(
    social_worker: User, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_record(social_worker)
    live = live_sqlite_file(tmp_path / "live.sqlite3")
    monkeypatch.setattr(
        backup,
        "configured_database",
        lambda: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)},
    )
    expected = sqlite_fingerprints(live)
    out = StringIO()

    call_command("backup", stdout=out)

    [made] = sorted((data_dir / "backups").glob("tarian-*.sqlite3"))
    assert f"Backed up to {made} ({made.stat().st_size:,} bytes)" in out.getvalue()
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    manifest = json.loads(Path(f"{made}.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["row_counts"]["people.Person"] == Person.objects.count() == 3
    with sqlite3.connect(live) as db:
        db.execute("DELETE FROM people_residence")

    out = StringIO()
    call_command("restore", str(made), yes=True, stdout=out)

    assert sqlite_fingerprints(live) == expected
    assert "Row counts and migrations match the backup's manifest." in out.getvalue()
    [safety] = (data_dir / "backups").glob("pre-restore-*.sqlite3")
    with sqlite3.connect(safety) as db:
        assert db.execute("SELECT COUNT(*) FROM people_residence").fetchone() == (0,)


@on_sqlite
def test_is3_sqlite_backup_records_migration_state_and_row_counts(
    social_worker: User, tmp_path: Path
) -> None:
    seed_record(social_worker)
    live = live_sqlite_file(tmp_path / "live.sqlite3")
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)}

    result = backup.make_backup(database=database, now=NOW, output=tmp_path)

    assert result.path == tmp_path / "tarian-20260301T093000Z.sqlite3"
    assert result.manifest["created_at"] == "2026-03-01T09:30:00+00:00"
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        latest = dict(cursor.fetchall())
    assert result.manifest["migrations"] == dict(sorted(latest.items()))
    assert result.manifest["row_counts"]["audit.AccessEvent"] > 0
    assert stat.S_IMODE(result.manifest_path.stat().st_mode) == 0o600


@on_postgres
def test_is3_postgres_backup_then_restore_loses_nothing(
    social_worker: User, tmp_path: Path, scratch_postgres: postgres.PostgresTarget
) -> None:
    seed_record(social_worker)
    with connection.cursor() as cursor:
        original = fingerprints(cursor, "postgresql")
    assert_key_tables_have_rows(original)
    dump = tmp_path / "backup.pgdump"
    dump.touch(mode=0o600)

    postgres.dump(postgres.PostgresTarget.from_settings(connection.settings_dict), dump)
    postgres.restore(dump, scratch_postgres)

    with scratch_postgres.connect() as restored, restored.cursor() as cursor:
        assert fingerprints(cursor, "postgresql") == original


@on_postgres
def test_is3_postgres_backup_and_restore_commands_round_trip(
    social_worker: User, tmp_path: Path, data_dir: Path
) -> None:
    seed_record(social_worker)
    with connection.cursor() as cursor:
        expected = fingerprints(cursor, "postgresql")
    out = StringIO()

    call_command("backup", output=str(tmp_path / "b.pgdump"), stdout=out)

    made = tmp_path / "b.pgdump"
    assert f"Backed up to {made} ({made.stat().st_size:,} bytes)" in out.getvalue()
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    manifest = json.loads(Path(f"{made}.json").read_text())
    assert manifest["engine"] == "postgresql"
    assert manifest["row_counts"]["people.Person"] == 3
    Person.objects.filter(kind="adult").delete()

    out = StringIO()
    call_command("restore", str(made), yes=True, stdout=out)

    with connection.cursor() as cursor:
        assert fingerprints(cursor, "postgresql") == expected
    assert "Row counts and migrations match the backup's manifest." in out.getvalue()
    assert list((data_dir / "backups").glob("pre-restore-*.pgdump"))


@on_postgres
def test_is3_postgres_restore_warns_when_the_schema_has_moved_on(
    social_worker: User, tmp_path: Path, data_dir: Path
) -> None:
    call_command("backup", output=str(tmp_path / "b.pgdump"), stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('people', '9999_from_a_later_release', now())"
        )
    err = StringIO()

    call_command("restore", str(tmp_path / "b.pgdump"), yes=True, stdout=StringIO(), stderr=err)

    assert "latest migrations differ from the backup's (people 9999_from_a_later_release)" in (
        err.getvalue()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE name LIKE '9999%'")
        assert cursor.fetchone() == (0,)
