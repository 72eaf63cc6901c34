"""Two PostgreSQL roles, so that the application cannot erase its own audit log (IS3, IS4).

issue #18 item 6; docs/decisions/0009-two-database-roles.md.

The **owner** role (``TARIAN_MIGRATE_DATABASE_URL``) owns every table, the audit trigger and
its function; only ``tarian migrate`` and ``tarian restore`` connect as it. The **runtime**
role (``DATABASE_URL``) is what the web service, the API and every other command run as. After
every migration and restore the owner grants the runtime role, on every table and sequence
in the schema (so tables that new migrations add are covered without anyone remembering):

- ``SELECT, INSERT, UPDATE, DELETE`` on ordinary tables and ``USAGE, SELECT, UPDATE`` on their
  sequences (``UPDATE`` lets the seed move a sequence on after writing ids itself);
- ``SELECT, INSERT`` only on the append-only tables (``tarian.audit.models.
  APPEND_ONLY_MODELS``), ``USAGE, SELECT`` on their sequences;
- never ``TRUNCATE``, ``REFERENCES`` or ``TRIGGER``, and no ownership: so ``TRUNCATE``,
  ``ALTER TABLE … DISABLE TRIGGER``, ``DROP TRIGGER``, replacing or dropping the trigger's
  function, ``UPDATE`` and ``DELETE`` on the audit tables are all refused to it by PostgreSQL
  itself, and ``tarian flush`` (a ``TRUNCATE``) fails for it.

With one role (``TARIAN_MIGRATE_DATABASE_URL`` unset: development, the test suite) nothing is
granted and nothing changes; the row trigger still refuses UPDATE and DELETE. SQLite has no
roles: see docs/security.md for what is and is not enforced there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from tarian.audit.models import APPEND_ONLY_MODELS
from tarian.operations.manifest import Cursor, quote_identifier

ORDINARY_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
NEVER_GRANTED = "TRUNCATE, REFERENCES, TRIGGER"


def runtime_role() -> str:
    """The role the application runs as, when it differs from the tables' owner; else ""."""
    return str(getattr(settings, "TARIAN_DATABASE_RUNTIME_ROLE", "") or "")


def owner_database() -> Mapping[str, Any] | None:
    """Django's settings for connecting as the tables' owner, if a deployment gives them."""
    owner: Mapping[str, Any] | None = getattr(settings, "TARIAN_MIGRATE_DATABASE", None)
    return owner


def append_only_tables() -> list[str]:
    return [model._meta.db_table for model in APPEND_ONLY_MODELS]


class ParamCursor(Protocol):
    """A DB-API cursor (psycopg's or Django's) taking ``%s`` parameters."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any: ...

    def fetchall(self) -> list[Any]: ...


def _fetch(cursor: Cursor, sql: str) -> list[Any]:
    cursor.execute(sql)
    return cursor.fetchall()


def grant_runtime_privileges(cursor: Cursor, role: str) -> None:
    """As the owner: give ``role`` what the application needs on every table and sequence in
    the current schema, and no more on the append-only tables. Idempotent."""
    who = quote_identifier(role)
    [(schema_name,)] = _fetch(cursor, "SELECT current_schema()")
    schema = quote_identifier(schema_name)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT {ORDINARY_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {who}",
        f"REVOKE {NEVER_GRANTED} ON ALL TABLES IN SCHEMA {schema} FROM {who}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
    ]
    for table in append_only_tables():
        name = quote_identifier(table)
        statements.append(f"REVOKE UPDATE, DELETE ON {name} FROM {who}")
        # The audit log's ids cannot be moved back either (setval needs UPDATE).
        [(sequence,)] = _fetch(cursor, f"SELECT pg_get_serial_sequence('{name}', 'id')")
        if sequence:
            statements.append(f"REVOKE UPDATE ON SEQUENCE {sequence} FROM {who}")
    for statement in statements:
        cursor.execute(statement)


def runtime_role_problems(cursor: ParamCursor, role: str) -> list[str]:
    """What would let ``role`` change or erase the audit log, in words; empty if nothing.

    Asks PostgreSQL itself (``has_table_privilege`` and ownership through role membership),
    so a grant made by hand outside Tarian shows up too."""
    problems: list[str] = []
    cursor.execute(
        "SELECT COALESCE(bool_or(rolsuper), false) FROM pg_roles WHERE rolname = %s", [role]
    )
    [(is_superuser,)] = cursor.fetchall()
    if is_superuser:
        problems.append(f"the role {role} is a superuser")
    for table in append_only_tables():
        cursor.execute(
            "SELECT pg_has_role(%s, c.relowner, 'USAGE'), "
            "ARRAY(SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) p "
            "WHERE has_table_privilege(%s, c.oid, p)) "
            "FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [role, role, quote_identifier(table)],
        )
        for owner, allowed in cursor.fetchall():
            if owner:
                problems.append(f"the role {role} owns {table} (or is a member of its owner)")
            elif allowed:
                problems.append(f"the role {role} may {', '.join(allowed)} {table}")
    return problems


def grant_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate``: grant the runtime role its privileges, when migrating as the owner."""
    role = runtime_role()
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        [(current,)] = _fetch(cursor, "SELECT current_user")
        if current == role:
            return  # one role does both: nothing to grant
        grant_runtime_privileges(cursor, role)


@contextmanager
def connected_as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Within the block, Django's connection ``alias`` is the owner role's (if one is
    configured); yields whether it switched. The runtime connection is back afterwards."""
    owner = owner_database()
    if owner is None or alias != DEFAULT_DB_ALIAS:
        yield False
        return
    connection = connections[alias]
    connection.close()
    runtime_settings = connection.settings_dict
    connection.settings_dict = {**runtime_settings, **owner}
    try:
        yield True
    finally:
        connection.close()
        connection.settings_dict = runtime_settings
