"""PostgreSQL backups with pg_dump and restores with pg_restore (IS3, IS4 integrity).

issue: security and reliability baseline (OWASP ASVS L2 V14, NHS DSPT backups).

The dump is taken from a snapshot exported by a read-only REPEATABLE READ transaction, and the
manifest's row counts are read in that same transaction, so the manifest describes exactly what
the dump holds even while people keep working. The password reaches the client tools through
the ``PGPASSWORD`` variable of their environment, never on a command line that ``ps`` shows;
commands are argument lists run without a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 - pg_dump and pg_restore, with argument lists only
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from tarian.operations.manifest import describe_database

PGDUMP_MAGIC = b"PGDMP"


class PostgresToolError(Exception):
    """pg_dump or pg_restore is missing or failed: the message says which and why."""


@dataclass(frozen=True)
class PostgresTarget:
    """Where a database is: Django's connection settings, as the client tools need them."""

    name: str
    user: str = ""
    host: str = ""
    port: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, database: Mapping[str, Any]) -> PostgresTarget:
        options = database.get("OPTIONS") or {}
        return cls(
            name=str(database["NAME"]),
            user=str(database.get("USER") or ""),
            host=str(database.get("HOST") or ""),
            port=str(database.get("PORT") or ""),
            password=str(database.get("PASSWORD") or ""),
            sslmode=str(options.get("sslmode") or ""),
        )

    def with_name(self, name: str) -> PostgresTarget:
        return PostgresTarget(name, self.user, self.host, self.port, self.password, self.sslmode)

    def client_arguments(self) -> list[str]:
        """Connection options for pg_dump and pg_restore (never the password)."""
        arguments = []
        if self.host:
            arguments += ["--host", self.host]
        if self.port:
            arguments += ["--port", self.port]
        if self.user:
            arguments += ["--username", self.user]
        return [*arguments, "--no-password"]

    def client_environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        if self.sslmode:
            environment["PGSSLMODE"] = self.sslmode
        return environment

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection[Any]:
        params = {
            "dbname": self.name,
            "user": self.user,
            "host": self.host,
            "port": self.port,
            "password": self.password,
            "sslmode": self.sslmode,
        }
        conninfo = make_conninfo(**{key: value for key, value in params.items() if value})
        return psycopg.connect(conninfo, autocommit=autocommit)


def client_tool(name: str) -> str:
    """The full path of a PostgreSQL client tool, or a refusal saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise PostgresToolError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            f"(the same major version as the server or newer) and try again"
        )
    return found


def _run(arguments: list[str], target: PostgresTarget) -> subprocess.CompletedProcess[str]:
    try:
        # Safe: an argument list with no shell; every value comes from Django's settings or a
        # path the operator gave, and the password travels only in the environment.
        return subprocess.run(  # noqa: S603  # nosec B603
            arguments,
            check=True,
            capture_output=True,
            text=True,
            env=target.client_environment(),
        )
    except subprocess.CalledProcessError as exc:
        tool = Path(arguments[0]).name
        detail = (exc.stderr or "").strip() or f"exit status {exc.returncode}"
        raise PostgresToolError(f"{tool} failed: {detail}") from exc


def dump(target: PostgresTarget, dest_path: Path) -> dict[str, Any]:
    """Dump the database in pg_dump's custom format to ``dest_path`` (which must exist).

    Returns the migration state and key row counts read from the dump's own snapshot.
    """
    pg_dump = client_tool("pg_dump")
    with target.connect() as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            snapshot = str(row[0])
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dest_path}",
                    *target.client_arguments(),
                    f"--dbname={target.name}",
                ],
                target,
            )
            state = describe_database(cursor, "postgresql")
        connection.rollback()
    return state


def check_dump(path: Path, target: PostgresTarget) -> None:
    """Refuse a file that pg_restore cannot read as a custom-format dump."""
    with path.open("rb") as stream:
        if stream.read(len(PGDUMP_MAGIC)) != PGDUMP_MAGIC:
            raise PostgresToolError(f"{path} is not a pg_dump custom-format file")
    _run([client_tool("pg_restore"), "--list", str(path)], target)


def restore(backup_path: Path, target: PostgresTarget) -> None:
    """Replace the target database's tables with the dump's, all or nothing."""
    pg_restore = client_tool("pg_restore")
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # a failed restore leaves the database as it was
            *target.client_arguments(),
            f"--dbname={target.name}",
            str(backup_path),
        ],
        target,
    )


def describe(target: PostgresTarget) -> dict[str, Any]:
    """Migration state and key row counts of a database, read now."""
    with target.connect() as connection, connection.cursor() as cursor:
        return describe_database(cursor, "postgresql")
