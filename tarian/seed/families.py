"""Households of the synthetic Gaerwen population: who lives with whom, and what they are called.

Each household has one or two adults (birth parents, a step-parent, or grandparents caring for
their grandchildren) and one to six children, some of them half-siblings, now and then a baby
not yet born. Parents who live elsewhere are recorded too, as they would be on a real record.
Names vary the way real records do: Welsh and English forms, nicknames, married names, children
with a different surname from a parent, double-barrelled surnames and the odd misspelling.
"""

from __future__ import annotations

import datetime as dt

from tarian.people.models import (
    PersonKind,
    RelationshipKind,
    Sex,
    WelshActiveOffer,
)
from tarian.seed.backgrounds import (
    ACTIVE_OFFER,
    BACKGROUNDS,
    MIXED_CHILD_ETHNICITY,
    MIXED_PARTNER_WEIGHTS,
    REGION_WEIGHTS,
    Background,
)
from tarian.seed.naming import Namer, hyphenated
from tarian.seed.places import TOWNS, AddressBook, Town
from tarian.seed.plan import (
    DAYS_PER_YEAR,
    ChunkPlan,
    Draft,
    Identifiers,
    MemberPlan,
    PersonPlan,
    Picker,
    RelationshipPlan,
    ResidencePlan,
    years_before,
)

# fmt: off
STRUCTURES: tuple[tuple[str, float], ...] = (
    ("two_parents", 55), ("single_mother", 22), ("single_father", 3), ("step_father", 10),
    ("step_mother", 2), ("grandparents", 3.5), ("two_mothers", 1.5),
)
CHILD_COUNTS: tuple[tuple[int, float], ...] = (
    (1, 42), (2, 38), (3, 14), (4, 5), (5, 0.7), (6, 0.3),
)
UNBORN_RATE = 0.025  # of households with a mother at home: about 1 % of all children
MOVED_RATE = 0.2  # households who moved house in the last six years
# fmt: on
TOWN_WEIGHTS: tuple[tuple[Town, float], ...] = tuple((t, t.weight) for t in TOWNS)
FEATURED_GIVEN = (
    ("Gwenllian", Sex.FEMALE),
    ("Dafydd", Sex.MALE),
    ("Elizabeth", Sex.FEMALE),
    ("William", Sex.MALE),
    ("Rhiannon", Sex.FEMALE),
    ("Tomos", Sex.MALE),
)
PARENT = RelationshipKind.PARENT


