"""Writing the benchmark population into Tarian's tables, the way ``tarian seed`` does.

One prepared ``INSERT`` per table run by ``executemany`` (see ``tarian.seed.write`` and
docs/decisions/0007), or ``COPY`` on PostgreSQL, which is faster still. Ids come from counters;
every column the plan does not give gets what the ORM would store for a new object. Only what
matching reads is written: people, other names, addresses, address history, households and
relationships; no agencies or involvements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from tarian.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    Relationship,
    Residence,
)
from tarian.seed.plan import ChunkPlan
from tarian.seed.write import TableWriter, folded_name


class BulkTable(TableWriter):
    """The seed's table writer, with ``COPY`` on PostgreSQL (several times faster than
    ``executemany`` there)."""

    def __init__(self, model: type[Model], fields: Sequence[str], now: dt.datetime) -> None:
        super().__init__(model, fields, now)
        self.copy_sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                self.insert(cursor, rows)
                return
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row + self.constants)
            self.rows += len(rows)


class PopulationWriter:
    """Call with each planned chunk (``data.generate_population(sink=writer)``), then
    ``finish()``. Run inside one transaction."""

    def __init__(self) -> None:
        now = timezone.now()
        self.address = BulkTable(Address, ("id", "line1", "line2", "town", "postcode"), now)
        self.person = BulkTable(
            Person,
            (
                "id", "ref", "kind", "given_name", "family_name", "other_names", "known_as",
                "date_of_birth", "expected_date", "sex", "ethnicity", "first_language",
                "welsh_active_offer", "interpreter_needed", "nhs_number", "upn",
                "given_name_folded", "family_name_folded",
            ),
            now,
        )  # fmt: skip
        self.household = BulkTable(Household, ("id", "address"), now)
        self.member = BulkTable(HouseholdMember, ("household", "person", "start_date"), now)
        self.residence = BulkTable(Residence, ("person", "address", "start_date", "end_date"), now)
        self.relationship = BulkTable(
            Relationship,
            ("person", "relative", "kind", "has_parental_responsibility", "start_date"),
            now,
        )
        self.name = BulkTable(
            PersonName,
            (
                "person", "kind", "given_name", "family_name", "used_until",
                "given_name_folded", "family_name_folded",
            ),
            now,
        )  # fmt: skip
        self.next_address = self.address.next_id()
        self.next_person = self.person.next_id()
        self.next_household = self.household.next_id()
        self.json = Person._meta.get_field("other_names")

    def __call__(self, chunk: ChunkPlan) -> None:
        day = connection.ops.adapt_datefield_value
        a0, p0, h0 = self.next_address, self.next_person, self.next_household
        self.next_address += len(chunk.addresses)
        self.next_person += len(chunk.people)
        self.next_household += len(chunk.households)
        json = self.json
        self.address.write(
            [(a0 + i, a.line1, a.line2, a.town, a.postcode) for i, a in enumerate(chunk.addresses)]
        )
        self.person.write(
            [
                (
                    p0 + i, p.ref, p.kind, p.given_name, p.family_name,
                    json.get_db_prep_save(p.other_names, connection), p.known_as,
                    day(p.date_of_birth), day(p.expected_date), p.sex, p.ethnicity,
                    p.first_language, p.welsh_active_offer, p.interpreter_needed, p.nhs_number,
                    p.upn, folded_name(p.given_name), folded_name(p.family_name),
                )
                for i, p in enumerate(chunk.people)
            ]
        )  # fmt: skip
        self.household.write([(h0 + i, a0 + a) for i, a in enumerate(chunk.households)])
        self.member.write(
            [(h0 + m.household, p0 + m.person, day(m.start_date)) for m in chunk.members]
        )
        self.residence.write(
            [
                (p0 + r.person, a0 + r.address, day(r.start_date), day(r.end_date))
                for r in chunk.residences
            ]
        )
        self.relationship.write(
            [
                (
                    p0 + r.person,
                    p0 + r.relative,
                    r.kind,
                    r.has_parental_responsibility,
                    day(r.start_date),
                )
                for r in chunk.relationships
            ]
        )
        self.name.write(
            [
                (
                    p0 + n.person, n.kind, n.given_name, n.family_name, day(n.used_until),
                    folded_name(n.given_name), folded_name(n.family_name),
                )
                for n in chunk.names
            ]
        )  # fmt: skip

    def finish(self) -> None:
        """Move PostgreSQL's sequences past the ids given out (a no-op on SQLite)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [Address, Person, Household])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    @property
    def rows(self) -> int:
        tables = (
            self.address, self.person, self.household, self.member, self.residence,
            self.relationship, self.name,
        )  # fmt: skip
        return sum(t.rows for t in tables)
