"""Reading duplicate records and their merges: the review list, one pair, a record's merges (IS3,
FD6).

Who may see what here is decided by the ``merge`` sharing rule, not the ``person`` one: a system
administrator who may merge need not read case records. Restricted records are still hidden
unless the user is named on them or has broken the glass, and a pair or merge involving one is
answered like one that does not exist. Every read of a person's details is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access, record_accesses
from tarian.errors import Forbidden, NotFound, Refused
from tarian.people.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Merge,
    Person,
    PersonName,
    Residence,
)
from tarian.people.restriction import restriction_filter
from tarian.people.selectors import _current_involvement_of, people_for, today


def require_merge(user: User, action: str) -> Scope:
    """The user's scope for this action on merges; ``Forbidden`` if they have none."""
    scope = scope_for(user, RecordKind.MERGE, action)
    if scope == Scope.NONE:
        raise Forbidden(f"{RecordKind.MERGE}:{action}")
    return scope


def people_for_merging(
    user: User, action: str, *, with_restricted: bool = False
) -> QuerySet[Person]:
    """The people this user may act on through the ``merge`` rule (restricted ones taken out,
    unless ``with_restricted``: for telling "restricted" apart from "not there")."""
    scope = scope_for(user, RecordKind.MERGE, action)
    if scope == Scope.ALL:
        people = Person.objects.all()
    elif scope == Scope.INVOLVED and user.agency_id is not None:
        people = Person.objects.filter(
            _current_involvement_of(user.agency_id, today())
            | Q(created_by_agency_id=user.agency_id)
        )
    else:
        return Person.objects.none()
    return people if with_restricted else people.filter(restriction_filter(user))


def _with_current_addresses(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}residences",
        queryset=Residence.objects.filter(end_date__isnull=True).select_related("address"),
        to_attr="current_residences",
    )


