"""Timed work (``tarian tick``): what must happen because time passed, not because someone
acted — an agreed action falling overdue (SM3), and later a clock's reminder.

Each app registers its jobs in its ``AppConfig.ready`` with :func:`register_tick_job`; cron
runs ``tarian tick`` every few minutes, which runs every job in name order, each in its own
transaction (decision 17). A job takes the moment it runs for (``now``) and answers with a
one-line summary (or ``None``). Jobs must be idempotent: running ``tick`` twice in a row, or
twice at once after a slow run, does the work once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)

TickJob = Callable[[dt.datetime], "str | None"]

_JOBS: dict[str, TickJob] = {}


def register_tick_job(name: str, job: TickJob) -> None:
    """Register ``job`` to run on every tick under ``name`` (again: replaced)."""
    if not name.strip():
        raise ValueError("A tick job needs a name")
    _JOBS[name] = job


def unregister_tick_job(name: str) -> None:
    """Forget a job (for tests that register their own)."""
    _JOBS.pop(name, None)


def tick_jobs() -> list[tuple[str, TickJob]]:
    """The registered jobs in the order a tick runs them (by name)."""
    return sorted(_JOBS.items())


@dataclass(frozen=True)
class TickResult:
    name: str
    ok: bool
    summary: str


def run_tick(now: dt.datetime) -> list[TickResult]:
    """Run every job once, each in its own transaction: one that fails is rolled back and
    logged, and the others still run."""
    results = []
    for name, job in tick_jobs():
        try:
            with transaction.atomic():
                summary = job(now)
        except Exception as exc:  # one failing job must not stop the others
            logger.exception("tick job failed", extra={"job": name})
            results.append(TickResult(name, False, f"failed: {type(exc).__name__}: {exc}"))
            continue
        logger.info("tick job done", extra={"job": name, "summary": summary or ""})
        results.append(TickResult(name, True, summary or "done"))
    return results
