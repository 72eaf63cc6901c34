"""A record's merges as its page shows them: what each merge moved and left, in words
(``MOVED_KINDS``, ``moved_summary``), and whether the reader may undo it (IS3, FD6).

The page reads this instead of deciding: the undo conditions are ``merging.undo_problem``'s,
who may undo is the ``merge`` sharing rule, and who may open the record itself is the
``person`` one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind, User
from tarian.people.duplicates import merges_of
from tarian.people.merging import ALIASES, LEFT, NAMED, UNDO_LEFT, undo_problem
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


# What a merge moved, by kind of row, in words: every key ``merge_people`` writes to
# ``Merge.moved`` (a foreign key of ``person_links``, ``ALIASES``, ``NAMED``) is named here, and
# a test holds that true for every app's links (tests/people/test_merge_summary.py).
MOVED_KINDS: dict[str, str] = {
    "people.involvement.person": "involvement",
    "people.personname.person": "name",
    "people.residence.person": "address",
    "people.householdmember.person": "household",
    "people.relationship.person": "relationship",
    "people.relationship.relative": "relationship",
    "people.restrictedaccess.person": "named_access",
    "people.breakglass.person": "break_glass",
    "documents.document.person": "document",
    "deadlines.deadline.person": "deadline",
    "m2m:referrals.referral.children": "referral",
    "m2m:referrals.referral.household": "household_referral",
    # #20 item 8: a referral naming the record as a child its referrer could not see.
    "referrals.unseenchild.person": "unseen_referral",
    "referrals.unseenchild.linked": "unseen_referral",
    # Issue 21: meetings and Section 47 enquiries about the child go with the record kept.
    "m2m:meetings.meeting.children": "meeting",
    "meetings.meeting.professional": "meeting",
    "meetings.meetingdecision.child": "meeting_decision",
    "m2m:enquiries.enquiry.children": "enquiry",
    "enquiries.childseen.child": "child_seen",
    ALIASES: "alias",
    NAMED: "named_access",
}


def _in_words(kind: str, count: int) -> str:
    words = {
        "involvement": ngettext("%(count)d agency involvement", "%(count)d agency involvements",
                                count),
        "name": ngettext("%(count)d other name", "%(count)d other names", count),
        "address": ngettext("%(count)d address", "%(count)d addresses", count),
        "household": ngettext("%(count)d household membership", "%(count)d household memberships",
                              count),
        "relationship": ngettext("%(count)d relationship", "%(count)d relationships", count),
        "named_access": ngettext("%(count)d person named on the record",
                                 "%(count)d people named on the record", count),
        "break_glass": ngettext("%(count)d break-glass opening", "%(count)d break-glass openings",
                                count),
        "document": ngettext("%(count)d document", "%(count)d documents", count),
        "deadline": ngettext("%(count)d deadline", "%(count)d deadlines", count),
        "referral": ngettext("%(count)d referral", "%(count)d referrals", count),
        "household_referral": ngettext("%(count)d referral naming them in the household",
                                       "%(count)d referrals naming them in the household", count),
        "unseen_referral": ngettext(
            "%(count)d referral by someone who could not see the record",
            "%(count)d referrals by someone who could not see the record", count),
        "alias": ngettext("%(count)d name added as an alias", "%(count)d names added as aliases",
                          count),
        "meeting": ngettext("%(count)d meeting", "%(count)d meetings", count),
        "meeting_decision": ngettext("%(count)d meeting decision about them",
                                     "%(count)d meeting decisions about them", count),
        "enquiry": ngettext("%(count)d Section 47 enquiry", "%(count)d Section 47 enquiries",
                            count),
        "child_seen": ngettext("%(count)d visit seeing them in an enquiry",
                               "%(count)d visits seeing them in enquiries", count),
    }
    return words.get(kind, f"%(count)d {kind}") % {"count": count}


def moved_summary(merge: Merge, *, left: bool = False) -> list[str]:
    """What the merge moved ("3 agency involvements"), or with ``left`` what stayed behind
    because the kept record already had it or it linked the two records."""
    totals: dict[str, int] = {}
    for key, ids in merge.moved.items():
        if key == UNDO_LEFT or not isinstance(ids, list):
            continue
        if key.startswith(LEFT) != left:
            continue
        link = key.removeprefix(LEFT)
        kind = MOVED_KINDS.get(link, link)
        totals[kind] = totals.get(kind, 0) + len(ids)
    return [_in_words(kind, count) for kind, count in sorted(totals.items())]
