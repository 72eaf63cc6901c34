"""Health checks for load balancers and orchestrators: liveness and readiness.

issue: security and reliability baseline (OWASP ASVS L2 V14: no more is disclosed than needed).

Liveness says the process answers, and touches nothing else. Readiness says the database
answers a trivial query and every migration has been applied, so a new release is not sent
traffic before its schema is in place. Neither says anything about people, settings or
software versions beyond Tarian's own coarse version number.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


def database_problem() -> str | None:
    """None if the database answers ``SELECT 1``, otherwise a short public reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The detail (host names, users) goes to the log, not to whoever asked.
        logger.exception("Readiness check: the database did not answer")
        return "unavailable"
    return None


def migrations_problem() -> str | None:
    """None if every migration is applied, otherwise a short public reason."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("Readiness check: the migration state could not be read")
        return "unknown"
    if plan:
        logger.warning("Readiness check: %d migrations are not applied", len(plan))
        return f"{len(plan)} not applied"
    return None
