"""Health checks for load balancers and orchestrators: liveness and readiness.

issue: security and reliability baseline (OWASP ASVS L2 V14: no more is disclosed than needed).

Liveness says the process answers and can serve the pages' styles and scripts (a release whose
static files were never collected, or whose manifest is missing, answers every page with an
error, so it must not look alive); it touches no database. Readiness says the same, that the
database answers a trivial query and that every migration has been applied, so a new release is
not sent traffic before its schema is in place. Neither says anything about people, settings or
software versions beyond Tarian's own coarse version number.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

# Every page links these; if one cannot be served, no page can be rendered or styled.
PAGE_STATIC_FILES = (
    "vendor/govuk-frontend/govuk-frontend.min.css",
    "vendor/govuk-frontend/govuk-frontend.min.js",
    "vendor/moj-frontend/moj-frontend.min.css",
    "web/tarian.css",
)


def static_problem() -> str | None:
    """None if every page's styles and scripts can be served, otherwise a short public reason.

    Outside debug the manifest storage maps each name to its hashed copy under ``STATIC_ROOT``
    (``{% static %}`` raises for a name the manifest lacks, so a missing manifest means every
    page fails); in debug the files are served from the apps' folders.
    """
    for name in PAGE_STATIC_FILES:
        if settings.WHITENOISE_USE_FINDERS:
            if not finders.find(name):
                logger.error("Health check: static file %s is not in any app", name)
                return "missing"
            continue
        try:
            stored = staticfiles_storage.stored_name(name)  # type: ignore[attr-defined]
        except ValueError:
            logger.error("Health check: %s is not in the static manifest (run collectstatic)", name)
            return "not collected"
        if not staticfiles_storage.exists(stored):
            logger.error("Health check: %s (%s) is not in STATIC_ROOT", name, stored)
            return "missing"
    return None


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
