"""A record's merges as its page shows them: what each merge moved and left, and whether the
reader may undo it (IS3, FD6).

The page reads this instead of deciding: the undo conditions are ``merging.undo_problem``'s,
who may undo is the ``merge`` sharing rule, and who may open the record itself is the
``person`` one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind, User
from tarian.people.duplicates import merges_of
from tarian.people.merging import moved_summary, undo_problem
from tarian.people.models import Merge, Person
from tarian.people.selectors import people_for


@dataclass(frozen=True)
class MergeShown:
    """One merge the record took part in, kept or merged."""

    merge: Merge
    moved: list[str]  # what moved to the record kept, in words
    left: list[str]  # what stayed with the merged record, in words
    undo_problem: str | None  # why it cannot be undone now; None if it can
    may_undo: bool  # the reader may undo merges, and this one can be undone now


@dataclass(frozen=True)
class RecordMerges:
    """Every merge of one record, newest first, as the reader may act on them."""

    person: Person
    merges: list[MergeShown]
    may_undo: bool  # the reader may undo merges at all (the ``merge`` rule's write)
    may_see_person: bool  # the reader may open the record itself (the ``person`` rule)


def record_merges(user: User, ref: str) -> RecordMerges:
    """The merges of the record ``ref`` (``NotFound`` as ``duplicates.merges_of``); audited."""
    person, merges = merges_of(user, ref)
    may_undo = can(user, RecordKind.MERGE, Action.WRITE)
    shown = []
    for merge in merges:
        problem = undo_problem(merge)
        shown.append(
            MergeShown(
                merge=merge,
                moved=moved_summary(merge),
                left=moved_summary(merge, left=True),
                undo_problem=problem,
                may_undo=may_undo and problem is None,
            )
        )
    return RecordMerges(
        person=person,
        merges=shown,
        may_undo=may_undo,
        may_see_person=people_for(user).filter(pk=person.pk).exists(),
    )