def duplicate_review_list(user: User, status: str = DuplicateStatus.OPEN) -> QuerySet[
    DuplicateCandidate
]:
    """Pairs ``tarian dedupe`` found, best first, that the user may work through.

    Not audited here, because only the page shown is a read of those people: call
    ``note_listed`` with it. An open pair in which a record has since been merged through
    another pair is left out; undoing that merge brings it back.
    """
    require_merge(user, Action.LIST)
    if status not in DuplicateStatus.values:
        raise Refused(
            "status",
            _("Choose one of: %(values)s") % {"values": ", ".join(DuplicateStatus.values)},
        )
    visible = people_for_merging(user, Action.LIST)
    pairs = DuplicateCandidate.objects.filter(
        status=status, person_a__in=visible, person_b__in=visible
    )
    if status == DuplicateStatus.OPEN:
        pairs = pairs.filter(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
    return (
        pairs.select_related("person_a", "person_b", "decided_by")
        .prefetch_related(
            _with_current_addresses("person_a__"), _with_current_addresses("person_b__")
        )
        .order_by("-score", "id")
    )


def hidden_pair_count(user: User, status: str = DuplicateStatus.OPEN) -> int:
    """How many pairs of this status involve a restricted record the user may not see."""
    if scope_for(user, RecordKind.MERGE, Action.LIST) == Scope.NONE:
        return 0
    everyone = people_for_merging(user, Action.LIST, with_restricted=True)
    visible = people_for_merging(user, Action.LIST)
    return (
        DuplicateCandidate.objects.filter(
            status=status, person_a__in=everyone, person_b__in=everyone
        )
        .exclude(person_a__in=visible, person_b__in=visible)
        .count()
    )


def open_pair_count(user: User) -> int:
    """How many pairs wait for review (for the home page); 0 for those who may not review."""
    if scope_for(user, RecordKind.MERGE, Action.LIST) == Scope.NONE:
        return 0
    return duplicate_review_list(user).count()


def note_listed(user: User, pairs: list[DuplicateCandidate]) -> None:
    """Audit that these pairs (both people of each) were shown to the user."""
    ids: list[int] = []
    for pair in pairs:
        ids += [pair.person_a_id, pair.person_b_id]
    record_accesses(
        user,
        action=AccessAction.LIST,
        record_kind=RecordKind.MERGE,
        person_ids=ids,
        detail={"list": "duplicates"},
    )


def candidate_for(user: User, candidate_id: int, action: str = Action.READ) -> DuplicateCandidate:
    """One pair the user may act on; ``NotFound`` alike for a missing pair and a hidden one."""
    require_merge(user, action)
    visible = people_for_merging(user, action)
    found = (
        DuplicateCandidate.objects.filter(
            pk=candidate_id, person_a__in=visible, person_b__in=visible
        )
        .select_related("person_a", "person_b", "decided_by")
        .first()
    )
    if found is None:
        raise NotFound(str(candidate_id))
    return found


@dataclass(frozen=True)
class Side:
    """One record of a pair as the comparison page shows it."""

    person: Person
    aliases: list[PersonName]
    residences: list[Residence]
    involvement_count: int
    current_involvement_count: int
    referral_count: int
    document_count: int

    @property
    def current_residence(self) -> Residence | None:
        return next((r for r in self.residences if r.end_date is None), None)

    @property
    def previous_residences(self) -> list[Residence]:
        return [r for r in self.residences if r.end_date is not None]


@dataclass(frozen=True)
class Pair:
    candidate: DuplicateCandidate
    a: Side
    b: Side
    merge: Merge | None  # the merge that decided the pair, if it was merged
    may_decide: bool  # the reader may merge pairs or mark them not the same (``merge`` write)

    @property
    def is_decided(self) -> bool:
        return self.candidate.status != DuplicateStatus.OPEN

    @property
    def merged_elsewhere(self) -> list[Person]:
        """Records of an open pair that have since been merged through another pair."""
        return [s.person for s in (self.a, self.b) if s.person.merged_into_id is not None]

    @property
    def may_mark(self) -> bool:
        """Offer "not the same person": the reader may decide, and nobody has yet."""
        return self.may_decide and not self.is_decided

    @property
    def may_merge(self) -> bool:
        """Offer "merge": as ``may_mark``, and neither record has been merged since."""
        return self.may_mark and not self.merged_elsewhere


def _sides(people: list[Person]) -> dict[int, Side]:
    on = today()
    counted = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[p.pk for p in people]).annotate(
            involvement_total=Count("involvements", distinct=True),
            involvement_now=Count(
                "involvements",
                filter=Q(involvements__start_date__lte=on)
                & (Q(involvements__end_date__isnull=True) | Q(involvements__end_date__gte=on)),
                distinct=True,
            ),
            referral_total=Count("referrals", distinct=True),
            document_total=Count("documents", distinct=True),
        )
    }
    sides: dict[int, Side] = {}
    for person in people:
        numbers = counted[person.pk]
        sides[person.pk] = Side(
            person=person,
            aliases=list(person.names.all()),
            residences=list(person.residences.select_related("address").order_by("-start_date")),
            involvement_count=numbers.involvement_total,
            current_involvement_count=numbers.involvement_now,
            referral_count=numbers.referral_total,
            document_count=numbers.document_total,
        )
    return sides


def duplicate_pair(user: User, candidate_id: int) -> Pair:
    """The two records of a pair side by side, for deciding; the read is audited."""
    candidate = candidate_for(user, candidate_id, Action.READ)
    sides = _sides([candidate.person_a, candidate.person_b])
    merge = None
    if candidate.status == DuplicateStatus.MERGED:
        merge = (
            Merge.objects.filter(
                Q(kept=candidate.person_a, merged=candidate.person_b)
                | Q(kept=candidate.person_b, merged=candidate.person_a),
                undone_at__isnull=True,
            )
            .select_related("kept", "merged", "merged_by")
            .first()
        )
    for person in (candidate.person_a, candidate.person_b):
        record_access(
            user,
            action=AccessAction.VIEW,
            record_kind=RecordKind.MERGE,
            record_id=f"pair-{candidate.pk}",
            person_id=person.pk,
        )
    return Pair(
        candidate=candidate, a=sides[candidate.person_a_id], b=sides[candidate.person_b_id],
        merge=merge, may_decide=scope_for(user, RecordKind.MERGE, Action.WRITE) != Scope.NONE,
    )


