"""Refer a child you cannot see (issue #20 item 8; FD1, FD6, IS1, IS4).

The matcher may tell a referrer that a likely match exists that they may not see, with a
handle for it (``people.unseen``). A referral carries such children as ``unseen_children``:
each a handle with the name and date of birth the referrer typed. Here: checking them when a
referral is made, keeping them (``UnseenChild``), and who reads what of them afterwards.

The rule that protects the record: **nothing about it reaches the referrer's agency**. The
referrer's agency reads the child as they described them, never the record the handle pointed
to, its Tarian ID, nor whether the Gateway linked it; a child the Gateway added to the
referral's children from such a row is left out of everything the referrer's agency reads of
the referral (its page, the API, the queues, the feedback). Those who read every referral (the
Gateway, children's services) read it all. The Gateway's confirming or rejecting the link is
in ``linking.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.core.dates import DateKind, check_date
from tarian.errors import Refused
from tarian.people.matching.answers import match_for
from tarian.people.matching.engine import Decision, MatchQuery
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.people.unseen import read_handle
from tarian.referrals.models import Referral, UnseenChild, UnseenChildStatus

FIELD = "unseen_children"
NAME_LENGTH = 100
# A referral about more children than this it is not a slip: it is refused, named.
MOST_UNSEEN = 12


@dataclass(frozen=True)
class Described:
    """A child the referrer could not see, as they described them, with the record the
    handle stands for (never shown to them)."""

    person: Person
    given_name: str
    family_name: str
    date_of_birth: dt.date | None


def _text(item: dict[str, Any], name: str, at: str, errors: dict[str, list[str]]) -> str:
    value = item.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[f"{at}.{name}"] = [_("Give this as text")]
        return ""
    value = " ".join(value.split())
    if len(value) > NAME_LENGTH:
        errors[f"{at}.{name}"] = [_("Use at most %(n)s characters") % {"n": NAME_LENGTH}]
    return value


def _born(item: dict[str, Any], at: str, errors: dict[str, list[str]]) -> dt.date | None:
    value = item.get("date_of_birth")
    if value in (None, ""):
        return None
    born: dt.date | None = None
    if isinstance(value, dt.date):
        born = value
    elif isinstance(value, str):
        try:
            born = dt.date.fromisoformat(value)
        except ValueError:
            born = None
    if born is None:
        errors[f"{at}.date_of_birth"] = [_("Enter a date of birth as YYYY-MM-DD")]
        return None
    problem = check_date(born, DateKind.BIRTH)
    if problem is not None:
        errors[f"{at}.date_of_birth"] = [problem]
        return None
    return born


def _kept(person: Person) -> Person:
    """The record kept, when the one a handle stands for was merged since (IS3)."""
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def clean_unseen_children(
    user: User, value: Any, *, now: dt.datetime | None = None
) -> tuple[list[Described], dict[str, list[str]]]:
    """The children the referrer could not see, checked: each handle must be one the matcher
    gave this user and not expired (``people.unseen.read_handle``: a changed, another user's or
    an expired handle is refused, naming ``unseen_children[i].handle``), with a name as the
    referrer typed it and a plausible date of birth if given. The same record twice is kept
    once. What the record is, is never said."""
    errors: dict[str, list[str]] = {}
    if value in (None, ""):
        return [], errors
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], {FIELD: [_("Give each child you could not see as {\"handle\", "
                              "\"given_name\", \"family_name\", \"date_of_birth\"}")]}
    if len(value) > MOST_UNSEEN:
        return [], {FIELD: [_("Give at most %(n)s children you could not see")
                            % {"n": MOST_UNSEEN}]}
    chosen: list[tuple[int, str, str, dt.date | None]] = []
    for index, item in enumerate(value):
        at = f"{FIELD}[{index}]"
        person_id: int | None = None
        try:
            person_id = read_handle(user, item.get("handle"), field=f"{at}.handle", now=now)
        except Refused as refused:
            errors.update(refused.errors)
        given = _text(item, "given_name", at, errors)
        family = _text(item, "family_name", at, errors)
        born = _born(item, at, errors)
        if not given and not family and f"{at}.given_name" not in errors:
            errors[f"{at}.given_name"] = [
                _("Give the child's name as you know it, so that the Gateway can check it")
            ]
        if person_id is not None:
            chosen.append((person_id, given, family, born))
    if errors:
        return [], errors
    people = Person.objects.in_bulk([row[0] for row in chosen])
    described: list[Described] = []
    kept_ids: set[int] = set()
    for person_id, given, family, born in chosen:
        person = people.get(person_id)
        if person is None:  # a handle outlived its record: nothing to say about it
            continue
        person = _kept(person)
        if person.pk in kept_ids:
            continue
        kept_ids.add(person.pk)
        described.append(Described(person, given, family, born))
    return described, errors


def record_unseen_children(user: User, referral: Referral, children: list[Described]) -> None:
    """Keep the children the referrer could not see on their referral; the record each
    handle stands for is audited as named in a referral its referrer could not see (IS4)."""
    if not children:
        return
    UnseenChild.objects.bulk_create([
        UnseenChild(
            referral=referral, position=position, person=child.person,
            given_name=child.given_name, family_name=child.family_name,
            date_of_birth=child.date_of_birth,
        )
        for position, child in enumerate(children, start=1)
    ])
    record_accesses(
        user, action=AccessAction.CREATE, record_kind=RecordKind.REFERRAL,
        person_ids=[child.person.pk for child in children],
        record_ids=[referral.ref for _child in children],
        detail={"unseen_child": True},
    )


def reads_unseen_links(user: User) -> bool:
    """Whether the user reads which records a referral's unseen children point to, and the
    children linked from them: those who read every referral (the Gateway, children's
    services), never the referrer's agency."""
    return scope_for(user, RecordKind.REFERRAL, Action.READ) == Scope.ALL


