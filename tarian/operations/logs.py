"""Structured JSON logs, one object per line, without personal data (issue: security baseline)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

SENSITIVE = ("password", "token", "secret", "authorization", "nhs", "name", "email", "birth",
             "postcode", "address")
_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            lowered = key.lower()
            entry[key] = "[redacted]" if any(s in lowered for s in SENSITIVE) else _plain(value)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
