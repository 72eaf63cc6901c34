"""Writing a synthetic Gaerwen area to the database: ``seed_area`` (``tarian seed``, the demo).

Rows are planned in memory a chunk of households at a time, then written with one prepared
``INSERT`` per table run by ``executemany`` in batches of 5,000. New addresses, people and
households take ids from counters starting after the largest id in use, so later rows point at
earlier ones without a query per row (PostgreSQL's sequences are moved on afterwards).

Why not ``bulk_create``: measured on SQLite, writing the 1.5 million rows of 100,000 children
took about 160 s with ``bulk_create``, nearly all of it Django preparing each value and
building model instances (the database itself needed under 20 s); the plain inserts take a
fraction of that, which keeps ``--children 100000`` well inside its three-minute budget.
Values go through the database backend's own adapters (dates, date-times, JSON), so what is
stored is what the ORM would store; the seed tests read the rows back through the models.

The whole seed is one transaction: it is all there or none of it is. Seeding adds to whatever
is in the database already (new Tarian IDs, NHS numbers and UPNs never repeat existing ones);
``tarian demo`` only seeds an empty database.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Max, Model
from django.utils import timezone
from tqdm import tqdm

from tarian.agencies.models import RoleCode, User
from tarian.core.text import fold
from tarian.people.matching.keys import build_keys
from tarian.people.models import (
    Address,
    Household,
    HouseholdMember,
    Involvement,
    Person,
    PersonKind,
    PersonName,
    Relationship,
    Residence,
)
from tarian.seed.agencies import (
    FEATURED_GP,
    FEATURED_SCHOOL,
    AreaIds,
    area_layout,
    ensure_agencies,
)
from tarian.seed.area import featured_child, plan_area
from tarian.seed.plan import ChunkPlan

BATCH_SIZE = 5000


@dataclass(frozen=True)
class SeedSummary:
    """What one seed wrote, and where the demo and browser tests can find a good example."""

    random_seed: int
    children: int
    unborn: int
    adults: int
    households: int
    addresses: int
    residences: int
    household_members: int
    relationships: int
    names: int
    involvements: int
    agencies: int
    teams: int
    school_slug: str  # a school with pupils, where the featured child goes
    gp_slug: str  # the featured child's GP practice
    featured_child_ref: str  # a child with siblings, an alias, a nickname, several agencies
    seconds: float

    @property
    def people(self) -> int:
        return self.children + self.unborn + self.adults

    def describe(self) -> str:
        return (
            f"Seeded {self.children:,} children, {self.unborn:,} unborn babies and "
            f"{self.adults:,} adults in {self.households:,} households "
            f"({self.addresses:,} addresses, {self.residences:,} residences, "
            f"{self.household_members:,} household members, {self.relationships:,} "
            f"relationships, {self.names:,} other names, {self.involvements:,} involvements; "
            f"{self.agencies:,} agencies, {self.teams:,} teams) "
            f"with random seed {self.random_seed} in {self.seconds:.1f} s. "
            f"Featured child: {self.featured_child_ref}."
        )


def _professionals(area: AreaIds) -> dict[tuple[str, str], list[int]]:
    """Practitioners already in the seeded agencies' teams, who can be named on involvements."""
    slugs = {pk: slug for slug, pk in area.agencies.items()}
    found: dict[tuple[str, str], list[int]] = {}
    users = (
        User.objects.filter(
            agency_id__in=slugs,
            team__isnull=False,
            is_active=True,
            roles__code__in=[RoleCode.SOCIAL_WORKER, RoleCode.HEALTH_PRACTITIONER],
        )
        .values_list("agency_id", "team__name", "id")
        .distinct()
        .order_by("id")
    )
    for agency_id, team_name, user_id in users:
        found.setdefault((slugs[agency_id], team_name), []).append(user_id)
    return found


@cache
def folded_name(text: str) -> str:
    """What ``set_folded_names`` stores for a name (names repeat, so it is worth caching)."""
    return fold(text)[:100]