class FamilyPlanner:
    """Plans whole households into chunks; every choice comes from one ``Picker``."""

    def __init__(
        self, *, pick: Picker, ids: Identifiers, today: dt.date, book: AddressBook
    ) -> None:
        self.pick = pick
        self.ids = ids
        self.today = today
        self.book = book
        self.namer = Namer(pick, today)

    # People ----------------------------------------------------------------------------

    def _add(self, d: Draft, person: PersonPlan, *, interpreter: float, force: bool = False) -> int:
        pick = self.pick
        index = len(d.chunk.people)
        d.chunk.people.append(person)
        if person.kind == PersonKind.UNBORN:
            return index
        if pick.chance(0.92 if person.kind == PersonKind.CHILD else 0.85):
            person.nhs_number = self.ids.nhs_number()
        language = person.first_language
        if language not in ("en", "cy"):
            person.interpreter_needed = language == "bfi" or pick.chance(interpreter)
        offer = ACTIVE_OFFER["cy" if language == "cy" else d.region]
        person.welsh_active_offer = WelshActiveOffer(pick.weighted(offer))
        self.namer.other_names(d, index, person, force=force)
        return index

    def adult(
        self, d: Draft, sex: str, age: float, family: str, background: Background | None = None
    ) -> int:
        pick = self.pick
        background = background or d.background
        born = years_before(self.today, age)
        language = pick.weighted(background.adult_language)
        if pick.chance(0.0015):
            language = "bfi"
        person = PersonPlan(
            ref=self.ids.ref(),
            kind=PersonKind.ADULT,
            given_name=self.namer.given(background, sex, born, d.region),
            family_name=family,
            sex=sex,
            date_of_birth=born,
            ethnicity=pick.weighted(background.ethnicity),
            first_language=language,
        )
        return self._add(d, person, interpreter=background.interpreter)

    def child(self, d: Draft, age: float, family: str) -> int:
        pick, today = self.pick, self.today
        sex = Sex.MALE if pick.chance(0.512) else Sex.FEMALE
        if age < 0:
            expected = today + dt.timedelta(days=max(1, round(-age * DAYS_PER_YEAR)))
            person = PersonPlan(
                ref=self.ids.ref(),
                kind=PersonKind.UNBORN,
                given_name="",
                family_name=family,
                sex=Sex.UNKNOWN,
                expected_date=expected,
                ethnicity=d.child_ethnicity,
            )
            index = self._add(d, person, interpreter=0)
            d.unborn.append(index)
            return index
        born = years_before(today, age)
        featured = d.featured and not d.children
        if featured:
            given, sex = pick.item(FEATURED_GIVEN)
        else:
            given = self.namer.given(d.background, sex, born, d.region)
            for _retry in range(3):
                if given not in d.given_names:
                    break
                given = self.namer.given(d.background, sex, born, d.region)
        d.given_names.add(given)
        ethnicity = d.child_ethnicity
        if age < 1 and pick.chance(0.08):
            ethnicity = "not_yet_obtained"
        language = d.child_language
        if pick.chance(0.1):
            language = pick.weighted(d.background.child_language)
        person = PersonPlan(
            ref=self.ids.ref(),
            kind=PersonKind.CHILD,
            given_name=given,
            family_name=family,
            sex=sex,
            date_of_birth=born,
            ethnicity=ethnicity,
            first_language=language,
        )
        index = self._add(d, person, interpreter=0.03, force=featured)
        d.children.append(index)
        return index

    def relate(
        self,
        d: Draft,
        person: int,
        relative: int,
        kind: str,
        *,
        responsibility: bool = False,
        start: dt.date | None = None,
    ) -> None:
        d.chunk.relationships.append(
            RelationshipPlan(person, relative, kind, responsibility, start)
        )

    def parent_of(self, d: Draft, parent: int, child: int, *, responsibility: bool = True) -> None:
        unborn = d.person(child).kind == PersonKind.UNBORN
        # Nobody has parental responsibility for a baby who is not yet born.
        self.relate(
            d,
            parent,
            child,
            PARENT,
            responsibility=responsibility and not unborn,
            start=d.person(child).date_of_birth,
        )

    # Households ------------------------------------------------------------------------

    def household(self, chunk: ChunkPlan, *, remaining: int, featured: bool) -> Draft:
        """Plan one household (at most ``remaining`` children, unborn included) into ``chunk``."""
        pick = self.pick
        town = TOWNS[0] if featured else pick.weighted(TOWN_WEIGHTS)
        background = BACKGROUNDS[
            "british" if featured else pick.weighted(REGION_WEIGHTS[town.region])
        ]
        partner = None
        if background.code == "british" and not featured and pick.chance(0.05):
            partner = BACKGROUNDS[pick.weighted(MIXED_PARTNER_WEIGHTS)]
        d = Draft(
            chunk=chunk,
            town=town,
            background=background,
            partner=partner,
            featured=featured,
            first_relationship=len(chunk.relationships),
            first_name=len(chunk.names),
        )
        structure = "step_father" if featured else pick.weighted(STRUCTURES)
        count = min(remaining, 3 if featured else pick.weighted(CHILD_COUNTS))
        ages = self._child_ages(
            count,
            featured,
            unborn_possible=structure
            in ("two_parents", "two_mothers", "single_mother", "step_father"),
        )
        self._child_traits(d)
        if structure in ("two_parents", "two_mothers"):
            self._two_parents(d, ages, same_sex=structure == "two_mothers")
        elif structure in ("single_mother", "single_father"):
            self._single_parent(d, ages, father=structure == "single_father")
        elif structure in ("step_father", "step_mother"):
            self._step_family(d, ages, step_mother=structure == "step_mother")
        else:
            self._grandparents(d, ages)
        self._siblings(d)
        self._home(d)
        chunk.children += count
        return d

    def _child_ages(self, count: int, featured: bool, *, unborn_possible: bool) -> list[float]:
        """Ages in years, eldest first; a negative age is a baby due in that many years."""
        pick = self.pick
        if featured:
            # A primary-school child with a younger sister or brother and a half-sibling.
            return [9.1, 6.0, 2.4][:count]
        gaps = [min(8.0, 1.0 + pick.rng.expovariate(1 / 1.7)) for _ in range(count - 1)]
        while sum(gaps) > 16:
            gaps = [g * 0.75 for g in gaps]
        span = sum(gaps)
        if unborn_possible and pick.chance(UNBORN_RATE):
            youngest = -pick.rng.randint(1, 270) / DAYS_PER_YEAR
        else:
            youngest = pick.rng.uniform(0, 17.95 - span)
        return [youngest + sum(gaps[i:]) for i in range(count)]

    def _child_traits(self, d: Draft) -> None:
        pick = self.pick
        d.child_language = pick.weighted(d.background.child_language)
        if d.partner is not None:
            mixed = MIXED_CHILD_ETHNICITY.get(d.partner.code, "mixed_other")
            d.child_ethnicity = (
                "white_british" if mixed == "white_other" and pick.chance(0.5) else mixed
            )
        else:
            d.child_ethnicity = pick.weighted(d.background.ethnicity)

    def _mother_age(self, ages: list[float]) -> float:
        """The birth mother's age now, so she was 17 to 42 at the first birth (46 at the last)."""
        span = ages[0] - ages[-1]
        at_first = self.pick.rng.triangular(17.5, 42.0, 28.0)
        low = max(16.5, 18.0 - ages[0])
        high = max(low, min(42.0, 46.0 - span))
        return ages[0] + min(max(at_first, low), high)

    def _father_age(self, mother_age: float, eldest: float) -> float:
        gap = min(14.0, max(-6.0, self.pick.rng.gauss(2.5, 4.0)))
        return min(68.0, max(mother_age + gap, 18.0, eldest + 17.0))

    def _wedding(self, adult_age: float, first_birth_age: float) -> dt.date:
        """A wedding after the younger partner turned 18, usually before the first child."""
        earliest = years_before(self.today, adult_age - 18.0)
        latest = min(self.today, years_before(self.today, max(first_birth_age, 0.0) + 0.5))
        earliest = max(earliest, years_before(latest, 8.0))
        if earliest >= latest:
            return min(earliest, self.today)
        return self.pick.days_between(earliest, latest)

    def _children(self, d: Draft, ages: list[float], surname: str) -> list[int]:
        return [self.child(d, age, surname) for age in ages]

    def _child_surname(self, own: str, other: str) -> str:
        """A child's surname when the parents' differ: mostly ``own``, some double-barrelled."""
        roll = self.pick.rng.random()
        if roll < 0.74:
            return own
        if roll < 0.91:
            return other
        return hyphenated(other, own) if self.pick.chance(0.5) else hyphenated(own, other)

    def _two_parents(self, d: Draft, ages: list[float], *, same_sex: bool) -> None:
        pick = self.pick
        mother_age = self._mother_age(ages)
        partner_is_father = pick.chance(0.6)
        father_bg = d.partner if d.partner and partner_is_father else d.background
        mother_bg = d.partner if d.partner and not partner_is_father else d.background
        maiden = self.namer.surname(mother_bg, d.region)
        if same_sex:
            second_age = max(18.0, ages[0] + 17.0, mother_age + pick.rng.gauss(0, 4))
            second_name = self.namer.surname(d.background, d.region)
            married = pick.chance(0.5)
            wedding = self._wedding(min(mother_age, second_age), ages[0])
            mother = self.adult(d, Sex.FEMALE, mother_age, maiden, mother_bg)
            second = self.adult(d, Sex.FEMALE, second_age, maiden if married else second_name)
            if married and second_name != maiden:
                self.namer.name_history(d, second, [(second_name, wedding)])
            surname = maiden if pick.chance(0.8) else hyphenated(maiden, second_name)
        else:
            father_age = self._father_age(mother_age, ages[0])
            father_name = self.namer.surname(father_bg, d.region)
            married = pick.chance(0.6)
            wedding = self._wedding(min(mother_age, father_age), ages[0])
            took_name = married and pick.chance(0.75)
            mother = self.adult(
                d, Sex.FEMALE, mother_age, father_name if took_name else maiden, mother_bg
            )
            second = self.adult(d, Sex.MALE, father_age, father_name, father_bg)
            if took_name and father_name != maiden:
                self.namer.name_history(d, mother, [(maiden, wedding)])
            surname = father_name if took_name else self._child_surname(father_name, maiden)
        d.mother = mother
        d.residents += [mother, second]
        self.relate(d, mother, second, RelationshipKind.PARTNER, start=wedding if married else None)
        for child in self._children(d, ages, surname):
            self.parent_of(d, mother, child)
            self.parent_of(d, second, child)

    def _split(self, count: int) -> int:
        """How many of the eldest children share the first father (the rest have another)."""
        if count < 2 or not self.pick.chance(0.25):
            return count
        return self.pick.rng.randint(1, count - 1)

    def _single_parent(self, d: Draft, ages: list[float], *, father: bool) -> None:
        pick = self.pick
        mother_age = self._mother_age(ages)
        maiden = self.namer.surname(d.background, d.region)
        if father:
            father_age = self._father_age(mother_age, ages[0])
            father_name = self.namer.surname(d.background, d.region)
            dad = self.adult(d, Sex.MALE, father_age, father_name)
            d.residents.append(dad)
            mum: int | None = None
            if pick.chance(0.6):
                mum = self.adult(d, Sex.FEMALE, mother_age, maiden)
                d.absent.append(mum)
            surname = self._child_surname(father_name, maiden)
            for child in self._children(d, ages, surname):
                self.parent_of(d, dad, child)
                if mum is not None:
                    self.parent_of(d, mum, child)
            return
        mum = self.adult(d, Sex.FEMALE, mother_age, maiden)
        d.mother = mum
        d.residents.append(mum)
        cut = self._split(len(ages))
        for group in (ages[:cut], ages[cut:]):
            if not group:
                continue
            father_name = self.namer.surname(d.background, d.region)
            birth_father = None
            if pick.chance(0.4):
                age = self._father_age(mother_age, group[0])
                birth_father = self.adult(d, Sex.MALE, age, father_name)
                d.absent.append(birth_father)
            surname = self._child_surname(father_name, maiden)
            for child in self._children(d, group, surname):
                self.parent_of(d, mum, child)
                if birth_father is not None:
                    self.parent_of(d, birth_father, child, responsibility=pick.chance(0.8))

    def _step_family(self, d: Draft, ages: list[float], *, step_mother: bool) -> None:
        """A parent, their new partner, children from before and perhaps children together."""
        pick, today = self.pick, self.today
        mother_age = self._mother_age(ages)
        if step_mother:
            cut = len(ages)
        elif d.featured:
            cut = 2
        else:
            cut = (
                len(ages)
                if len(ages) == 1 or pick.chance(0.5)
                else pick.rng.randint(1, len(ages) - 1)
            )
        earlier, later = ages[:cut], ages[cut:]
        parent_age = self._father_age(mother_age, ages[0]) if step_mother else mother_age
        step_age = max(18.0, parent_age + pick.rng.gauss(1.0, 5.0))
        if later:
            step_age = max(step_age, later[0] + 17.0)
        # The new partner joined before the first child they had together, or in recent years.
        joined_before = years_before(today, later[0]) if later else today
        joined = pick.days_between(
            max(years_before(today, min(earlier[0], 12.0)), years_before(today, step_age - 18)),
            joined_before - dt.timedelta(days=30),
        )
        joined = min(joined, today)
        ex_name = self.namer.surname(d.background, d.region)
        step_name = self.namer.surname(d.background, d.region)
        maiden = self.namer.surname(d.background, d.region)
        married = pick.chance(0.6) or d.featured
        wedding = pick.days_between(joined, today)
        if step_mother:
            parent = self.adult(d, Sex.MALE, parent_age, ex_name)
            step = self.adult(d, Sex.FEMALE, step_age, ex_name if married else step_name)
            if married:
                self.namer.name_history(d, step, [(step_name, wedding)])
            absent_sex, absent_age, absent_name = Sex.FEMALE, mother_age, maiden
            earlier_name = hyphenated(maiden, ex_name) if pick.chance(0.15) else ex_name
        else:
            had_married_ex = pick.chance(0.3) and not d.featured
            history: list[tuple[str, dt.date]] = []
            current = maiden
            if had_married_ex:
                history.append((maiden, self._wedding(mother_age, earlier[0])))
                current = ex_name
            if married and step_name != current:
                history.append((current, wedding))
                current = step_name
            parent = self.adult(d, Sex.FEMALE, mother_age, current)
            self.namer.name_history(d, parent, history)
            step = self.adult(d, Sex.MALE, step_age, step_name)
            d.mother = parent
            absent_sex, absent_age, absent_name = (
                Sex.MALE,
                self._father_age(mother_age, ages[0]),
                ex_name,
            )
            earlier_name = (
                hyphenated(maiden, ex_name) if d.featured else self._child_surname(ex_name, maiden)
            )
        d.residents += [parent, step]
        d.entered[step] = joined
        self.relate(d, parent, step, RelationshipKind.PARTNER, start=joined)
        absent = None
        if pick.chance(0.5) or d.featured:
            absent = self.adult(d, absent_sex, absent_age, absent_name)
            d.absent.append(absent)
        for child in self._children(d, earlier, earlier_name):
            self.parent_of(d, parent, child)
            if absent is not None:
                self.parent_of(d, absent, child, responsibility=pick.chance(0.85))
            self.relate(
                d,
                step,
                child,
                RelationshipKind.STEP_PARENT,
                responsibility=pick.chance(0.08),
                start=joined,
            )
            if married and not step_mother and not d.featured and pick.chance(0.1):
                # The child took the step-father's name; the old one stays on the record.
                person = d.person(child)
                for name in d.chunk.names[d.first_name :]:
                    # Nicknames and other forms of the given name follow the new surname.
                    if name.person == child and name.given_name != person.given_name:
                        name.family_name = step_name
                self.namer.name_history(d, child, [(person.family_name, wedding)])
                person.family_name = step_name
        later_name = step_name if step_mother or married else self._child_surname(step_name, maiden)
        for child in self._children(d, later, later_name):
            self.parent_of(d, parent, child)
            self.parent_of(d, step, child)

    def _grandparents(self, d: Draft, ages: list[float]) -> None:
        """Grandparents bringing up their grandchildren (kinship care)."""
        pick, today = self.pick, self.today
        mother_age = self._mother_age(ages)
        maternal = pick.chance(0.75)
        father_name = self.namer.surname(d.background, d.region)
        maiden = self.namer.surname(d.background, d.region)
        family = maiden if maternal else father_name
        nan_age = min(76.0, mother_age + pick.rng.triangular(18, 34, 24))
        nan = self.adult(d, Sex.FEMALE, nan_age, family)
        d.residents.append(nan)
        carers = [nan]
        if pick.chance(0.6):
            taid = self.adult(d, Sex.MALE, min(80.0, nan_age + abs(pick.rng.gauss(2, 3))), family)
            d.residents.append(taid)
            carers.append(taid)
            self.relate(d, nan, taid, RelationshipKind.PARTNER)
        mum = dad = None
        if pick.chance(0.85):
            mum = self.adult(d, Sex.FEMALE, mother_age, maiden)
            d.absent.append(mum)
            d.mother = mum
        if pick.chance(0.4):
            dad = self.adult(d, Sex.MALE, self._father_age(mother_age, ages[0]), father_name)
            d.absent.append(dad)
        own_child = mum if maternal else dad
        if own_child is not None:
            for carer in carers:
                self.relate(d, carer, own_child, PARENT)
        surname = father_name if not maternal or pick.chance(0.55) else maiden
        for child in self._children(d, ages, surname):
            for carer in carers:
                self.relate(
                    d, carer, child, RelationshipKind.GRANDPARENT, responsibility=pick.chance(0.7)
                )
            for parent in (mum, dad):
                if parent is not None:
                    self.parent_of(d, parent, child)
            born = d.born(child)
            if born <= today:
                d.entered[child] = pick.days_between(
                    max(born, years_before(today, 10)), today - dt.timedelta(days=30)
                )

    def _siblings(self, d: Draft) -> None:
        """Sibling or half-sibling, once per pair, from the elder to the younger."""
        kids = d.children + d.unborn
        parents: dict[int, set[int]] = {k: set() for k in kids}
        for rel in d.chunk.relationships[d.first_relationship :]:
            if rel.kind == PARENT and rel.relative in parents:
                parents[rel.relative].add(rel.person)
        for i, elder in enumerate(kids):
            for younger in kids[i + 1 :]:
                shared = parents[elder] & parents[younger]
                kind = (
                    RelationshipKind.SIBLING
                    if shared == parents[elder] == parents[younger]
                    else RelationshipKind.HALF_SIBLING
                )
                self.relate(d, elder, younger, kind, start=d.person(younger).date_of_birth)

    def _home(self, d: Draft) -> None:
        """The household's address, when each member came, and where some lived before."""
        pick, today, chunk = self.pick, self.today, d.chunk
        address = self._new_address(chunk, d.town)
        household = len(chunk.households)
        chunk.households.append(address)
        born = [d.born(k) for k in d.children] + [
            d.person(k).expected_date or today for k in d.unborn
        ]
        first_child = min([*born, today])
        founders = [r for r in d.residents if r not in d.entered]
        came_of_age = max(years_before(d.born(r), -18.0) for r in founders)
        settled = pick.days_between(
            max(came_of_age, years_before(first_child, 4)), min(first_child, today)
        )
        moved = (
            None
            if d.featured or not pick.chance(MOVED_RATE)
            else pick.days_between(years_before(today, 6), today - dt.timedelta(days=30))
        )
        previous = None
        if moved is not None:
            town = d.town if pick.chance(0.4) else pick.weighted(TOWN_WEIGHTS)
            previous = self._new_address(chunk, town)
        for person in [*d.residents, *d.children]:
            entered = d.entered.get(person, settled)
            entered = max(entered, d.born(person))
            start = max(entered, moved) if moved else entered
            chunk.residences.append(ResidencePlan(person, address, start))
            chunk.members.append(MemberPlan(household, person, start))
            d.since[person] = start
            if moved and previous is not None and entered < moved:
                lived = max(entered, pick.days_between(years_before(moved, 8), moved))
                chunk.residences.append(ResidencePlan(person, previous, lived, moved))
            elif person in d.entered and person in d.residents and pick.chance(0.6):
                # A step-parent's own address before they moved in.
                own = self._new_address(chunk, pick.weighted(TOWN_WEIGHTS))
                lived = max(
                    years_before(d.born(person), -18.0),
                    years_before(entered, pick.rng.uniform(1, 6)),
                )
                chunk.residences.append(ResidencePlan(person, own, min(lived, entered), entered))
        for person in d.absent:
            self._elsewhere(d, person)

    def _elsewhere(self, d: Draft, person: int) -> None:
        """A parent who lives apart from their children: an address of their own."""
        pick, today, chunk = self.pick, self.today, d.chunk
        near = d.town.region
        towns = [t for t in TOWNS if t.region == near] if pick.chance(0.8) else list(TOWNS)
        address = self._new_address(chunk, pick.item(towns))
        adult_from = years_before(d.born(person), -18.0)
        start = pick.days_between(
            max(adult_from, years_before(today, 12)), today - dt.timedelta(days=14)
        )
        chunk.residences.append(ResidencePlan(person, address, start))
        d.since[person] = start
        if pick.chance(0.1):
            before = self._new_address(chunk, pick.weighted(TOWN_WEIGHTS))
            lived = max(adult_from, years_before(start, pick.rng.uniform(1, 5)))
            chunk.residences.append(ResidencePlan(person, before, min(lived, start), start))

    def _new_address(self, chunk: ChunkPlan, town: Town) -> int:
        chunk.addresses.append(self.book.new_address(town))
        return len(chunk.addresses) - 1
