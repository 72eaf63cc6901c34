"""Sets the audit context for each request: web page or API call, and its route."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tarian.audit.context import audit_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        route = f"{request.method} {request.path}"
        purpose = request.headers.get("X-Tarian-Purpose", "")
        with audit_context(channel, route, purpose):
            return self.get_response(request)
