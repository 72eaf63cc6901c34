"""Django's PostgreSQL backend, with the connection health check skipped for a connection a
request finished with moments ago.

``CONN_HEALTH_CHECKS`` makes Django ask the server ``SELECT 1`` before the first statement of
every request that reuses a persistent connection: a whole round trip, on the busiest paths a
tenth of a request's time (a match through the API). A connection that a request finished
with less than ``RECENT_SECONDS`` ago was working then; it is checked locally instead (psycopg
knows a connection it has seen close or break). One that has been idle longer is checked with
the server as before. Either way a connection that fails during a request is closed at its end
(``errors_occurred``), as Django does.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

RECENT_SECONDS = 2.0


class DatabaseWrapper(base.DatabaseWrapper):
    _between_requests_at: float | None = None
    _recently_used = False
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
            self._recently_used and self.connection is not None and not getattr(self, "pool", None)
            and self.health_check_enabled and not self.health_check_done
        ):
            self.health_check_done = True
            if self.connection.closed or self.connection.broken:
                self.close()
            return
        super().close_if_health_check_failed()
