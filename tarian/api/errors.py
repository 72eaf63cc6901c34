"""One error shape for the whole API (API contract conventions).

Invalid input: 400 ``{"errors": {"<field>": ["<message>"]}}``. Not authenticated: 401. Not
allowed: 403. Not found or not visible: 404. Stale version: 409 with the current version.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tarian.errors import Conflict, Forbidden, NotFound, Refused, Restricted


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "__all__" if key == "non_field_errors" else str(key)
            out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(d, dict | list) for d in detail):
            return {prefix or "__all__": [str(d) for d in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(flatten_errors(item, f"{prefix}[{index}]"))
        return out
    return {prefix or "__all__": [str(detail)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Refused):
        return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotFound | Http404):
        return Response({"errors": {"__all__": ["Not found."]}}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Restricted):
        return Response(
            {
                "errors": {
                    "__all__": [
                        "This record is restricted to named people. Use break-glass access "
                        "(POST .../break-glass with a reason) only if you must see it now."
                    ]
                },
                "restricted": True,
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, Forbidden):
        return Response(
            {"errors": {"__all__": ["You do not have permission to do this."]}},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, Conflict):
        return Response(
            {
                "errors": {
                    "version": [
                        "Someone else changed this record since you read it. "
                        "Read it again and re-apply your change."
                    ]
                },
                "current_version": exc.current_version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": flatten_errors(exc.detail)}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"errors": {"__all__": [str(exc.detail)]}}
    return response
