"""Where the current read or write comes from (page, API call or command), for the audit log.

Set once per request by ``AuditContextMiddleware`` (and by commands), read by the audit service,
so that selectors and services need not pass the route around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    channel: str = "command"
    route: str = ""
    purpose: str = ""


_DEFAULT = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("tarian_audit_context", default=_DEFAULT)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(channel: str, route: str = "", purpose: str = "") -> Iterator[AuditContext]:
    ctx = AuditContext(channel=channel, route=route[:300], purpose=purpose[:300])
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
