"""``tarian check --deploy``: warn when the database role could erase the audit log (IS4).

docs/decisions/0009. On PostgreSQL the application should connect as a role that may only read
and insert into the audit tables; a deployment that connects as their owner (or a superuser)
gets a warning naming what that role could do. SQLite has no roles and gets no warning here:
docs/security.md says what is enforced there.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError, connection

from tarian.operations.database_roles import runtime_role_problems


def check_audit_role(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            [(role,)] = cursor.fetchall()
            problems = runtime_role_problems(cursor, role)
    except DatabaseError:
        return []  # no database yet (before the first migrate): nothing to say about it
    if not problems:
        return []
    return [
        Warning(
            "The application's database role could change or erase the audit log: "
            + "; ".join(problems)
            + ".",
            hint="Run Tarian as a role that does not own its tables: set DATABASE_URL to that "
            "role and TARIAN_MIGRATE_DATABASE_URL to the owner (README, Deploying).",
            id="tarian.W001",
        )
    ]
