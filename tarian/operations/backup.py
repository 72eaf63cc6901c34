"""Backing up and restoring the whole database, with integrity checks (IS3, IS4).

issue: security and reliability baseline (OWASP ASVS L2 V14, NHS DSPT: tested backups).

On SQLite a backup is a consistent online copy made with SQLite's backup API while the service
keeps running; on PostgreSQL it is a ``pg_dump`` custom-format file (``tarian.operations.
postgres``). Beside it go the uploaded documents that database refers to
(``<backup>.documents.tar``, ``tarian.operations.document_archive``) and a manifest
(``tarian.operations.manifest``) with a checksum for the backup and for every document. Every
file is created with mode 0600 before anything is written to it.

A restore refuses a missing file, a file that is not a backup, a backup of the other engine, a
file whose digest no longer matches its manifest, documents that are missing or do not match
their checksums and, on SQLite, a file that fails ``PRAGMA integrity_check``. Before replacing
the database it takes a safety copy of what is there (with its documents), so that restoring
the wrong file can itself be undone; then it writes the documents back into
``TARIAN_UPLOAD_DIR`` and restores the database. On PostgreSQL with two roles
(docs/decisions/0009) the restore runs as the tables' owner and grants the runtime role its
privileges again.

The commands ``tarian backup`` and ``tarian restore`` are thin wrappers around
:func:`make_backup`, :func:`check_backup` and :func:`restore_backup`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings

from tarian.operations import database_roles, document_archive, postgres
from tarian.operations import manifest as manifests

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".pgdump"}
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead: the message names the file and the problem."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    manifest_path: Path
    manifest: dict[str, Any]
    documents_path: Path | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedBackup:
    """A backup that passed every check before a restore."""

    path: Path
    engine: str
    manifest: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    safety_copy: BackupResult | None
    differences: list[str]
    documents_restored: int = 0


def configured_database() -> Mapping[str, Any]:
    """The settings of the database Tarian runs on (``DATABASES["default"]``)."""
    database: Mapping[str, Any] = settings.DATABASES["default"]
    return database


def engine_of(database: Mapping[str, Any]) -> str:
    engine = str(database.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return SQLITE
    if engine.endswith(("postgresql", "postgis")):
        return POSTGRESQL
    raise BackupRefused(f"Backups are supported on SQLite and PostgreSQL, not {engine!r}")


def upload_directory() -> Path:
    """Where uploaded documents are kept (``TARIAN_UPLOAD_DIR``)."""
    return Path(settings.TARIAN_UPLOAD_DIR)


def backup_directory() -> Path:
    """``TARIAN_BACKUP_DIR`` if set, otherwise ``<TARIAN_DATA_DIR>/backups``."""
    configured = getattr(settings, "TARIAN_BACKUP_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backups"


def default_backup_path(engine: str, now: dt.datetime, *, prefix: str = "tarian") -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return backup_directory() / f"{prefix}-{stamp}{SUFFIXES[engine]}"


def reserve_file(path: Path) -> None:
    """Create an empty file readable by its owner only, refusing to overwrite anything."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BackupRefused(f"{path} already exists; a backup never overwrites a file") from exc
    os.close(descriptor)
    path.chmod(0o600)  # exactly owner read and write, whatever the umask


def file_engine(path: Path) -> str | None:
    """Which engine's backup a file is, from its first bytes; None if neither."""
    with path.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return SQLITE
    if head.startswith(postgres.PGDUMP_MAGIC):
        return POSTGRESQL
    return None


# SQLite ---------------------------------------------------------------------------------------


def snapshot_sqlite(source: sqlite3.Connection, dest_path: Path) -> None:
    """Copy a live SQLite connection's database to a new file, consistently, while in use."""
    reserve_file(dest_path)
    destination = sqlite3.connect(dest_path)
    try:
        source.backup(destination)
        # A backup is one self-contained file: no write-ahead log beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def backup_sqlite(source_path: Path, dest_path: Path) -> None:
    """Back up the SQLite database file ``source_path`` to a new file ``dest_path``."""
    if not source_path.is_file():
        raise BackupRefused(f"There is no SQLite database at {source_path}")
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    try:
        snapshot_sqlite(source, dest_path)
    finally:
        source.close()


