"""Structured JSON logs without personal data, and a one-line-per-request log.

issue: security and reliability baseline (OWASP ASVS L2 V7.1: logs hold no sensitive data;
NHS DSPT: audit and monitoring).

``JsonFormatter`` writes one JSON object per line: time (ISO 8601, UTC), level, logger, message,
the extras a caller attached, and for an exception its type and traceback. To keep personal data
out of the logs it

- drops query strings from every URL or path, in the message and in extras (searches carry
  names and dates of birth in them);
- replaces the value of any extra whose key looks sensitive (password, token, name, email, NHS
  number, date of birth, postcode, address ...) with ``"[redacted]"``, at any depth;
- writes a user as their id only, a request as its method and path, and any other object as
  its type name, never its ``str()`` (a person's ``str()`` is their name);
- leaves out the exception's message, which for database errors quotes the clashing values.

``RequestLogMiddleware`` logs each request at INFO to ``tarian.requests``: method, the URL
pattern that matched (``/people/<str:ref>``) or else the path without its query string, status
code, duration in milliseconds and the user's id.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REDACTED = "[redacted]"
SENSITIVE_KEY_PARTS = (
    "password",
    "passwd",
    "token",
    "secret",
    "authorization",
    "cookie",
    "session",
    "csrf",
    "nhs",
    "name",
    "email",
    "date_of_birth",
    "dob",
    "birth",
    "postcode",
    "address",
    "phone",
    "upn",
)
MAX_TEXT = 4000

# Attributes every LogRecord has; anything else on a record is an extra.
STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName"}

# A path or URL followed by a query string: keep the path, drop "?..." up to whitespace or quote.
_QUERY = re.compile(r"((?:[a-z][a-z0-9+.-]*://[^\s/?#\"'<>]*)?/[^\s?#\"'<>]*)\?[^\s#\"'<>]*", re.I)


def without_query(text: str) -> str:
    """Text with the query string of every path or URL in it removed."""
    if "?" not in text:  # nothing to remove (most lines): skip the expression
        return text
    return _QUERY.sub(r"\1", text)


def is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


def clean(key: str, value: Any, depth: int = 0) -> Any:
    """A JSON-safe value for an extra, with personal data redacted or left out."""
    if is_sensitive(key):
        return REDACTED
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return without_query(value)[:MAX_TEXT]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if depth >= 4:
        return f"<{type(value).__name__}>"
    if isinstance(value, dict):
        return {str(k): clean(str(k), v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean(key, item, depth + 1) for item in value]
    if isinstance(value, HttpRequest):
        return {"method": value.method, "path": value.path}
    if hasattr(value, "is_authenticated") and hasattr(value, "pk"):
        return value.pk  # a user: their id, never their username or name
    return f"<{type(value).__name__}>"


def exception_fields(record: logging.LogRecord) -> dict[str, Any]:
    if not record.exc_info or record.exc_info[0] is None:
        return {}
    kind, _value, tb = record.exc_info
    return {
        "exception": {
            "type": f"{kind.__module__}.{kind.__qualname__}",
            # The frames only: the message of a database error quotes the values involved.
            "traceback": "".join(traceback.format_tb(tb)),
        }
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line, without personal data (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": without_query(record.getMessage())[:MAX_TEXT],
        }
        for key, value in vars(record).items():
            if key in STANDARD_ATTRIBUTES or key in entry:
                continue
            if key == "request" and isinstance(value, HttpRequest):
                # Django's own loggers attach the request: keep its method and path only.
                entry.setdefault("method", value.method)
                entry.setdefault("path", value.path)
                continue
            entry[key] = clean(key, value)
        entry.update(exception_fields(record))
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


request_logger = logging.getLogger("tarian.requests")


def route_of(request: HttpRequest) -> str:
    """The URL pattern that matched (no identifiers in it), else the path without the query."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.lstrip("/")
    return request.path


def user_id_of(request: HttpRequest) -> int | str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        pk: int | str | None = user.pk
        return pk
    return None


class RequestLogMiddleware:
    """Logs one line per request to ``tarian.requests`` at INFO."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        route = route_of(request)
        request_logger.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "method": request.method,
                "path": route,
                "status_code": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id_of(request),
            },
        )
        return response
