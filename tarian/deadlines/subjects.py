"""What a clock is about, in words and as a link: each workflow registers its own subject kinds
(in its ``AppConfig.ready``), so this app names no workflow (issue 21, decision 16).

``describe(user, subject_ids)`` answers for many subjects at once (one statement, not one per
row) with the text and link of each subject the user may open; a subject it leaves out is shown
by its kind's label alone, without a link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tarian.agencies.models import User


@dataclass(frozen=True)
class Subject:
    text: str
    link: str


Describe = Callable[[User, list[str]], dict[str, Subject]]


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    label: Callable[[], str]
    describe: Describe


_KINDS: dict[str, SubjectKind] = {}


def register_subject(kind: str, *, label: Callable[[], str], describe: Describe) -> None:
    """Register a subject kind: ``label()`` names it in the active language ("Gateway
    decision"); ``describe`` says what each subject is and links to it. Registering a kind
    again replaces it (a test may)."""
    _KINDS[kind] = SubjectKind(kind=kind, label=label, describe=describe)


def subject_kind(kind: str) -> SubjectKind | None:
    return _KINDS.get(kind)


def describe_subjects(
    user: User, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Subject]:
    """Each ``(kind, subject_id)`` the user may open, described by its kind: one call (and
    at most one statement) per kind."""
    by_kind: dict[str, list[str]] = {}
    for kind, subject_id in pairs:
        by_kind.setdefault(kind, []).append(subject_id)
    found: dict[tuple[str, str], Subject] = {}
    for kind, ids in by_kind.items():
        registered = _KINDS.get(kind)
        if registered is None:
            continue
        for subject_id, subject in registered.describe(user, sorted(set(ids))).items():
            found[(kind, subject_id)] = subject
    return found