def check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database (``PRAGMA integrity_check``)."""
    if file_engine(path) != SQLITE:
        raise BackupRefused(f"{path} is not a SQLite database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path} is corrupt: SQLite cannot read it ({exc})") from exc
    if [tuple(row) for row in rows] != [("ok",)]:
        found = "; ".join(str(row[0]) for row in rows[:5])
        raise BackupRefused(f"{path} is corrupt: PRAGMA integrity_check found {found}")


def restore_sqlite(backup_path: Path, dest_path: Path) -> None:
    """Replace the SQLite database at ``dest_path`` with the backup, page for page."""
    check_sqlite_backup(backup_path)
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(dest_path, timeout=20)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def describe_sqlite(path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return manifests.describe_database(connection.cursor(), SQLITE)
    finally:
        connection.close()


# Both engines ---------------------------------------------------------------------------------


def make_backup(
    *,
    database: Mapping[str, Any],
    now: dt.datetime,
    output: Path | None = None,
    prefix: str = "tarian",
    upload_dir: Path | None = None,
) -> BackupResult:
    """Back up the database to ``output`` (a new file, or a directory for a timestamped one),
    and the documents it refers to from ``upload_dir`` (default ``TARIAN_UPLOAD_DIR``)."""
    engine = engine_of(database)
    if output is None:
        path = default_backup_path(engine, now, prefix=prefix)
    elif output.is_dir():
        path = output / default_backup_path(engine, now, prefix=prefix).name
    else:
        path = output
    path = path.resolve()
    documents_path = document_archive.archive_path(path)
    for planned in (path, documents_path):
        if planned.exists():
            raise BackupRefused(f"{planned} already exists; a backup never overwrites a file")
    if engine == POSTGRESQL:
        try:
            postgres.client_tool("pg_dump")
        except postgres.PostgresToolError as exc:
            raise BackupRefused(str(exc)) from exc
    try:
        if engine == SQLITE:
            backup_sqlite(Path(database["NAME"]), path)
            state = describe_sqlite(path)
        else:
            reserve_file(path)
            state = postgres.dump(postgres.PostgresTarget.from_settings(database), path)
        documents = [document_archive.StoredDocument(*row) for row in state["documents"]]
        archived = document_archive.write_archive(
            path, documents, upload_dir if upload_dir is not None else upload_directory()
        )
    except BaseException as exc:
        # Remove a half-written backup so that nobody mistakes it for a good one.
        path.unlink(missing_ok=True)
        documents_path.unlink(missing_ok=True)
        if isinstance(exc, postgres.PostgresToolError | psycopg.Error | sqlite3.Error | OSError):
            raise BackupRefused(f"The backup failed: {exc}") from exc
        raise
    manifest = manifests.write_manifest(
        path, engine=engine, created_at=now, state=state, documents=archived.manifest
    )
    return BackupResult(
        path,
        path.stat().st_size,
        manifests.manifest_path(path),
        manifest,
        documents_path,
        archived.warnings,
    )


def check_backup(*, database: Mapping[str, Any], backup_path: Path) -> CheckedBackup:
    """Every check a backup must pass before it may replace the database."""
    engine = engine_of(database)
    path = backup_path.resolve()
    if not path.is_file():
        raise BackupRefused(f"There is no backup at {path}")
    found = file_engine(path)
    if found is None:
        raise BackupRefused(
            f"{path} is not a Tarian backup: it is neither a SQLite database nor a pg_dump "
            "custom-format file (it may be damaged or incomplete)"
        )
    if found != engine:
        raise BackupRefused(
            f"{path} is a {ENGINE_NAMES[found]} backup, but this Tarian runs on "
            f"{ENGINE_NAMES[engine]}: restore it into a {ENGINE_NAMES[found]} deployment"
        )
    try:
        manifest = manifests.read_manifest(path)
    except manifests.ManifestError as exc:
        raise BackupRefused(str(exc)) from exc
    warnings: list[str] = []
    if manifest is None:
        warnings.append(
            f"There is no manifest ({manifests.manifest_path(path).name}) beside the backup, "
            "so its digest and contents cannot be checked"
        )
    else:
        if manifest["engine"] != found:
            raise BackupRefused(
                f"The manifest says {path.name} is a {manifest['engine']} backup, "
                f"but the file is {ENGINE_NAMES[found]}"
            )
        if manifests.file_digest(path) != manifest["sha256"]:
            raise BackupRefused(
                f"{path} does not match the SHA-256 digest in its manifest: "
                "it has been changed or damaged since the backup was taken"
            )
    if manifest is not None:
        warnings += _check_documents(path, manifest)
    if engine == SQLITE:
        check_sqlite_backup(path)
    else:
        target = postgres.PostgresTarget.from_settings(database)
        try:
            postgres.check_dump(path, target)
        except postgres.PostgresToolError as exc:
            raise BackupRefused(f"{path} cannot be restored: {exc}") from exc
        if manifest is not None:
            warnings += _schema_drift(target, manifest)
    return CheckedBackup(path, engine, manifest, warnings)


def _check_documents(path: Path, manifest: dict[str, Any]) -> list[str]:
    """Refuse documents that do not match the manifest; warn about what cannot be restored."""
    documents = manifest.get("documents")
    if documents is None:
        return [
            "This backup holds no documents (it was made before backups included them): "
            "the files in the upload folder are left as they are"
        ]
    try:
        document_archive.check_archive(path, documents)
    except document_archive.ArchiveRefused as exc:
        raise BackupRefused(str(exc)) from exc
    if documents.get("missing"):
        return [
            f"{len(documents['missing'])} document(s) had no file when the backup was taken "
            "and cannot be restored"
        ]
    return []


def _schema_drift(target: postgres.PostgresTarget, manifest: dict[str, Any]) -> list[str]:
    """Warn when the database's migrations differ from the backup's: pg_restore --clean drops
    only what the dump contains, so tables added by later migrations would stay behind."""
    try:
        live = postgres.describe(target)
    except psycopg.Error as exc:
        raise BackupRefused(f"The database {target.name} cannot be reached: {exc}") from exc
    differing = sorted(
        f"{app} {name}"
        for app, name in live["migrations"].items()
        if manifest["migrations"].get(app) != name
    )
    if not differing:
        return []
    return [
        "The database's latest migrations differ from the backup's ("
        + ", ".join(differing)
        + "). Tables they added are not removed by the restore: restore with the release that "
        "made the backup, or into an empty database"
    ]


def restore_backup(
    *,
    database: Mapping[str, Any],
    checked: CheckedBackup,
    now: dt.datetime,
    owner: Mapping[str, Any] | None = None,
    upload_dir: Path | None = None,
) -> RestoreResult:
    """Replace the database and its documents with a checked backup, keeping a safety copy
    of what was there. On PostgreSQL ``owner`` (the tables' owner, when the application runs as
    another role) restores the tables and grants the runtime role its privileges again.

    Django's connections must be closed first (the command does this).
    """
    uploads = upload_dir if upload_dir is not None else upload_directory()
    safety_copy = None
    if checked.engine == SQLITE:
        live = Path(database["NAME"])
        if live.is_file():
            safety_copy = make_backup(
                database=database, now=now, prefix="pre-restore", upload_dir=uploads
            )
        restored = _restore_documents(checked, uploads)
        try:
            restore_sqlite(checked.path, live)
        except sqlite3.Error as exc:
            raise BackupRefused(f"The restore failed: {exc}") from exc
        state = describe_sqlite(live)
    else:
        target = postgres.PostgresTarget.from_settings(owner or database)
        safety_copy = make_backup(
            database=database, now=now, prefix="pre-restore", upload_dir=uploads
        )
        restored = _restore_documents(checked, uploads)
        try:
            postgres.restore(checked.path, target)
            role = database_roles.runtime_role()
            if owner is not None and role and role != target.user:
                with target.connect() as connection, connection.cursor() as cursor:
                    database_roles.grant_runtime_privileges(cursor, role)
        except (postgres.PostgresToolError, psycopg.Error) as exc:
            raise BackupRefused(f"The restore failed: {exc}") from exc
        state = postgres.describe(target)
    found = manifests.differences(checked.manifest, state) if checked.manifest else []
    return RestoreResult(safety_copy, found, restored)


def _restore_documents(checked: CheckedBackup, upload_dir: Path) -> int:
    """Put the backup's documents back (before the database, so that no restored row ever
    points at a file that is not there yet)."""
    documents = (checked.manifest or {}).get("documents")
    if documents is None:
        return 0
    try:
        return document_archive.restore_archive(checked.path, documents, upload_dir)
    except (document_archive.ArchiveRefused, OSError) as exc:
        raise BackupRefused(f"The documents could not be restored: {exc}") from exc
