"""``GET /health`` (liveness) and ``GET /health/ready`` (readiness) as JSON.

issue: security and reliability baseline. Public by design: ``/health`` is on the login
middleware's public list; the answers hold no personal data (see ``tarian.operations.health``).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import tarian
from tarian.operations import health


@never_cache
@require_safe
def alive(request: HttpRequest) -> JsonResponse:
    """The process is up and can serve its pages' static files. Touches no database."""
    static = health.static_problem()
    if static is not None:
        return JsonResponse(
            {"status": "unavailable", "static": static, "version": tarian.__version__},
            status=503,
        )
    return JsonResponse({"status": "ok", "version": tarian.__version__})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """The process can serve requests: static files, the database answers, fully migrated."""
    static = health.static_problem()
    if static is not None:
        return JsonResponse(
            {"status": "unavailable", "static": static, "version": tarian.__version__},
            status=503,
        )
    database = health.database_problem()
    if database is not None:
        return JsonResponse(
            {"status": "unavailable", "database": database, "version": tarian.__version__},
            status=503,
        )
    migrations = health.migrations_problem()
    if migrations is not None:
        return JsonResponse(
            {
                "status": "unavailable",
                "database": "ok",
                "migrations": migrations,
                "version": tarian.__version__,
            },
            status=503,
        )
    return JsonResponse(
        {"status": "ok", "database": "ok", "migrations": "ok", "version": tarian.__version__}
    )
