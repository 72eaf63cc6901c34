"""What each kind of meeting decides: the workflow that holds meetings of a kind registers the
pack list its decisions come from (``strategy_decisions`` for a strategy meeting), so this app
names no workflow."""

from __future__ import annotations

_DECISIONS: dict[str, str] = {}
_OWN_STEPS: dict[str, frozenset[str]] = {}

# Steps a workflow may take over for its kind of meeting, because it checks more than the
# shared step does (a conference's quorum when it is held, a category and key worker with its
# decisions): the shared pages, API and services then refuse them.
HELD = "held"
DECISION = "decision"


def register_meeting_kind(
    kind: str, *, decisions: str, own_steps: frozenset[str] = frozenset()
) -> None:
    _DECISIONS[kind] = decisions
    _OWN_STEPS[kind] = own_steps


def step_owned(kind: str, step: str) -> bool:
    """True when the workflow of meetings of ``kind`` records ``step`` itself."""
    return step in _OWN_STEPS.get(kind, frozenset())


def decision_list(kind: str) -> str | None:
    """The pack list a meeting of ``kind`` takes its decisions from, if any workflow said."""
    return _DECISIONS.get(kind)
