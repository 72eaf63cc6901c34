"""Error pages: the API answers in its own JSON error shape even where no API view was reached
(an address that matches no operation), and the web answers with the GOV.UK page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found, server_error

API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"errors": {"__all__": ["Not found."]}}, status=404)
    return page_not_found(request, exception or Exception())


def failed(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"errors": {"__all__": ["Something went wrong on our side. It has been logged."]}},
            status=500,
        )
    return server_error(request)