def merge_person_for(user: User, ref: str, action: str = Action.READ) -> Person:
    """One person the user may see through the ``merge`` rule, or ``NotFound``."""
    require_merge(user, action)
    person = people_for_merging(user, action).filter(ref=ref).first()
    if person is None:
        raise NotFound(ref)
    return person


def merges_of(user: User, ref: str) -> tuple[Person, list[Merge]]:
    """Every merge this record took part in, kept or merged, newest first; audited."""
    person = merge_person_for(user, ref, Action.READ)
    merges = list(
        Merge.objects.filter(Q(kept=person) | Q(merged=person))
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )
    # The page names the other record of each merge too: its reading is audited as well.
    shown = [person.pk]
    for merge in merges:
        shown += [pk for pk in (merge.kept_id, merge.merged_id) if pk not in shown]
    record_accesses(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.MERGE,
        person_ids=shown,
        record_ids=[person.ref] * len(shown),
    )
    return person, merges


def merge_for(user: User, merge_id: int, action: str = Action.READ) -> Merge:
    """One merge whose two records the user may see; ``NotFound`` otherwise."""
    require_merge(user, action)
    visible = people_for_merging(user, action)
    found = (
        Merge.objects.filter(pk=merge_id, kept__in=visible, merged__in=visible)
        .select_related("kept", "merged", "merged_by", "undone_by")
        .first()
    )
    if found is None:
        raise NotFound(str(merge_id))
    return found


@dataclass(frozen=True)
class MergeNotice:
    """What a person's page says about merges: where a merged record went, or how many
    duplicates were merged into this one (the latter only to those who may see merges)."""

    kept: Person | None  # the record this one was merged into
    kept_is_visible: bool
    merged_at: dt.datetime | None
    merged_here: int
    may_see_merges: bool

    @property
    def is_merged(self) -> bool:
        return self.kept is not None


def merge_notice(user: User, person: Person) -> MergeNotice | None:
    """The notice for a person's page, or None when there is nothing to say."""
    may_see_merges = scope_for(user, RecordKind.MERGE, Action.READ) != Scope.NONE
    if person.merged_into_id is not None:
        kept = Person.objects.get(pk=person.merged_into_id)
        merge = (
            Merge.objects.filter(merged=person, kept=kept, undone_at__isnull=True)
            .order_by("-merged_at")
            .first()
        )
        return MergeNotice(
            kept=kept,
            kept_is_visible=people_for(user).filter(pk=kept.pk).exists(),
            merged_at=merge.merged_at if merge else None,
            merged_here=0,
            may_see_merges=may_see_merges,
        )
    if not may_see_merges:
        return None
    merged_here = Person.objects.filter(merged_into=person).count()
    if not merged_here:
        return None
    return MergeNotice(
        kept=None, kept_is_visible=False, merged_at=None, merged_here=merged_here,
        may_see_merges=True,
    )


def open_duplicates_of(person_ids: Collection[int]) -> dict[int, list[int]]:
    """For each of these people, the other records of their open duplicate pairs (neither
    merged since): records that may be the same person (IS3, FD6). One indexed read.

    Only the pairs' ids, no one's details: the caller asks ``people_for`` which of them the
    reader may open. The Gateway counts the referrals on them as earlier referrals of the child
    (#20 item 6) without the ``merge`` rule, which is for reviewing and merging pairs."""
    found: dict[int, list[int]] = {pk: [] for pk in person_ids}
    if not found:
        return found
    pairs = (
        DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
        .filter(Q(person_a_id__in=list(found)) | Q(person_b_id__in=list(found)))
        .filter(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
        .order_by("-score", "pk")
        .values_list("person_a_id", "person_b_id")
    )
    for a, b in pairs:
        for this, other in ((a, b), (b, a)):
            if this in found and other not in found[this]:
                found[this].append(other)
    return found
