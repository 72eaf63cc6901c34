"""Merging a duplicate record into the record kept, undoing it, and "not the same person" (IS3,
FD6).

A merge moves every row that points at the duplicate by a foreign key (involvements, names,
addresses, households, relationships both ways, documents, referrals, and whatever later apps
add; not who may see a record, below) to the record kept, and writes down exactly which rows
moved, so that undoing it moves back exactly those. The rows are found from the model
graph (``person_links``), so a new app's records are moved without changing this module.

Nothing is deleted. A row that cannot move because the kept record already has its twin (the
same relationship, the same named access) or because it would link the kept record to itself
(the two records were recorded as related) stays on the duplicate and is listed under
``left:...`` in ``Merge.moved``. The audit trail is not moved at all: access events and record
versions keep naming the record they were written about. The duplicate itself is kept, hidden
from searches and lists, and its page leads to the record it was merged into.

A merge never opens up a restricted record (IS1): the record kept is restricted if either
record was, so nobody the duplicate was hidden from reads its documents or referrals through the
record kept. The people named on a restricted duplicate are named on the record kept as well
(copied, not moved: they stay named on the duplicate, so that they can still open it and undo
the merge). Who may see a record is never moved otherwise: grants left on a record that is not
restricted (from an earlier restriction) and break-glass openings (an emergency reason given
for one record) stay where they are, or they would open the record kept to people nobody
named on it. ``Merge.restriction_inherited`` says when the merge restricted the kept record;
undoing the merge lifts that restriction and removes the copied names again, unless a manager
has set the restriction since (then their decision stands).

Both records are locked for the whole transaction (``select_for_update``, in id order so that
two merges cannot deadlock) and both get a new version, so that an edit made from a page read
before the merge is refused as stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import Action, RecordKind, User
from tarian.audit.models import AccessAction, RecordVersion
from tarian.audit.services import record_access, record_version
from tarian.core.text import fold
from tarian.errors import NotFound, Refused
from tarian.people.duplicates import (
    candidate_for,
    merge_for,
    people_for_merging,
    require_merge,
)
from tarian.people.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MatchKey,
    Merge,
    NameKind,
    Person,
    PersonName,
    RestrictedAccess,
)
from tarian.people.selectors import REF_PATTERN
from tarian.people.services import snapshot

ALIASES = "aliases"
M2M = "m2m:"
LEFT = "left:"
UNDO_LEFT = "undo_left"
NAMED = "named"  # people named on the kept record because they were named on the duplicate
# Who may see a restricted record: never moved (see the module's docstring).
NOT_MOVED_ACCESS: frozenset[str] = frozenset(
    {"people.restrictedaccess.person", "people.breakglass.person"}
)
# Rows about a person that describe the records rather than the person: never moved.
NOT_MOVED: frozenset[str] = frozenset(
    m._meta.label_lower for m in (Person, MatchKey, DuplicateCandidate, Merge)
)


@dataclass(frozen=True)
class Link:
    """A foreign key to ``Person``: ``key`` names it in ``Merge.moved``."""

    key: str  # "people.involvement.person", or "m2m:referrals.referral.children"
    model: type[models.Model]  # the model holding the key (an M2M's through table)
    field: str  # the name of the foreign key on ``model``


def person_links() -> list[Link]:
    """Every foreign key to ``Person`` whose rows a merge moves, found from the model graph."""
    links: list[Link] = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ForeignObjectRel):
            continue  # Person's own fields
        if isinstance(rel, models.ManyToManyRel):
            m2m = rel.field
            through = rel.through
            if through is not None and through._meta.auto_created:
                # (An explicit through model is moved as the plain foreign key it holds.)
                links.append(
                    Link(
                        f"{M2M}{m2m.model._meta.label_lower}.{m2m.name}",
                        through,
                        m2m.m2m_reverse_field_name(),
                    )
                )
            continue
        model = rel.related_model
        assert isinstance(model, type) and issubclass(model, models.Model)
        if model._meta.auto_created or model._meta.label_lower in NOT_MOVED:
            continue
        links.append(Link(f"{model._meta.label_lower}.{rel.field.name}", model, rel.field.name))
    return sorted(links, key=lambda link: link.key)


def _unique_sets(model: type[models.Model], field: str) -> list[tuple[str, ...]]:
    """Field sets that must be unique and include ``field`` (conditions ignored: erring on
    the side of leaving a row where it is)."""
    sets: list[tuple[str, ...]] = [tuple(group) for group in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append(tuple(constraint.fields))
    for f in model._meta.concrete_fields:
        if f.unique and not f.primary_key:
            sets.append((f.name,))
    return [s for s in sets if field in s]


def _clashes(link: Link, row: models.Model, target: Person) -> bool:
    """Would pointing this row at ``target`` link a person to themselves or duplicate a row?"""
    meta = link.model._meta
    for f in meta.concrete_fields:
        if (
            f.is_relation
            and f.related_model is Person
            and f.name != link.field
            and getattr(row, f.attname) == target.pk
        ):
            return True
    for names in _unique_sets(link.model, link.field):
        lookup: dict[str, Any] = {}
        for name in names:
            column = meta.get_field(name)
            assert isinstance(column, models.Field)
            lookup[column.attname] = (
                target.pk if name == link.field else getattr(row, column.attname)
            )
        if link.model._base_manager.filter(**lookup).exclude(pk=row.pk).exists():
            return True
    return False


def _move(
    link: Link, source: Person, target: Person, only: Iterable[int] | None = None
) -> tuple[list[int], list[int]]:
    """Point ``link`` rows from ``source`` to ``target``: (ids moved, ids left in place)."""
    rows = link.model._base_manager.filter(**{link.field: source})
    if only is not None:
        rows = rows.filter(pk__in=list(only))
    moved: list[int] = []
    left: list[int] = []
    for row in rows.order_by("pk"):
        if _clashes(link, row, target):
            left.append(row.pk)
            continue
        # One row at a time, so that the next row's clash check sees this one in place.
        link.model._base_manager.filter(pk=row.pk).update(**{link.field: target})
        moved.append(row.pk)
    return moved, left


def _name_key(given: str, family: str) -> tuple[str, str]:
    return fold(given), fold(family)


def _add_aliases(kept: Person, merged: Person) -> list[int]:
    """The duplicate's own names, as names of the record kept where they are new to it."""
    known = {_name_key(kept.given_name, kept.family_name)}
    known |= {_name_key(kept.known_as, kept.family_name)} if kept.known_as else set()
    known |= {_name_key(o, kept.family_name) for o in kept.other_names or []}
    known |= {_name_key(n.given_name, n.family_name) for n in kept.names.all()}
    wanted: list[tuple[str, str, str]] = [
        (NameKind.ALIAS, merged.given_name, merged.family_name)
    ]
    if merged.known_as:
        wanted.append((NameKind.NICKNAME, merged.known_as, merged.family_name))
    wanted += [(NameKind.ALIAS, other, merged.family_name) for other in merged.other_names or []]
    created: list[int] = []
    for kind, given, family in wanted:
        if not (given or family) or _name_key(given, family) in known:
            continue
        name = PersonName.objects.create(
            person=kept,
            kind=kind,
            given_name=given[:100],
            family_name=family[:100],
            given_name_folded=fold(given)[:100],
            family_name_folded=fold(family)[:100],
        )
        known.add(_name_key(given, family))
        created.append(name.pk)
    return created


