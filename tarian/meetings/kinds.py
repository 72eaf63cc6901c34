"""What each kind of meeting decides: the workflow that holds meetings of a kind registers the
pack list its decisions come from (``strategy_decisions`` for a strategy meeting), so this app
names no workflow."""

from __future__ import annotations

_DECISIONS: dict[str, str] = {}


def register_meeting_kind(kind: str, *, decisions: str) -> None:
    _DECISIONS[kind] = decisions


def decision_list(kind: str) -> str | None:
    """The pack list a meeting of ``kind`` takes its decisions from, if any workflow said."""
    return _DECISIONS.get(kind)
