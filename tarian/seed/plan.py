"""Rows of synthetic data planned in memory before they are written (the seed's plain data).

The planner (``families``, ``involvements``) fills a ``ChunkPlan`` of plain dataclasses that
refer to each other by position; ``write`` turns a chunk into model rows with ``bulk_create``.
Keeping the plan free of database ids is what makes a seed reproducible: the same random seed
and number of children give the same plan, whatever ids the database hands out.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from tarian.people.identifiers import nhs_check_digit, upn_check_letter
from tarian.people.services import new_ref
from tarian.seed.backgrounds import Background
from tarian.seed.places import AddressPlan, Town

DAYS_PER_YEAR = 365.25
T = TypeVar("T")


@dataclass(slots=True)
class PersonPlan:
    ref: str
    kind: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date | None = None
    expected_date: dt.date | None = None
    other_names: list[str] = field(default_factory=list)
    known_as: str = ""
    ethnicity: str = ""
    first_language: str = ""
    welsh_active_offer: str = "not_offered"
    interpreter_needed: bool = False
    nhs_number: str = ""
    upn: str = ""


@dataclass(slots=True)
class NamePlan:
    person: int
    kind: str
    given_name: str
    family_name: str
    used_until: dt.date | None = None


@dataclass(slots=True)
class ResidencePlan:
    person: int
    address: int
    start_date: dt.date | None
    end_date: dt.date | None = None


@dataclass(slots=True)
class MemberPlan:
    household: int
    person: int
    start_date: dt.date | None


@dataclass(slots=True)
class RelationshipPlan:
    person: int
    relative: int
    kind: str
    has_parental_responsibility: bool = False
    start_date: dt.date | None = None


@dataclass(slots=True)
class InvolvementPlan:
    person: int
    agency: str  # slug
    role: str
    start_date: dt.date
    team: str = ""
    end_date: dt.date | None = None
    end_reason: str = ""
    professional_id: int | None = None
    professional_name: str = ""


@dataclass
class ChunkPlan:
    """A batch of whole households: every reference points inside the chunk."""

    people: list[PersonPlan] = field(default_factory=list)
    addresses: list[AddressPlan] = field(default_factory=list)
    households: list[int] = field(default_factory=list)  # each household's address
    members: list[MemberPlan] = field(default_factory=list)
    residences: list[ResidencePlan] = field(default_factory=list)
    relationships: list[RelationshipPlan] = field(default_factory=list)
    names: list[NamePlan] = field(default_factory=list)
    involvements: list[InvolvementPlan] = field(default_factory=list)
    children: int = 0  # children and unborn babies, for progress


@dataclass
class Draft:
    """One household while it is being planned; positions refer to ``chunk`` lists."""

    chunk: ChunkPlan
    town: Town
    background: Background
    partner: Background | None
    featured: bool
    children: list[int] = field(default_factory=list)  # born, eldest first
    unborn: list[int] = field(default_factory=list)
    residents: list[int] = field(default_factory=list)  # adults living in the household
    absent: list[int] = field(default_factory=list)  # parents recorded who live elsewhere
    entered: dict[int, dt.date] = field(default_factory=dict)  # joined the household
    since: dict[int, dt.date] = field(default_factory=dict)  # at the current address
    mother: int | None = None
    child_ethnicity: str = ""
    child_language: str = "en"
    given_names: set[str] = field(default_factory=set)
    first_relationship: int = 0  # this household's rows start here in the chunk's lists
    first_name: int = 0

    @property
    def region(self) -> str:
        return self.town.region

    def person(self, index: int) -> PersonPlan:
        return self.chunk.people[index]

    def born(self, index: int) -> dt.date:
        person = self.chunk.people[index]
        return person.date_of_birth or person.expected_date or dt.date.min


class Picker:
    """Every random choice the seed makes, from one ``random.Random`` (reproducible)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cumulative: dict[int, tuple[Sequence[object], list[float]]] = {}

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        """One of ``(value, weight)`` pairs; the table's cumulative weights are cached."""
        cached = self._cumulative.get(id(pairs))
        if cached is None or cached[0] is not pairs:
            total, cum = 0.0, []
            for _value, weight in pairs:
                total += weight
                cum.append(total)
            cached = (pairs, cum)
            self._cumulative[id(pairs)] = cached
        return pairs[self.rng.choices(range(len(pairs)), cum_weights=cached[1])[0]][0]

    def ranked(self, names: Sequence[str]) -> str:
        """One of ``names``, listed most popular first."""
        cached = self._cumulative.get(id(names))
        if cached is None or cached[0] is not names:
            total, cum = 0.0, []
            for rank in range(len(names)):
                total += 1 / (rank + 4)
                cum.append(total)
            cached = (names, cum)
            self._cumulative[id(names)] = cached
        return names[self.rng.choices(range(len(names)), cum_weights=cached[1])[0]]

    def item(self, values: Sequence[T]) -> T:
        return values[self.rng.randrange(len(values))]

    def days_between(self, start: dt.date, end: dt.date) -> dt.date:
        """A date from ``start`` to ``end`` inclusive (``start`` if the range is empty)."""
        span = (end - start).days
        return start if span <= 0 else start + dt.timedelta(days=self.rng.randint(0, span))


class Identifiers:
    """Unique Tarian IDs, synthetic NHS numbers (999 range) and UPNs, drawn from the picker."""

    LA_CODE = "661"

    def __init__(
        self, pick: Picker, *, refs: set[str], nhs_numbers: set[str], upns: set[str]
    ) -> None:
        self.pick = pick
        self.refs = refs
        self.nhs_numbers = nhs_numbers
        self.upns = upns
        self.upn_serials: dict[tuple[int, int], int] = {}

    def ref(self) -> str:
        while True:
            ref = new_ref(random_hex=f"{self.pick.rng.getrandbits(40):010x}")
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def nhs_number(self) -> str:
        """A valid NHS number from the never-issued 999 range, or "" if the range is full."""
        for _attempt in range(50):
            first_nine = f"999{self.pick.rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(first_nine)
            if check is None:
                continue
            number = f"{first_nine}{check}"
            if number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number
        return ""

    def upn(self, estab: int, year: int) -> str:
        """The next UPN of a school (establishment number) for pupils who joined in ``year``."""
        key = (estab, year % 100)
        serial = self.upn_serials.get(key, 0)
        while serial < 999:
            serial += 1
            body = f"{self.LA_CODE}{estab:04d}{year % 100:02d}{serial:03d}"
            upn = upn_check_letter(body) + body
            if upn not in self.upns:
                self.upn_serials[key] = serial
                self.upns.add(upn)
                return upn
        return ""


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * DAYS_PER_YEAR))


def age_in_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def academic_year_start(today: dt.date) -> int:
    """The calendar year in which the current school year began (1 September)."""
    return today.year if (today.month, today.day) >= (9, 1) else today.year - 1


def school_year_age(born: dt.date, today: dt.date) -> int:
    """Age on 31 August before this school year: 4 in reception, 10 in Year 6, 15 in Year 11."""
    return age_in_years(born, dt.date(academic_year_start(today), 8, 31))


def school_entry_year(born: dt.date) -> int:
    """The year a child starts reception (the September after they turn four)."""
    return born.year + 4 + (1 if (born.month, born.day) > (8, 31) else 0)


def weekday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


def weekday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday() - 4 if day.weekday() >= 5 else 0)
