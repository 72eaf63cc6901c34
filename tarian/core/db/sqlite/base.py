"""Django's SQLite backend with one change for every request: a statement's text is
converted to SQLite's placeholders once, not on every execution.

Django writes statements with ``%s`` placeholders; its SQLite cursor turns each into ``?``
with a regular expression every time a statement runs. For the long hand-written statements
that run on every API request (the token's, the person read's, the audit event's) that
substitution cost about a tenth of the whole request (issue 17, docs/performance.md). The
converted text depends only on the text, so it is remembered, for a bounded number of
distinct statements; statements with named parameters are converted as Django does.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base

CONVERTED_STATEMENTS = 1024  # distinct statement texts remembered per process


@lru_cache(maxsize=CONVERTED_STATEMENTS)
def _converted(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)  # type: ignore[misc]
        return _converted(query)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)

