"""Backup manifests: what a backup holds, so that a restore can be checked against it (IS3, IS4).

issue: security and reliability baseline (OWASP ASVS L2 V14, NHS DSPT backups).

A manifest is a small JSON file beside each backup (``<backup>.json``). It records the engine,
when the backup was taken, the file's size and SHA-256 digest, the latest applied migration of
each app and the row counts of the tables that matter most (people, involvements, the audit log,
users). It holds no personal data. ``restore`` refuses a backup whose digest no longer matches
its manifest, and compares the restored database with the manifest afterwards. Since format 2
it also lists the uploaded documents archived beside the backup, each with its SHA-256
(``tarian.operations.document_archive``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps

import tarian

MANIFEST_FORMAT = 2

# The tables whose row counts a manifest records, by model label.
KEY_MODELS = (
    "agencies.Agency",
    "agencies.User",
    "people.Person",
    "people.Involvement",
    "audit.AccessEvent",
    "audit.RecordVersion",
    "agencies.ApiToken",
    "documents.Document",
)
# Format 2 (#18): a backup holds the uploaded documents too (``documents`` in the manifest).
# Labels a manifest may hold from before a model moved app (the same table, #19).
FORMER_LABELS = {"api.ApiToken": "agencies.ApiToken"}


class Cursor(Protocol):
    """The part of a DB-API cursor (sqlite3, psycopg or Django's wrapper) used here."""

    def execute(self, sql: str, /) -> object: ...

    def fetchall(self) -> list[Any]: ...


class ManifestError(Exception):
    """A manifest that cannot be read: its message names the file and the problem."""


def manifest_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + ".json")


def quote_identifier(name: str) -> str:
    """A table name quoted for SQL (the same rule on SQLite and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def key_tables() -> dict[str, str]:
    """Model label to table name for the key models that are installed."""
    tables: dict[str, str] = {}
    for label in KEY_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        tables[label] = model._meta.db_table
    return tables


def existing_tables(cursor: Cursor, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def describe_database(cursor: Cursor, vendor: str) -> dict[str, Any]:
    """The migration state and key row counts of the database the cursor reads."""
    tables = existing_tables(cursor, vendor)
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name  # ordered by id, so the last one seen is the latest applied
    row_counts: dict[str, int] = {}
    for label, table in key_tables().items():
        if table in tables:
            # The table name comes from Django's model metadata, never from input.
            cursor.execute(f"SELECT COUNT(*) FROM {quote_identifier(table)}")  # noqa: S608  # nosec B608
            row_counts[label] = int(cursor.fetchall()[0][0])
    documents: list[tuple[str, str, int]] = []
    if "documents_document" in tables:
        cursor.execute("SELECT stored_name, sha256, size_bytes FROM documents_document")
        documents = [(str(name), str(sha), int(size)) for name, sha, size in cursor.fetchall()]
    return {
        "migrations": dict(sorted(migrations.items())),
        "row_counts": row_counts,
        "documents": sorted(documents),
    }


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(
    backup_path: Path,
    *,
    engine: str,
    created_at: dt.datetime,
    state: dict[str, Any],
    documents: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``<backup>.json`` (mode 0600) and return what it says; ``documents`` describes
    the archive of uploaded files beside the backup (``tarian.operations.document_archive``)."""
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "engine": engine,
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "file": backup_path.name,
        "size_bytes": backup_path.stat().st_size,
        "sha256": file_digest(backup_path),
        "tarian_version": tarian.__version__,
        "migrations": state["migrations"],
        "row_counts": state["row_counts"],
    }
    if documents is not None:
        manifest["documents"] = documents
    path = manifest_path(backup_path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, indent=2)
        stream.write("\n")
    path.chmod(0o600)
    return manifest


def read_manifest(backup_path: Path) -> dict[str, Any] | None:
    """The manifest beside a backup, None if there is none; ``ManifestError`` if unreadable."""
    path = manifest_path(backup_path)
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"The manifest {path} cannot be read: {exc}") from exc
    required = ("engine", "sha256", "migrations", "row_counts")
    if not isinstance(manifest, dict) or any(key not in manifest for key in required):
        raise ManifestError(
            f"The manifest {path} is not a Tarian backup manifest "
            f"(it must have {', '.join(required)})"
        )
    return manifest


def differences(manifest: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """How a restored database differs from what its backup's manifest recorded."""
    problems: list[str] = []
    for label, expected in sorted(manifest["row_counts"].items()):
        found = state["row_counts"].get(FORMER_LABELS.get(label, label))
        if found != expected:
            problems.append(f"{label}: {found} rows, the backup had {expected}")
    for app, expected in sorted(manifest["migrations"].items()):
        found = state["migrations"].get(app)
        if found != expected:
            problems.append(f"migrations of {app}: {found}, the backup had {expected}")
    return problems