def _counts(moved: dict[str, Any]) -> dict[str, int]:
    return {key: len(ids) for key, ids in moved.items() if isinstance(ids, list) and ids}


def _refused_decided(candidate: DuplicateCandidate) -> Refused:
    who = str(candidate.decided_by) if candidate.decided_by else _("someone")
    when = timezone.localtime(candidate.decided_at).strftime("%d/%m/%Y %H:%M") if (
        candidate.decided_at
    ) else ""
    if candidate.status == DuplicateStatus.MERGED:
        message = _("%(who)s already merged these records (%(when)s). Nothing was changed.")
    else:
        message = _(
            "%(who)s already decided these are not the same person (%(when)s). "
            "Nothing was changed."
        )
    return Refused("__all__", message % {"who": who, "when": when})


def _version(user: User, person: Person, reason: str, extra: dict[str, Any]) -> None:
    person.version += 1
    person.modified_by = user
    person.save(
        update_fields=["merged_into", "is_restricted", "version", "modified_by", "modified_at"]
    )
    record_version(
        user,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        version=person.version,
        data={**snapshot(person), **extra},
        reason=reason,
        person_id=person.pk,
    )


def _lock_pair(user: User, refs: list[str], fields: list[str]) -> dict[str, Person]:
    """Both records, locked in id order; a restricted one the user may not see is refused."""
    everyone = people_for_merging(user, Action.WRITE, with_restricted=True)
    wellformed = [ref for ref in refs if REF_PATTERN.match(ref)]  # PostgreSQL refuses NUL
    found = {
        p.ref: p for p in everyone.select_for_update().filter(ref__in=wellformed).order_by("pk")
    }
    visible = set(
        people_for_merging(user, Action.WRITE)
        .filter(ref__in=wellformed)
        .values_list("ref", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for ref, field in zip(refs, fields, strict=True):
        if ref not in found or not REF_PATTERN.match(ref):
            if field == "keep":
                raise NotFound(ref)
            errors[field] = [_("No record you may merge has the Tarian ID %(ref)s") % {"ref": ref}]
        elif ref not in visible:
            errors[field] = [
                _(
                    "%(ref)s is a restricted record. Only people named on it, or who have "
                    "opened it with a reason, may merge it."
                )
                % {"ref": ref}
            ]
    if errors:
        raise Refused(errors)
    return found


@transaction.atomic
def merge_people(
    user: User, *, keep_ref: str, merge_ref: str, reason: str, candidate_id: int | None = None
) -> Merge:
    """Merge the record ``merge_ref`` into ``keep_ref``: one transaction, audited, reversible."""
    require_merge(user, Action.WRITE)
    why = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not why:
        errors["reason"] = [_("Say why these records are the same person")]
    if keep_ref == merge_ref:
        errors["merge"] = [_("A record cannot be merged with itself: choose its duplicate")]
    if errors:
        raise Refused(errors)
    people = _lock_pair(user, [keep_ref, merge_ref], ["keep", "merge"])
    kept, merged = people[keep_ref], people[merge_ref]
    if kept.merged_into_id is not None:
        errors["keep"] = [
            _("%(ref)s was itself merged into another record: keep that record instead")
            % {"ref": kept.ref}
        ]
    if merged.merged_into_id is not None:
        errors["merge"] = [
            _("%(ref)s has already been merged into another record") % {"ref": merged.ref}
        ]
    if errors:
        raise Refused(errors)

    pair = sorted([kept.pk, merged.pk])
    candidate: DuplicateCandidate | None
    candidates = DuplicateCandidate.objects.select_for_update(of=("self",)).select_related(
        "decided_by"
    )
    if candidate_id is not None:
        candidate_for(user, candidate_id, Action.WRITE)  # NotFound for a pair out of sight
        candidate = candidates.get(pk=candidate_id)
        if [candidate.person_a_id, candidate.person_b_id] != pair:
            raise Refused("candidate", _("This pair of records is not the pair being merged"))
        if candidate.status != DuplicateStatus.OPEN:
            raise _refused_decided(candidate)
    else:
        candidate = candidates.filter(
            person_a_id=pair[0], person_b_id=pair[1], status=DuplicateStatus.OPEN
        ).first()

    moved: dict[str, list[int]] = {}
    for link in person_links():
        if link.key in NOT_MOVED_ACCESS:
            continue
        ids, left = _move(link, merged, kept)
        if ids:
            moved[link.key] = ids
        if left:
            moved[LEFT + link.key] = left
    aliases = _add_aliases(kept, merged)
    if aliases:
        moved[ALIASES] = aliases
    named = _name_on_kept(user, kept, merged, why) if merged.is_restricted else []
    if named:
        moved[NAMED] = named

    now = timezone.now()
    inherited = merged.is_restricted and not kept.is_restricted
    merge = Merge.objects.create(
        kept=kept, merged=merged, reason=why, moved=moved, merged_by=user, merged_at=now,
        restriction_inherited=inherited,
    )
    merged.merged_into = kept
    kept.is_restricted = kept.is_restricted or merged.is_restricted
    _version(user, merged, why, {"merged_into": kept.ref, "merge": merge.pk})
    _version(user, kept, why, {"merged_from": merged.ref, "merge": merge.pk})
    if inherited:
        _restriction_version(user, kept, why, {"restricted": True, "inherited_from": merged.ref,
                                               "merge": merge.pk})
    if candidate is not None:
        candidate.status = DuplicateStatus.MERGED
        candidate.decided_by = user
        candidate.decided_at = now
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    detail = {
        "merge": merge.pk,
        "kept": kept.ref,
        "merged": merged.ref,
        "moved": _counts(moved),
        "candidate": candidate.pk if candidate else None,
        "restriction_inherited": inherited,
    }
    for person in (kept, merged):
        record_access(
            user,
            action=AccessAction.UPDATE,
            record_kind=RecordKind.MERGE,
            record_id=merge.pk,
            person_id=person.pk,
            detail=detail,
        )
    _refresh_keys([kept.pk, merged.pk])
    return merge


def _name_on_kept(user: User, kept: Person, merged: Person, reason: str) -> list[int]:
    """Name on the kept record everyone named on the restricted duplicate (new grants)."""
    already = set(RestrictedAccess.objects.filter(person=kept).values_list("user_id", flat=True))
    now = timezone.now()
    created: list[int] = []
    for grant in RestrictedAccess.objects.filter(person=merged).order_by("pk"):
        if grant.user_id in already:
            continue
        copy = RestrictedAccess.objects.create(
            person=kept, user_id=grant.user_id, granted_by=user, granted_at=now,
            reason=_("Named on %(ref)s, merged into this record: %(reason)s")
            % {"ref": merged.ref, "reason": reason},
        )
        created.append(copy.pk)
    return created


def _restriction_version(user: User, person: Person, reason: str, data: dict[str, Any]) -> None:
    """The restriction as it now stands, with who is named on it, in the record's history."""
    named = RestrictedAccess.objects.filter(person=person).values_list("user__username", flat=True)
    record_version(
        user,
        record_kind=RecordKind.RESTRICTION,
        record_id=person.ref,
        version=person.version,
        data={**data, "named": sorted(named) if person.is_restricted else []},
        reason=reason,
        person_id=person.pk,
    )


def _restricted_since(kept: Person, merge: Merge) -> bool:
    """Has someone set the kept record's restriction since the merge restricted it?"""
    versions = RecordVersion.objects.filter(
        record_kind=RecordKind.RESTRICTION, person_id=kept.pk, changed_at__gte=merge.merged_at
    ).values_list("data", flat=True)
    return any(data.get("merge") != merge.pk for data in versions)


def _refresh_keys(person_ids: list[int]) -> None:
    from tarian.people.matching.keys import refresh_keys

    refresh_keys(person_ids)


def undo_problem(merge: Merge) -> str | None:
    """Why this merge cannot be undone now, or None if it can: already undone, the record
    kept has since been merged itself, or the duplicate is no longer merged into it.

    The one statement of these conditions: ``undo_merge`` refuses with this message, and a
    record's merges page offers "undo" only where this is None (``merge_reads``). Reads
    ``merge.kept`` and ``merge.merged`` as given (``undo_merge`` passes them locked).
    """
    kept, merged = merge.kept, merge.merged
    if merge.undone_at is not None:
        return _("This merge was already undone on %(when)s. Nothing was changed.") % {
            "when": timezone.localtime(merge.undone_at).strftime("%d/%m/%Y %H:%M")
        }
    if kept.merged_into_id is not None:
        return _(
            "%(ref)s, the record kept, has since been merged into another record. "
            "Undo that merge first."
        ) % {"ref": kept.ref}
    if merged.merged_into_id != kept.pk:
        return _("%(ref)s is no longer merged into %(kept)s.") % {
            "ref": merged.ref,
            "kept": kept.ref,
        }
    return None


@transaction.atomic
def undo_merge(user: User, *, merge_id: int, reason: str) -> Merge:
    """Move back exactly the rows the merge moved, remove the names it added, and show the
    duplicate again. Rows added to the kept record since stay with it."""
    require_merge(user, Action.WRITE)
    why = (reason or "").strip()
    seen = merge_for(user, merge_id, Action.WRITE)  # NotFound for a merge out of sight
    if not why:
        raise Refused("reason", _("Say why this merge is being undone"))
    people = _lock_pair(user, [seen.kept.ref, seen.merged.ref], ["keep", "merge"])
    kept, merged = people[seen.kept.ref], people[seen.merged.ref]
    merge = Merge.objects.select_for_update().get(pk=merge_id)
    merge.kept, merge.merged = kept, merged  # as locked: what the undo is decided on
    problem = undo_problem(merge)
    if problem is not None:
        raise Refused("__all__", problem)

    links = {link.key: link for link in person_links()}
    restored: dict[str, int] = {}
    not_restored: dict[str, list[int]] = {}
    for key, ids in merge.moved.items():
        if key in (ALIASES, NAMED, UNDO_LEFT) or key.startswith(LEFT):
            continue
        link = links.get(key)
        if link is None:  # the app that held these rows is gone, and its rows with it
            not_restored[key] = list(ids)
            continue
        back, stuck = _move(link, kept, merged, only=ids)
        restored[key] = len(back)
        if stuck:
            not_restored[key] = stuck
    deleted, _by_model = PersonName.objects.filter(
        pk__in=merge.moved.get(ALIASES, []), person=kept
    ).delete()

    now = timezone.now()
    merge.undone_by = user
    merge.undone_at = now
    merge.undo_reason = why
    if not_restored:
        merge.moved = {**merge.moved, UNDO_LEFT: not_restored}
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason", "moved"])
    merged.merged_into = None
    # The restriction the merge put on the kept record goes with it, unless a manager has set
    # the restriction since (their decision stands).
    decided_since = _restricted_since(kept, merge)
    lifted = merge.restriction_inherited and kept.is_restricted and not decided_since
    if lifted:
        kept.is_restricted = False
    if not decided_since:
        RestrictedAccess.objects.filter(pk__in=merge.moved.get(NAMED, []), person=kept).delete()
    _version(user, merged, why, {"merged_into": None, "merge_undone": merge.pk})
    _version(user, kept, why, {"merge_undone": merge.pk, "separated": merged.ref})
    if lifted:
        _restriction_version(user, kept, why, {"restricted": False, "merge_undone": merge.pk})
    pair = sorted([kept.pk, merged.pk])
    DuplicateCandidate.objects.filter(
        person_a_id=pair[0], person_b_id=pair[1], status=DuplicateStatus.MERGED
    ).update(status=DuplicateStatus.OPEN, decided_by=None, decided_at=None)
    detail = {
        "merge": merge.pk,
        "kept": kept.ref,
        "merged": merged.ref,
        "undone": True,
        "moved_back": restored,
        "aliases_removed": deleted,
        "not_moved_back": {k: len(v) for k, v in not_restored.items()},
        "restriction_lifted": lifted,
    }
    for person in (kept, merged):
        record_access(
            user,
            action=AccessAction.UPDATE,
            record_kind=RecordKind.MERGE,
            record_id=merge.pk,
            person_id=person.pk,
            detail=detail,
        )
    _refresh_keys([kept.pk, merged.pk])
    return merge


@transaction.atomic
def mark_not_same(user: User, *, candidate_id: int, note: str = "") -> DuplicateCandidate:
    """Record that a pair are different people; ``tarian dedupe`` will not raise them again."""
    candidate_for(user, candidate_id, Action.WRITE)
    candidate = (
        DuplicateCandidate.objects.select_for_update(of=("self",))
        .select_related("decided_by")
        .get(pk=candidate_id)
    )
    if candidate.status != DuplicateStatus.OPEN:
        raise _refused_decided(candidate)
    candidate.status = DuplicateStatus.NOT_SAME
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.note = (note or "").strip()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "note"])
    for person_id in (candidate.person_a_id, candidate.person_b_id):
        record_access(
            user,
            action=AccessAction.UPDATE,
            record_kind=RecordKind.MERGE,
            record_id=f"pair-{candidate.pk}",
            person_id=person_id,
            detail={"decision": DuplicateStatus.NOT_SAME, "note": candidate.note},
        )
    return candidate
