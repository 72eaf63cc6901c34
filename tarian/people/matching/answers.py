"""What a user is told when they ask "is this child known?" (FD6, IS1, IS4).

The engine looks at the whole register; a user sees the candidates the sharing rules let them
list. For a likely match they may not see, they are told only that one exists and to ask the
Gateway: never who, never why; with each, a handle (``people.unseen``) with which they can
refer that child without learning who it is (issue #20 item 8). Every candidate shown is
audited as a search result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.core.dates import DateKind, check_date
from tarian.errors import Forbidden, Refused
from tarian.people.matching.engine import (
    Candidate,
    Decision,
    MatchQuery,
    find_matches,
    query_of,
)
from tarian.people.matching.profiles import load_profiles
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.people.unseen import issue_handle

RANK = {Decision.MATCH: 2, Decision.POSSIBLE: 1, Decision.NO_MATCH: 0}


@dataclass
class MatchAnswer:
    decision: str
    candidates: list[Candidate] = field(default_factory=list)
    hidden_matches: int = 0  # likely matches the user may not see
    # One opaque handle for each of them, for this user only (``people.unseen``, #20 item 8).
    hidden_handles: list[str] = field(default_factory=list)
    people: dict[int, Person] = field(default_factory=dict)  # read when first shown

    def shown(self) -> list[tuple[Candidate, Person]]:
        """The candidates with their records (read only when a page shows them)."""
        if not self.people and self.candidates:
            self.people = Person.objects.in_bulk([c.person_id for c in self.candidates])
        return [(c, self.people[c.person_id]) for c in self.candidates]


def check_typed_query(query: MatchQuery) -> None:
    """Refuse what a person asked about if no one on the register could have it (FD6).

    A date of birth outside the plausible range (``tarian.core.dates``) is a slip or hostile
    input: it is named, not searched for (the matcher's day-either-side keys would not exist).
    """
    if query.date_of_birth is not None:
        problem = check_date(query.date_of_birth, DateKind.BIRTH)
        if problem is not None:
            raise Refused("date_of_birth", problem)


def match_for(
    user: User, query: MatchQuery, *, limit: int = 5, exclude: frozenset[int] = frozenset()
) -> MatchAnswer:
    scope = scope_for(user, RecordKind.PERSON, Action.LIST)
    if scope == Scope.NONE:
        raise Forbidden("person:list")
    found = find_matches(query, limit=max(limit * 2, 10), exclude=exclude)
    # With the whole register in scope only restricted records need asking about.
    ask = [c.person_id for c in found if scope != Scope.ALL or c.is_restricted]
    visible = {c.person_id for c in found if c.person_id not in ask}
    if ask:
        visible |= set(
            people_for(user, Action.LIST).filter(pk__in=ask).values_list("pk", flat=True)
        )
    shown = [c for c in found if c.person_id in visible and c.decision != Decision.NO_MATCH]
    if not shown:
        # Nothing likely: show the closest visible few anyway, so a typo is easy to spot.
        shown = [c for c in found if c.person_id in visible][:3]
    shown = shown[:limit]
    hidden = [
        c for c in found if c.person_id not in visible and c.decision != Decision.NO_MATCH
    ]
    best = max(
        (RANK[c.decision] for c in found), default=RANK[Decision.NO_MATCH]
    )
    decision = next(d for d, rank in RANK.items() if rank == best)
    if shown:
        record_accesses(
            user,
            action=AccessAction.SEARCH,
            record_kind=RecordKind.PERSON,
            person_ids=[c.person_id for c in shown],
            detail={"purpose": "match"},
        )
    return MatchAnswer(
        decision=decision, candidates=shown, hidden_matches=len(hidden),
        hidden_handles=[issue_handle(user, c.person_id) for c in hidden],
    )


def possible_duplicates(user: User, person: Person) -> list[tuple[Candidate, Person]]:
    """Other records the user may see that are likely the same person (for the Gateway)."""
    profile = load_profiles([person.pk]).get(person.pk)
    if profile is None:
        return []
    answer = match_for(user, query_of(profile), exclude=frozenset({person.pk}))
    return [(c, p) for c, p in answer.shown() if c.decision != Decision.NO_MATCH]
