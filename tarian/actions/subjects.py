"""What an agreed action is about, and who besides its owner may see it, complete it and
oversee it: each workflow registers its own subject kinds (in its ``AppConfig.ready``), so this
app names no workflow (SM3, decision 17), as ``tarian.deadlines.subjects`` does for clocks.

- ``describe(user, subject_ids)``: the text and link of each subject the user may open, for
  many at once (one statement, not one per row); one it leaves out is shown by the kind's label.
- ``may_see(user, subject_ids)``: the subjects whose actions the user may read although their
  agency does not own them (everyone invited to the meeting, say).
- ``may_complete(user, subject_id)``: whether the user may record an action's outcome for
  another agency ("the meeting's chair", "the coordinating lead", AP3).
- ``overseers(subject_id)``: who is told, with the owner, when an action is overdue (the chair).

A kind nobody registered: only the owner agency's users see or complete its actions, and
nobody oversees them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject

__all__ = [
    "ActionSubjectKind",
    "Subject",
    "action_subject_kind",
    "describe_action_subjects",
    "register_action_subject",
]

Describe = Callable[[User, list[str]], dict[str, Subject]]
MaySee = Callable[[User, list[str]], set[str]]
MayComplete = Callable[[User, str], bool]
Overseers = Callable[[str], list[User]]


def _nobody_sees(user: User, subject_ids: list[str]) -> set[str]:
    return set()


def _nobody_completes(user: User, subject_id: str) -> bool:
    return False


def _nobody_oversees(subject_id: str) -> list[User]:
    return []


@dataclass(frozen=True)
class ActionSubjectKind:
    kind: str
    label: Callable[[], str]
    describe: Describe
    may_see: MaySee = _nobody_sees
    may_complete: MayComplete = _nobody_completes
    overseers: Overseers = _nobody_oversees


_KINDS: dict[str, ActionSubjectKind] = {}


def register_action_subject(
    kind: str,
    *,
    label: Callable[[], str],
    describe: Describe,
    may_see: MaySee = _nobody_sees,
    may_complete: MayComplete = _nobody_completes,
    overseers: Overseers = _nobody_oversees,
) -> None:
    """Register a kind of subject actions are agreed in: ``label()`` names it in the active
    language ("Strategy meeting"). Registering a kind again replaces it (a test may)."""
    _KINDS[kind] = ActionSubjectKind(
        kind=kind, label=label, describe=describe, may_see=may_see,
        may_complete=may_complete, overseers=overseers,
    )


def unregister_action_subject(kind: str) -> None:
    """Forget a kind (for tests that register their own)."""
    _KINDS.pop(kind, None)


def action_subject_kind(kind: str) -> ActionSubjectKind | None:
    return _KINDS.get(kind)


def describe_action_subjects(
    user: User, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Subject]:
    """Each ``(kind, subject_id)`` the user may open, described by its kind: one call per
    kind."""
    by_kind: dict[str, set[str]] = {}
    for kind, subject_id in pairs:
        by_kind.setdefault(kind, set()).add(subject_id)
    found: dict[tuple[str, str], Subject] = {}
    for kind, ids in by_kind.items():
        registered = _KINDS.get(kind)
        if registered is None:
            continue
        for subject_id, subject in registered.describe(user, sorted(ids)).items():
            found[(kind, subject_id)] = subject
    return found


def label_of(kind: str) -> str:
    """The kind's name in the active language, or its code when nobody registered it."""
    registered = _KINDS.get(kind)
    return registered.label() if registered else kind