def mark_hidden_children(user: User, referrals: Iterable[Referral]) -> None:
    """Set, for this reader, which children each referral must not show them
    (``Referral.hidden_children``). One query for all of them."""
    chosen = list(referrals)
    if reads_unseen_links(user):
        for referral in chosen:
            referral.hidden_children = frozenset()
        return
    prefetch_related_objects(chosen, "unseen_children")
    for referral in chosen:
        referral.hidden_children = frozenset(
            row.linked_id for row in referral.unseen_children.all() if row.linked_id
        )


def waiting_for_gateway(referral: Referral) -> bool:
    """Whether a child the referrer could not see is still to be confirmed or rejected."""
    return referral.unseen_children.filter(status=UnseenChildStatus.WAITING).exists()


@dataclass(frozen=True)
class UnseenRow:
    """A child the referrer could not see, as one reader may read it: the referrer's agency
    reads only what the referrer typed (``record`` None, ``status`` "")."""

    id: int
    position: int
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    status: str
    record: Person | None
    record_openable: bool
    linked: Person | None
    reason: str

    @property
    def described_as(self) -> str:
        return " ".join(p for p in [self.given_name, self.family_name] if p)

    @property
    def is_waiting(self) -> bool:
        return self.status == UnseenChildStatus.WAITING


def unseen_rows(user: User, referral: Referral) -> list[UnseenRow]:
    """The referral's children its referrer could not see, as this user may read them."""
    # Read with the referral (``selectors.with_parts``): a referral without any costs nothing.
    if not list(referral.unseen_children.all()):
        return []
    rows = list(referral.unseen_children.select_related("person", "linked"))
    full = reads_unseen_links(user)
    openable: set[int] = set()
    if full:
        ids = {row.person_id for row in rows} | {row.linked_id for row in rows if row.linked_id}
        openable = set(people_for(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        UnseenRow(
            id=row.pk, position=row.position, given_name=row.given_name,
            family_name=row.family_name, date_of_birth=row.date_of_birth,
            status=row.status if full else "",
            record=row.person if full else None,
            record_openable=full and row.person_id in openable,
            linked=row.linked if full else None,
            reason=row.reason if full else "",
        )
        for row in rows
    ]


def other_records(user: User, row: UnseenRow) -> list[tuple[Person, str]]:
    """For the Gateway rejecting a record: other records they may see that match what the
    referrer typed (the matcher, audited as it shows them), best first, each with why."""
    if row.record is None:
        return []
    query = MatchQuery(given_name=row.given_name, family_name=row.family_name,
                       date_of_birth=row.date_of_birth)
    answer = match_for(user, query, exclude=frozenset({row.record.pk}))
    return [
        (person, "; ".join(str(reason) for reason in candidate.reasons))
        for candidate, person in answer.shown()
        if candidate.decision != Decision.NO_MATCH
    ]


# The referral form keeps the children the referrer could not see in one hidden field, as JSON:
# [{"handle", "given_name", "family_name", "date_of_birth"}], what the referrer typed.


def form_rows(value: object) -> list[dict[str, str]]:
    """The children the referrer could not see, from the form's hidden field (never fails:
    anything that is not a list of such rows is left out, and the service names what is
    wrong when the referral is sent)."""
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        rows = json.loads(value)
    except ValueError:
        return []
    if not isinstance(rows, list):
        return []
    return [
        {key: str(row.get(key) or "")[:NAME_LENGTH * 2]
         for key in ("handle", "given_name", "family_name", "date_of_birth")}
        for row in rows[:MOST_UNSEEN] if isinstance(row, dict)
    ]


def _stands_for(user: User, handle: str, now: dt.datetime | None) -> int | None:
    """The record a handle already on the form stands for, or None if it is no longer valid."""
    try:
        return read_handle(user, handle, field=FIELD, now=now)
    except Refused:
        return None


def add_from_panel(
    user: User, rows: list[dict[str, str]], *, handle: str, given_name: str,
    family_name: str, date_of_birth: dt.date | None, now: dt.datetime | None = None,
) -> list[dict[str, str]]:
    """The referrer chose "refer this child" on a possible match they may not see: the handle,
    checked now (``Refused`` on ``unseen_children``), with the name and date of birth they
    typed in the match panel. A child already chosen (through this handle or another one for
    the same record, from a second search) is not added twice."""
    person_id = read_handle(user, handle, field=FIELD, now=now)
    given = " ".join(given_name.split())[:NAME_LENGTH]
    family = " ".join(family_name.split())[:NAME_LENGTH]
    if not given and not family:
        raise Refused(FIELD, _("Type the child's name in the search first, so that the "
                               "Gateway can check it"))
    if len(rows) >= MOST_UNSEEN or any(
        row["handle"] == handle or _stands_for(user, row["handle"], now) == person_id
        for row in rows
    ):
        return rows
    return [*rows, {
        "handle": handle, "given_name": given, "family_name": family,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
    }]
