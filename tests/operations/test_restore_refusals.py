"""IS3, IS4: restore refuses anything but a sound backup of this engine, and says why.

None of these needs data or a live database: each refusal happens before anything is changed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tarian.operations import backup, postgres

SQLITE_DB = {"ENGINE": "django.db.backends.sqlite3"}
POSTGRES_DB = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "tarian_elsewhere",
    "USER": "tarian",
    "HOST": "db.invalid",
    "PORT": "5432",
    "PASSWORD": "not-on-any-command-line",
}
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small SQLite database file standing in as the configured database."""
    path = tmp_path / "live.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people_person (id INTEGER PRIMARY KEY, ref TEXT)")
        db.executemany("INSERT INTO people_person (ref) VALUES (?)", [("T1",), ("T2",)])
    db.close()
    monkeypatch.setattr(backup, "configured_database", lambda: {**SQLITE_DB, "NAME": str(path)})
    return path


@pytest.fixture
def good_backup(live: Path, tmp_path: Path) -> Path:
    database = {**SQLITE_DB, "NAME": str(live)}
    return backup.make_backup(database=database, now=NOW, output=tmp_path / "good.sqlite3").path


def people_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        count: int = db.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
    db.close()
    return count


def test_is3_restore_refuses_a_missing_file(live: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Not restored: There is no backup at .*absent"):
        call_command("restore", str(tmp_path / "absent.sqlite3"), yes=True)


def test_is3_restore_refuses_a_file_that_is_not_a_backup(live: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    with pytest.raises(CommandError, match="neither a SQLite database nor a pg_dump"):
        call_command("restore", str(notes), yes=True)
    assert people_in(live) == 2


def test_is3_restore_refuses_a_sqlite_backup_that_fails_its_integrity_check(
    live: Path, good_backup: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good_backup.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size + 8 : page_size * 2] = b"\xff" * (page_size - 8)  # wreck the second page
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"damaged\.sqlite3 is corrupt"):
        call_command("restore", str(damaged), yes=True)
    assert people_in(live) == 2


def test_is3_restore_refuses_a_backup_changed_since_its_manifest(
    live: Path, good_backup: Path
) -> None:
    with sqlite3.connect(good_backup) as db:
        db.execute("DELETE FROM people_person")
    db.close()
    with pytest.raises(CommandError, match="does not match the SHA-256 digest in its manifest"):
        call_command("restore", str(good_backup), yes=True)
    assert people_in(live) == 2


def test_is3_restore_refuses_a_manifest_naming_the_other_engine(
    live: Path, good_backup: Path
) -> None:
    manifest_path = Path(f"{good_backup}.json")
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "engine": "postgresql"}))
    with pytest.raises(CommandError, match=r"The manifest says good\.sqlite3 is a postgresql"):
        call_command("restore", str(good_backup), yes=True)


def test_is3_restore_refuses_a_postgres_dump_on_sqlite(live: Path, tmp_path: Path) -> None:
    dump = tmp_path / "tarian.pgdump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    with pytest.raises(CommandError, match="PostgreSQL backup, but this Tarian runs on SQLite"):
        call_command("restore", str(dump), yes=True)
    assert people_in(live) == 2


def test_is3_restore_refuses_a_sqlite_backup_on_postgres(
    good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "configured_database", lambda: POSTGRES_DB)
    with pytest.raises(CommandError, match="SQLite backup, but this Tarian runs on PostgreSQL"):
        call_command("restore", str(good_backup), yes=True)


def test_is3_restore_without_confirmation_changes_nothing(
    live: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(live) as db:
        db.execute("INSERT INTO people_person (ref) VALUES ('T3')")
    db.close()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match=r"not confirmed\. Nothing was changed"):
        call_command("restore", str(good_backup))
    assert people_in(live) == 3


def test_is3_restore_after_confirmation_replaces_the_database(
    live: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backup, "backup_directory", lambda: tmp_path / "safety")
    with sqlite3.connect(live) as db:
        db.execute("INSERT INTO people_person (ref) VALUES ('T3')")
    db.close()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(good_backup))
    assert people_in(live) == 2
    [safety] = (tmp_path / "safety").glob("pre-restore-*.sqlite3")
    assert people_in(safety) == 3


def test_is3_backup_refuses_to_overwrite_an_existing_file(live: Path, tmp_path: Path) -> None:
    existing = tmp_path / "keep-me.sqlite3"
    existing.write_text("precious")
    with pytest.raises(CommandError, match="already exists; a backup never overwrites"):
        call_command("backup", output=str(existing))
    assert existing.read_text() == "precious"


def test_is3_backup_refuses_a_missing_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone.sqlite3"
    monkeypatch.setattr(backup, "configured_database", lambda: {**SQLITE_DB, "NAME": str(missing)})
    with pytest.raises(CommandError, match=r"There is no SQLite database at .*gone\.sqlite3"):
        call_command("backup", output=str(tmp_path / "b.sqlite3"))
    assert not (tmp_path / "b.sqlite3").exists()
    assert not missing.exists()


def test_is3_backup_refuses_clearly_when_pg_dump_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "configured_database", lambda: POSTGRES_DB)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        call_command("backup", output=str(tmp_path / "b.pgdump"))
    assert not (tmp_path / "b.pgdump").exists()


def test_is3_postgres_password_travels_in_the_environment_not_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_run(arguments: list[str], **kwargs: object) -> None:
        env = kwargs["env"]
        assert isinstance(env, dict) and kwargs["check"] is True and "shell" not in kwargs
        calls.append((arguments, env))

    monkeypatch.setattr(postgres.subprocess, "run", fake_run)
    monkeypatch.setattr(postgres, "client_tool", lambda name: f"/usr/bin/{name}")
    target = postgres.PostgresTarget.from_settings(POSTGRES_DB)

    postgres.restore(tmp_path / "b.pgdump", target)

    [(arguments, env)] = calls
    assert arguments[0] == "/usr/bin/pg_restore"
    assert {"--clean", "--if-exists", "--no-owner", "--no-password"} <= set(arguments)
    assert "--dbname=tarian_elsewhere" in arguments and "db.invalid" in arguments
    assert not any("not-on-any-command-line" in argument for argument in arguments)
    assert env["PGPASSWORD"] == "not-on-any-command-line"
