"""IS3: a record's merges page says in words what each merge moved and whether it can be undone,
from the rules in ``tarian.people.merging``: every kind of row a merge moves is named, and the
page and the undo itself give one answer to "can this merge be undone now?"."""

from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tarian.errors import Refused
from tarian.people import merging
from tarian.people.merge_reads import MOVED_KINDS, moved_summary, record_merges
from tarian.people.merging import (
    ALIASES,
    LEFT,
    NAMED,
    NOT_MOVED_ACCESS,
    UNDO_LEFT,
    person_links,
    undo_problem,
)
from tarian.people.models import Merge, Person
from tests.people.test_merging import REASON, duplicate_of, fill


def test_is3_every_kind_of_row_a_merge_moves_is_named() -> None:
    moved = {link.key for link in person_links() if link.key not in NOT_MOVED_ACCESS}
    unnamed = (moved | {ALIASES, NAMED}) - MOVED_KINDS.keys()
    assert not unnamed, f"Name these in merge_reads.MOVED_KINDS (and say them in words): {unnamed}"


@pytest.mark.parametrize("key", sorted(MOVED_KINDS))
def test_is3_every_named_kind_is_said_in_words(key: str) -> None:
    merge = Merge(moved={key: [1, 2], LEFT + key: [3]})
    [moved] = moved_summary(merge)
    [left] = moved_summary(merge, left=True)
    assert moved.startswith("2 ") and left.startswith("1 ")
    assert moved != f"2 {MOVED_KINDS[key]}"  # the words, not the kind's code


@pytest.mark.django_db
def test_is3_what_a_merge_really_moved_is_all_said_in_words(
    team_manager: User, child: Person
) -> None:
    dup = duplicate_of(child)
    rows = fill(child, dup, team_manager)
    rows["about_dup"].household.add(dup)
    merge = merging.merge_people(team_manager, keep_ref=child.ref, merge_ref=dup.ref, reason=REASON)
    kinds = {key.removeprefix(LEFT) for key in merge.moved if key != UNDO_LEFT}
    assert kinds <= MOVED_KINDS.keys()
    assert "m2m:referrals.referral.household" in kinds
    for line in moved_summary(merge) + moved_summary(merge, left=True):
        assert "." not in line and ":" not in line  # no key of ``Merge.moved`` left unsaid


@pytest.mark.django_db
def test_is3_the_page_offers_undo_exactly_when_the_undo_would_be_done(
    team_manager: User, child: Person
) -> None:
    dup = duplicate_of(child)
    first = merging.merge_people(team_manager, keep_ref=child.ref, merge_ref=dup.ref, reason=REASON)
    [shown] = record_merges(team_manager, child.ref).merges
    assert shown.undo_problem is None and undo_problem(first) is None and shown.may_undo

    later = duplicate_of(child, given_name="Gwenllian", family_name="Prydderch")
    merging.merge_people(team_manager, keep_ref=later.ref, merge_ref=child.ref, reason=REASON)
    shown = next(m for m in record_merges(team_manager, dup.ref).merges if m.merge == first)
    assert shown.undo_problem is not None and not shown.may_undo
    with pytest.raises(Refused) as refused:
        merging.undo_merge(team_manager, merge_id=first.pk, reason="Different children")
    assert refused.value.errors["__all__"] == [shown.undo_problem]