def _new_value(field: Field[Any, Any], now: dt.datetime) -> Any:
    """The value the ORM would save for ``field`` on a new object nobody filled in."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value: Any = now
    else:
        value = field.get_default()
    return field.get_db_prep_save(value, connection)


class TableWriter:
    """A plain ``INSERT`` for one model, run with ``executemany`` a batch at a time.

    Rows give values for ``fields``; every other column gets what the ORM would store for a
    new object (its default, ``now`` for automatic timestamps, null), so a field added to the
    model later with a constant default needs no change here (one whose default differs per
    row, such as a UUID, would need listing in ``fields``).
    """

    def __init__(self, model: type[Model], fields: Sequence[str], now: dt.datetime) -> None:
        quote = connection.ops.quote_name
        given = [model._meta.get_field(name) for name in fields]
        others = [
            f
            for f in model._meta.concrete_fields
            if f not in given and not (f.primary_key and "id" not in fields)
        ]
        columns = []
        for field in (*given, *others):
            assert isinstance(field, Field)
            columns.append(quote(field.column))
        self.constants = tuple(_new_value(field, now) for field in others)
        self.model = model
        self.table, self.columns = quote(model._meta.db_table), columns
        # Only table and column names from the model go into the text; values are parameters.
        marks = ", ".join(["%s"] * len(columns))
        self.sql = " ".join(
            (
                "INSERT INTO",
                quote(model._meta.db_table),
                f"({', '.join(columns)})",
                "VALUES",
                f"({marks})",
            )
        )
        self.rows = 0

    def next_id(self) -> int:
        found = self.model._default_manager.aggregate(top=Max("pk"))["top"]
        return int(found or 0) + 1

    def insert(self, cursor: CursorWrapper, rows: Sequence[tuple[Any, ...]]) -> None:
        constants = self.constants
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(self.sql, [row + constants for row in batch] if constants else batch)
        self.rows += len(rows)


class _Writer:
    """Writes planned chunks; new addresses, people and households get ids from counters."""

    def __init__(self, area: AreaIds) -> None:
        self.area = area
        now = timezone.now()
        self.address = TableWriter(Address, ("id", "line1", "line2", "town", "postcode"), now)
        self.person = TableWriter(
            Person,
            (
                "id",
                "ref",
                "kind",
                "given_name",
                "family_name",
                "other_names",
                "known_as",
                "date_of_birth",
                "expected_date",
                "sex",
                "ethnicity",
                "first_language",
                "welsh_active_offer",
                "interpreter_needed",
                "nhs_number",
                "upn",
                "given_name_folded",
                "family_name_folded",
            ),
            now,
        )
        self.household = TableWriter(Household, ("id", "address"), now)
        self.member = TableWriter(HouseholdMember, ("household", "person", "start_date"), now)
        self.residence = TableWriter(
            Residence, ("person", "address", "start_date", "end_date"), now
        )
        self.relationship = TableWriter(
            Relationship,
            (
                "person",
                "relative",
                "kind",
                "has_parental_responsibility",
                "start_date",
            ),
            now,
        )
        self.name = TableWriter(
            PersonName,
            (
                "person",
                "kind",
                "given_name",
                "family_name",
                "used_until",
                "given_name_folded",
                "family_name_folded",
            ),
            now,
        )
        self.involvement = TableWriter(
            Involvement,
            (
                "person",
                "agency",
                "team",
                "role",
                "professional",
                "professional_name",
                "start_date",
                "end_date",
                "end_reason",
            ),
            now,
        )
        self.next_address = self.address.next_id()
        self.next_person = self.person.next_id()
        self.next_household = self.household.next_id()
        self.kinds: Counter[str] = Counter()
        self.json = Person._meta.get_field("other_names")

    def write(self, chunk: ChunkPlan) -> None:
        day = connection.ops.adapt_datefield_value
        a0, p0, h0 = self.next_address, self.next_person, self.next_household
        self.next_address += len(chunk.addresses)
        self.next_person += len(chunk.people)
        self.next_household += len(chunk.households)
        agencies, teams = self.area.agencies, self.area.teams
        json = self.json
        with connection.cursor() as cursor:
            self.address.insert(
                cursor,
                [
                    (a0 + i, a.line1, a.line2, a.town, a.postcode)
                    for i, a in enumerate(chunk.addresses)
                ],
            )
            self.person.insert(
                cursor,
                [
                    (
                        p0 + i,
                        p.ref,
                        p.kind,
                        p.given_name,
                        p.family_name,
                        json.get_db_prep_save(p.other_names, connection),
                        p.known_as,
                        day(p.date_of_birth),
                        day(p.expected_date),
                        p.sex,
                        p.ethnicity,
                        p.first_language,
                        p.welsh_active_offer,
                        p.interpreter_needed,
                        p.nhs_number,
                        p.upn,
                        folded_name(p.given_name),
                        folded_name(p.family_name),
                    )
                    for i, p in enumerate(chunk.people)
                ],
            )
            self.household.insert(
                cursor, [(h0 + i, a0 + address) for i, address in enumerate(chunk.households)]
            )
            self.member.insert(
                cursor,
                [(h0 + m.household, p0 + m.person, day(m.start_date)) for m in chunk.members],
            )
            self.residence.insert(
                cursor,
                [
                    (p0 + r.person, a0 + r.address, day(r.start_date), day(r.end_date))
                    for r in chunk.residences
                ],
            )
            self.relationship.insert(
                cursor,
                [
                    (
                        p0 + r.person,
                        p0 + r.relative,
                        r.kind,
                        r.has_parental_responsibility,
                        day(r.start_date),
                    )
                    for r in chunk.relationships
                ],
            )
            self.name.insert(
                cursor,
                [
                    (
                        p0 + n.person,
                        n.kind,
                        n.given_name,
                        n.family_name,
                        day(n.used_until),
                        folded_name(n.given_name),
                        folded_name(n.family_name),
                    )
                    for n in chunk.names
                ],
            )
            self.involvement.insert(
                cursor,
                [
                    (
                        p0 + i.person,
                        agencies[i.agency],
                        teams[(i.agency, i.team)] if i.team else None,
                        i.role,
                        i.professional_id,
                        i.professional_name,
                        day(i.start_date),
                        day(i.end_date),
                        i.end_reason,
                    )
                    for i in chunk.involvements
                ],
            )
        self.kinds.update(p.kind for p in chunk.people)

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here (a no-op on SQLite)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [Address, Person, Household])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _lock_tables() -> None:
    """On PostgreSQL, keep other writers out of the tables whose ids the seed hands out.

    SQLite needs nothing: Tarian opens its transactions IMMEDIATE, which takes the write lock.
    """
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table) for model in (Address, Person, Household)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def register_is_empty() -> bool:
    """No one is recorded yet: ``tarian demo`` seeds only such a database."""
    return not Person.objects.exists()


def seed_area(
    *,
    children: int,
    random_seed: int = 1,
    progress: bool = True,
    today: dt.date | None = None,
) -> SeedSummary:
    """Create the Gaerwen agencies and ``children`` synthetic children with their families.

    Deterministic: the same ``random_seed``, ``children`` and ``today`` (default: the local
    date) give the same people, names, dates and identifiers on an empty database.
    """
    if children < 1:
        raise ValueError("Seed at least one child")
    started = time.perf_counter()
    today = today or timezone.localdate()
    layout = area_layout(children)
    featured_ref = ""
    with transaction.atomic():
        _lock_tables()
        last_id = Person.objects.aggregate(last=Max("pk"))["last"] or 0
        area = ensure_agencies(layout.specs)
        writer = _Writer(area)
        chunks = plan_area(
            children=children,
            random_seed=random_seed,
            today=today,
            layout=layout,
            professionals=_professionals(area),
            taken_refs=set(Person.objects.values_list("ref", flat=True)),
            taken_nhs_numbers=set(
                Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
            ),
            taken_upns=set(Person.objects.exclude(upn="").values_list("upn", flat=True)),
        )
        with tqdm(
            total=children,
            unit=" children",
            desc="Seeding Gaerwen",
            file=sys.stderr,
            disable=not progress,
            smoothing=0.1,
        ) as bar:
            for chunk in chunks:
                if not featured_ref:
                    featured_ref = featured_child(chunk).ref
                writer.write(chunk)
                bar.update(chunk.children)
        writer.finish()
        new_people = list(
            Person.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)
        )
        build_keys(new_people, progress=progress)
    return SeedSummary(
        random_seed=random_seed,
        children=writer.kinds[PersonKind.CHILD],
        unborn=writer.kinds[PersonKind.UNBORN],
        adults=writer.kinds[PersonKind.ADULT],
        households=writer.household.rows,
        addresses=writer.address.rows,
        residences=writer.residence.rows,
        household_members=writer.member.rows,
        relationships=writer.relationship.rows,
        names=writer.name.rows,
        involvements=writer.involvement.rows,
        agencies=len(area.agencies),
        teams=len(area.teams),
        school_slug=FEATURED_SCHOOL,
        gp_slug=FEATURED_GP,
        featured_child_ref=featured_ref,
        seconds=time.perf_counter() - started,
    )
