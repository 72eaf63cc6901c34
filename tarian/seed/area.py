"""Planning a whole synthetic area, household by household, in chunks (reproducible).

Everything random comes from one ``random.Random(random_seed)``, consumed in the same order on
every run, so the same seed, number of children and ``today`` always give the same plan. Chunks
hold whole households, so each can be written and forgotten before the next is planned.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from tarian.people.models import PersonKind
from tarian.seed.agencies import AreaLayout
from tarian.seed.families import FamilyPlanner
from tarian.seed.involvements import InvolvementPlanner
from tarian.seed.places import AddressBook
from tarian.seed.plan import ChunkPlan, Identifiers, PersonPlan, Picker

HOUSEHOLDS_PER_CHUNK = 2000
CHILDREN_PER_HOUSEHOLD = 1.85  # on average, for sizing the street plan


def plan_area(
    *,
    children: int,
    random_seed: int,
    today: dt.date,
    layout: AreaLayout,
    professionals: dict[tuple[str, str], list[int]] | None = None,
    taken_refs: set[str] | None = None,
    taken_nhs_numbers: set[str] | None = None,
    taken_upns: set[str] | None = None,
    households_per_chunk: int = HOUSEHOLDS_PER_CHUNK,
) -> Iterator[ChunkPlan]:
    """Households holding ``children`` children (unborn babies included), chunk by chunk.

    The first household is the featured family (see ``featured_child``). ``taken_*``
    are identifiers already in the database, which new ones must not repeat.
    """
    # Reproducible synthetic data, not secrets: a seeded PRNG is the point.
    rng = random.Random(random_seed)  # nosec B311
    pick = Picker(rng)
    ids = Identifiers(
        pick,
        refs=set(taken_refs or ()),
        nhs_numbers=set(taken_nhs_numbers or ()),
        upns=set(taken_upns or ()),
    )
    book = AddressBook(rng, households=max(1, int(children / CHILDREN_PER_HOUSEHOLD)))
    families = FamilyPlanner(pick=pick, ids=ids, today=today, book=book)
    involvements = InvolvementPlanner(
        pick=pick, ids=ids, today=today, layout=layout, professionals=professionals or {}
    )
    made = 0
    chunk = ChunkPlan()
    while made < children:
        draft = families.household(chunk, remaining=children - made, featured=made == 0)
        involvements.plan(draft)
        made += len(draft.children) + len(draft.unborn)
        if len(chunk.households) >= households_per_chunk:
            yield chunk
            chunk = ChunkPlan()
    if chunk.households:
        yield chunk


def featured_child(chunk: ChunkPlan) -> PersonPlan:
    """The eldest child of the first household planned (see ``FamilyPlanner.household``)."""
    return next(p for p in chunk.people if p.kind == PersonKind.CHILD)
