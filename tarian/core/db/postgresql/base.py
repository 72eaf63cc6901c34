"""Django's PostgreSQL backend with two changes for the hottest paths (a match through the API).

1. The connection health check is skipped for a connection a request finished with moments
   ago. ``CONN_HEALTH_CHECKS`` makes Django ask the server ``SELECT 1`` before the first
   statement of every request that reuses a persistent connection: a whole round trip. A
   connection that a request finished with less than ``RECENT_SECONDS`` ago was working then;
   it is checked locally instead (psycopg knows a connection it has seen close or break). One
   that has been idle longer is checked with the server as before. Either way a connection
   that fails during a request is closed at its end (``errors_occurred``), as Django does.
2. ``prepared_cursor()``: a cursor whose statements are bound on the server and prepared, so
   that PostgreSQL plans each of them once per connection rather than on every execution.
   Only the few hand-written statements that run on every request use it
   (``tarian.core.rawsql.prepared_cursor``); everything else is as Django does it. Prepared
   statements need a session of their own: behind PgBouncer, use session pooling or
   PgBouncer 1.21 or newer with ``max_prepared_statements`` set, or turn preparing off with
   ``OPTIONS["prepare_threshold"] = None``.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader  # type: ignore[import-untyped]
from django.db.backends.utils import CursorWrapper
from psycopg.pq import Format

RECENT_SECONDS = 2.0
TIMESTAMPTZ_OID = 1184


class DatabaseWrapper(base.DatabaseWrapper):
    _between_requests_at: float | None = None
    _recently_used = False
    _preparing = False
    health_check_enabled: bool  # set by Django's base class (the stubs leave them out)
    health_check_done: bool

    def close_if_unusable_or_obsolete(self) -> None:
        # Called as a request starts and as it finishes: at the start, the time since the
        # previous call is how long the connection has been idle.
        now = time.monotonic()
        last, self._between_requests_at = self._between_requests_at, now
        self._recently_used = last is not None and now - last < RECENT_SECONDS
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self) -> None:
        if (
            self._recently_used and self.connection is not None
            and not getattr(self, "pool", None)
            and self.health_check_enabled and not self.health_check_done
        ):
            self.health_check_done = True
            if self.connection.closed or self.connection.broken:
                self.close()
            return
        super().close_if_health_check_failed()

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            # Django leaves preparing off (None). Only ``prepared_cursor()`` binds on the server
            # (Django's own cursors bind on the client and never prepare), so this prepares
            # exactly its statements, on their first execution. A deployment behind a pooler
            # that cannot keep prepared statements sets OPTIONS["prepare_threshold"] = None.
            params["prepare_threshold"] = 0
        return params

    def prepared_cursor(self) -> CursorWrapper:
        """Django's cursor (its error wrapping, query logging and transactions) around one
        that binds parameters on the server, so that psycopg prepares its statements as the
        connection's ``prepare_threshold`` says (``get_connection_params``)."""
        self._preparing = True
        try:
            return self.cursor()
        finally:
            self._preparing = False

    def create_cursor(self, name: str | None = None) -> Any:
        if not self._preparing or name:
            return super().create_cursor(name)
        cursor = base.ServerBindingCursor(self.connection)  # type: ignore[attr-defined]
        # As Django's create_cursor: the cursor's time zone only where the connection's differs.
        tzloader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if self.timezone != tzloader.timezone:
            register_tzloader(self.timezone, cursor)
        return cursor
