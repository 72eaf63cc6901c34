"""A hard population and queries of known truth for the matching benchmark (deterministic).

The population is the seed's synthetic Gaerwen area (``tarian.seed``: households whose
children share a surname and an address, Welsh and English names, nicknames and aliases,
double-barrelled surnames, parents and step-parents), planned in memory and then made harder,
chunk by chunk, with a random generator of its own:

- twins: in about 5 % of households with two or more children, two of them share a date of
  birth (about 3 % of children are twins, as in England and Wales);
- NHS numbers: 15 % of children have none (the seed leaves 8 % without);
- children not known: a small share of the planned children is never loaded (a sibling, a
  twin or a whole family's children), so that a query about them is a plausible child with,
  often, the surname, postcode and parents of a loaded family.

Queries: 88 % are about a loaded child, 12 % about a child who is not known. Each has zero to
three corruptions, at most one per field (given name, surname, date of birth, postcode): a typo
(a letter inserted, lost, changed or two swapped), a nickname, the Welsh or English form of a
name (Dafydd/David, Siân/Sian), a missing field, a double-barrelled or changed surname, day and
month swapped, a day out, or a family that moved. About a third carry no NHS number.

Nothing here touches the database; ``load`` writes a population's chunks as they are made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from tarian.core.text import fold
from tarian.people.models import PersonKind, RelationshipKind
from tarian.seed import names as seed_names
from tarian.seed.agencies import area_layout
from tarian.seed.area import plan_area
from tarian.seed.plan import ChunkPlan, PersonPlan

TODAY = dt.date(2026, 11, 23)  # ages are reckoned from here, so a seed always gives one area
NAMES_TOML = Path(__file__).resolve().parents[2] / "tarian" / "people" / "matching" / "names.toml"

NOT_KNOWN_SHARE = 0.12  # of queries
NO_NHS_QUERY_SHARE = 1 / 3  # of queries
CHILD_NO_NHS_SHARE = 0.15  # of children in the population
SEED_CHILD_NO_NHS_SHARE = 0.08  # what the seed leaves without one
DROP_CHILD_NHS = (CHILD_NO_NHS_SHARE - SEED_CHILD_NO_NHS_SHARE) / (1 - SEED_CHILD_NO_NHS_SHARE)
DROP_QUERY_NHS = (NO_NHS_QUERY_SHARE - CHILD_NO_NHS_SHARE) / (1 - CHILD_NO_NHS_SHARE)
TWIN_RATE = 0.05  # of households with two or more children
TWIN_HOLDOUT = 0.15  # of twin pairs, one twin is not loaded
MIN_HOLDOUT = 0.006  # share of planned children never loaded (at least)
PREVIOUS_POSTCODE = 0.3  # a "moved" query gives the address before the move this often
CORRUPTION_COUNTS: tuple[tuple[int, float], ...] = ((0, 20), (1, 35), (2, 30), (3, 15))

# Each kind of corruption: the field it changes and how often it is chosen when it applies.
KINDS: dict[str, tuple[str, float]] = {
    "typo_given": ("given", 1.0),
    "nickname": ("given", 1.0),
    "welsh_english": ("given", 1.0),
    "missing_given": ("given", 0.25),
    "typo_family": ("family", 1.0),
    "hyphenated_surname": ("family", 0.6),
    "changed_surname": ("family", 0.6),
    "day_month_swapped": ("dob", 0.8),
    "dob_one_day": ("dob", 0.8),
    "missing_dob": ("dob", 0.25),
    "moved": ("postcode", 1.2),
    "missing_postcode": ("postcode", 0.6),
}

CHILD = PersonKind.CHILD.value
ADULT = PersonKind.ADULT.value
_CARERS = frozenset(
    k.value
    for k in (
        RelationshipKind.PARENT,
        RelationshipKind.STEP_PARENT,
        RelationshipKind.GRANDPARENT,
        RelationshipKind.CARER,
    )
)
_SURNAMES = tuple(name for name, _w in seed_names.WELSH_SURNAMES + seed_names.ENGLISH_SURNAMES)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# One person as Splink sees them: ref, given name, surname, date of birth (ISO), current
# postcode, NHS number; "" where missing.
PersonRow = tuple[str, str, str, str, str, str]
Sink = Callable[[ChunkPlan], None]


def _rng(random_seed: int, purpose: int) -> random.Random:
    # Reproducible synthetic data, not secrets: a seeded PRNG is the point.
    return random.Random(random_seed * 1_000_003 + purpose)  # noqa: S311  # nosec B311


@dataclass(slots=True)
class Child:
    ref: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date
    nhs_number: str
    postcode: str
    previous_postcodes: tuple[str, ...]
    household: int
    related_surnames: tuple[str, ...]  # parents', carers' and household adults' surnames
    twin: bool = False
    loaded: bool = True
    not_known_kind: str = ""  # a child not loaded: "sibling", "twin" or "family"


@dataclass
class Population:
    children: int  # children asked for (loaded children number about this)
    random_seed: int
    today: dt.date
    known: list[Child] = field(default_factory=list)  # loaded children with a date of birth
    not_loaded: list[Child] = field(default_factory=list)
    rows: list[PersonRow] = field(default_factory=list)  # every loaded person
    people: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    digest: str = ""

    @property
    def twins(self) -> int:
        return sum(1 for c in self.known if c.twin)

    def summary(self) -> dict[str, Any]:
        known = len(self.known)
        return {
            "children_asked": self.children,
            "random_seed": self.random_seed,
            "today": self.today.isoformat(),
            "people": self.people,
            "children": self.kinds[CHILD],
            "unborn": self.kinds[PersonKind.UNBORN.value],
            "adults": self.kinds[ADULT],
            "children_without_nhs_number": sum(1 for c in self.known if not c.nhs_number),
            "children_without_nhs_share": (
                sum(1 for c in self.known if not c.nhs_number) / known if known else 0.0
            ),
            "twins": self.twins,
            "children_not_loaded": len(self.not_loaded),
            "digest": self.digest,
        }


def holdout_share(children: int, queries: int) -> float:
    """Share of planned children held back so there are twice the "not known" queries needed."""
    return max(MIN_HOLDOUT, 2 * NOT_KNOWN_SHARE * queries / max(children, 1))


class _Shaper:
    """Makes the seed's plan harder, chunk by chunk: twins, missing NHS numbers, held-out
    children (see the module docstring). Every choice comes from one generator, in plan order.
    """

    def __init__(self, population: Population, rng: random.Random, holdout: float) -> None:
        self.population = population
        self.rng = rng
        self.holdout = holdout
        self.households = 0
        self.hash = hashlib.sha256()

    def shape(self, chunk: ChunkPlan, *, keep_rows: bool) -> None:
        rng, people = self.rng, chunk.people
        current: dict[int, str] = {}
        previous: dict[int, list[str]] = defaultdict(list)
        for residence in chunk.residences:
            code = chunk.addresses[residence.address].postcode
            if residence.end_date is None:
                current[residence.person] = code
            elif code not in previous[residence.person]:
                previous[residence.person].append(code)
        homes: dict[int, list[int]] = defaultdict(list)
        for member in chunk.members:
            homes[member.household].append(member.person)
        related: dict[int, set[str]] = defaultdict(set)
        for rel in chunk.relationships:
            if rel.kind in _CARERS and people[rel.person].kind == ADULT:
                related[rel.relative].add(people[rel.person].family_name)

        removed: dict[int, Child] = {}
        children: list[Child] = []
        for number in range(len(chunk.households)):
            members = homes.get(number, [])
            kids = [i for i in members if people[i].kind == CHILD and people[i].date_of_birth]
            kids.sort(key=lambda i: (people[i].date_of_birth, i))  # eldest first
            adults = {people[i].family_name for i in members if people[i].kind == ADULT}
            twins: tuple[int, ...] = ()
            if len(kids) >= 2 and rng.random() < TWIN_RATE:
                k = rng.randrange(len(kids) - 1)
                elder, younger = kids[k], kids[k + 1]
                if fold(people[elder].given_name) != fold(people[younger].given_name):
                    people[younger].date_of_birth = people[elder].date_of_birth
                    twins = (elder, younger)
            held: set[int] = set()
            for i in kids:
                if people[i].nhs_number and rng.random() < DROP_CHILD_NHS:
                    people[i].nhs_number = ""
                if rng.random() < self.holdout:
                    held.add(i)
            if twins and not held & set(twins) and rng.random() < TWIN_HOLDOUT:
                held.add(twins[rng.randrange(2)])
            for i in kids:
                p = people[i]
                born = p.date_of_birth
                assert born is not None
                child = Child(
                    ref=p.ref,
                    given_name=p.given_name,
                    family_name=p.family_name,
                    sex=p.sex,
                    date_of_birth=born,
                    nhs_number=p.nhs_number,
                    postcode=current.get(i, ""),
                    previous_postcodes=tuple(previous.get(i, ())),
                    household=self.households + number,
                    related_surnames=tuple(sorted((related[i] | adults) - {p.family_name})),
                    twin=i in twins,
                )
                if i in held:
                    child.loaded = False
                    if i in twins and not held >= set(twins):
                        child.not_known_kind = "twin"
                    elif any(k not in held for k in kids):
                        child.not_known_kind = "sibling"
                    else:
                        child.not_known_kind = "family"
                    removed[i] = child
                else:
                    children.append(child)
        self.households += len(chunk.households)
        _drop_people(chunk, set(removed))

        population = self.population
        population.known.extend(children)
        population.not_loaded.extend(removed.values())
        population.people += len(chunk.people)
        population.kinds.update(p.kind for p in chunk.people)
        # The chunk's people are now the loaded ones; their indexes moved, so map postcodes
        # through refs.
        postcode_of = {people[i].ref: code for i, code in current.items()}
        for p in chunk.people:
            row: PersonRow = (
                p.ref,
                p.given_name,
                p.family_name,
                p.date_of_birth.isoformat() if p.date_of_birth else "",
                postcode_of.get(p.ref, ""),
                p.nhs_number,
            )
            self.hash.update("\x1f".join(row).encode())
            if keep_rows:
                population.rows.append(row)


def _drop_people(chunk: ChunkPlan, removed: set[int]) -> None:
    """Take people out of a planned chunk, with every row that refers to them; the seed's
    involvements (agencies working with the family) are not needed for matching and go too."""
    chunk.involvements = []
    if not removed:
        return
    index: dict[int, int] = {}
    kept: list[PersonPlan] = []
    for old, person in enumerate(chunk.people):
        if old not in removed:
            index[old] = len(kept)
            kept.append(person)
    chunk.people = kept
    chunk.residences = [r for r in chunk.residences if r.person in index]
    for residence in chunk.residences:
        residence.person = index[residence.person]
    chunk.members = [m for m in chunk.members if m.person in index]
    for member in chunk.members:
        member.person = index[member.person]
    chunk.names = [n for n in chunk.names if n.person in index]
    for name in chunk.names:
        name.person = index[name.person]
    chunk.relationships = [
        r for r in chunk.relationships if r.person in index and r.relative in index
    ]
    for rel in chunk.relationships:
        rel.person, rel.relative = index[rel.person], index[rel.relative]


def generate_population(
    *,
    children: int,
    random_seed: int,
    queries: int,
    today: dt.date = TODAY,
    sink: Sink | None = None,
    keep_rows: bool = True,
    progress: bool = False,
) -> Population:
    """About ``children`` loaded children (with their families) and the held-out ones.

    ``sink`` receives each chunk of the plan once it is final (``load`` writes it). The same
    arguments always give the same population (``Population.digest`` fingerprints it).
    """
    holdout = holdout_share(children, queries)
    planned = round(children / (1 - holdout))
    population = Population(children=children, random_seed=random_seed, today=today)
    shaper = _Shaper(population, _rng(random_seed, 1), holdout)
    with tqdm(
        total=planned,
        unit=" children",
        desc="Population",
        disable=not progress,
        file=sys.stderr,
        smoothing=0.1,
    ) as bar:
        for chunk in plan_area(
            children=planned, random_seed=random_seed, today=today, layout=area_layout(planned)
        ):
            planned_here = chunk.children
            shaper.shape(chunk, keep_rows=keep_rows)
            if sink is not None:
                sink(chunk)
            bar.update(planned_here)
    population.digest = shaper.hash.hexdigest()[:16]
    return population


# Names --------------------------------------------------------------------------------------


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class NameVariants:
    """Other forms of given names: nicknames, and Welsh/English forms and spellings."""

    nicknames: dict[str, tuple[str, ...]]
    forms: dict[str, tuple[str, ...]]
    sources: tuple[str, ...]

    def nicknames_of(self, name: str) -> tuple[str, ...]:
        return self.nicknames.get(fold(name), ())

    def forms_of(self, name: str) -> tuple[str, ...]:
        found = list(self.forms.get(fold(name), ()))
        plain = _strip_accents(name)
        if plain != name and plain not in found:
            found.append(plain)  # Siân -> Sian
        return tuple(found)


def load_name_variants(names_toml: Path | None = NAMES_TOML) -> NameVariants:
    """The seed's nickname and Welsh/English tables, and the matcher's ``names.toml`` groups
    when it exists (a name shorter by two letters or more counts as a nickname)."""
    nick: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, set[str]] = defaultdict(set)
    sources = ["tarian.seed.names"]
    for full, shorts in seed_names.NICKNAMES.items():
        for short in shorts:
            nick[fold(full)].add(short)
            nick[fold(short)].add(full)
    for one, other in seed_names.EQUIVALENTS.items():
        forms[fold(one)].add(other)
        forms[fold(other)].add(one)
    if names_toml is not None and names_toml.exists():
        data = tomllib.loads(names_toml.read_text(encoding="utf-8"))
        groups = data.get("given", [])
        for group in groups:
            names = [n for n in group.get("names", []) if isinstance(n, str) and n.strip()]
            for name in names:
                for other in names:
                    if fold(other) == fold(name):
                        continue
                    shorter = len(fold(other)) <= len(fold(name)) - 2
                    longer = len(fold(name)) <= len(fold(other)) - 2
                    (nick if shorter or longer else forms)[fold(name)].add(other)
        sources.append(str(names_toml.relative_to(NAMES_TOML.parents[4])))
    for table in (nick, forms):
        for key, values in table.items():
            values.discard("")
            table[key] = {v for v in values if fold(v) != key}
    return NameVariants(
        nicknames={k: tuple(sorted(v)) for k, v in nick.items() if v},
        forms={k: tuple(sorted(v)) for k, v in forms.items() if v},
        sources=tuple(sources),
    )


def typo(name: str, rng: random.Random) -> str:
    """One slip of the pen: a letter inserted, lost, changed, or two neighbours swapped."""
    n = len(name)
    start = 1 if n > 3 else 0  # the first letter is seldom wrong
    for _attempt in range(30):
        op = rng.choice(("insert", "delete", "substitute", "transpose"))
        chars = list(name)
        if op == "delete" and n > 3:
            i = rng.randrange(start, n)
            del chars[i]
        elif op == "insert":
            i = rng.randrange(start, n + 1)
            chars.insert(i, rng.choice(_LETTERS))
        elif op == "substitute":
            i = rng.randrange(start, n)
            chars[i] = rng.choice(_LETTERS)
        elif op == "transpose" and n >= 3:
            i = rng.randrange(start, n - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            continue
        touched = name[i : i + 2] if op == "transpose" else name[i : i + 1]
        if op != "insert" and not touched.isalpha():
            continue  # keep hyphens, spaces and apostrophes where they were
        result = "".join(chars)
        if fold(result) != fold(name) and result[:1].isalpha() and result[-1:].isalpha():
            return result
    return name + "e"


# Queries ------------------------------------------------------------------------------------


@dataclass
class Query:
    id: str
    given_name: str
    family_name: str
    date_of_birth: str  # ISO, or "" when missing
    postcode: str
    nhs_number: str
    truth: str  # the ref of the child asked about; "" for a child who is not known
    corruptions: tuple[str, ...]
    not_known_kind: str = ""
    twin: bool = False
    true_values: dict[str, str] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return bool(self.truth)

    def params(self) -> dict[str, str]:
        """What is asked: the fields given, as the HTTP API takes them."""
        values = {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
        }
        return {k: v for k, v in values.items() if v}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["corruptions"] = list(self.corruptions)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Query:
        return cls(**{**data, "corruptions": tuple(data["corruptions"])})


class _Corrupter:
    def __init__(
        self, rng: random.Random, variants: NameVariants, postcodes: Sequence[str]
    ) -> None:
        self.rng = rng
        self.variants = variants
        self.postcodes = postcodes

    def applies(self, kind: str, values: dict[str, Any], child: Child) -> bool:
        given, family, born = values["given"], values["family"], values["dob"]
        if kind in ("typo_given", "missing_given"):
            return len(given) >= 3 or (kind == "missing_given" and bool(given))
        if kind == "nickname":
            return bool(self.variants.nicknames_of(given))
        if kind == "welsh_english":
            return bool(self.variants.forms_of(given))
        if kind == "typo_family":
            return len(family) >= 3
        if kind == "hyphenated_surname":
            return "-" not in family and " " not in family
        if kind == "day_month_swapped":
            return born is not None and born.day <= 12 and born.day != born.month
        if kind in ("moved", "missing_postcode"):
            return bool(values["postcode"])
        return True  # changed_surname, dob_one_day, missing_dob

    def apply(self, kind: str, values: dict[str, Any], child: Child) -> None:
        rng = self.rng
        if kind == "typo_given":
            values["given"] = typo(values["given"], rng)
        elif kind == "nickname":
            values["given"] = rng.choice(self.variants.nicknames_of(values["given"]))
        elif kind == "welsh_english":
            values["given"] = rng.choice(self.variants.forms_of(values["given"]))
        elif kind == "missing_given":
            values["given"] = ""
        elif kind == "typo_family":
            values["family"] = typo(values["family"], rng)
        elif kind == "hyphenated_surname":
            family = values["family"]
            other = self._other_surname(child, family)
            values["family"] = f"{family}-{other}" if rng.random() < 0.5 else f"{other}-{family}"
        elif kind == "changed_surname":
            family = values["family"]
            parts = [p for p in family.replace(" ", "-").split("-") if len(p) > 2]
            if len(parts) > 1:
                values["family"] = rng.choice(parts)
            else:
                values["family"] = self._other_surname(child, family)
        elif kind == "day_month_swapped":
            born = values["dob"]
            values["dob"] = born.replace(day=born.month, month=born.day)
        elif kind == "dob_one_day":
            values["dob"] += dt.timedelta(days=rng.choice((-1, 1)))
        elif kind == "missing_dob":
            values["dob"] = None
        elif kind == "moved":
            before = [p for p in child.previous_postcodes if p != values["postcode"]]
            if before and rng.random() < PREVIOUS_POSTCODE:
                values["postcode"] = rng.choice(before)
            else:
                current = values["postcode"]
                while values["postcode"] == current:
                    values["postcode"] = rng.choice(self.postcodes)
        elif kind == "missing_postcode":
            values["postcode"] = ""
        else:
            raise ValueError(kind)

    def _other_surname(self, child: Child, family: str) -> str:
        """A parent's or step-parent's surname, else another common surname."""
        others = [s for s in child.related_surnames if fold(s) != fold(family)]
        if others:
            return self.rng.choice(others)
        while True:
            other = self.rng.choice(_SURNAMES)
            if fold(other) != fold(family):
                return other

    def query(self, number: int, child: Child) -> Query:
        rng = self.rng
        values: dict[str, Any] = {
            "given": child.given_name,
            "family": child.family_name,
            "dob": child.date_of_birth,
            "postcode": child.postcode,
        }
        count = rng.choices(
            [c for c, _w in CORRUPTION_COUNTS], weights=[w for _c, w in CORRUPTION_COUNTS]
        )[0]
        fields_used: set[str] = set()
        kinds: list[str] = []
        for _ in range(count):
            options = [
                (kind, weight)
                for kind, (name, weight) in KINDS.items()
                if name not in fields_used and self.applies(kind, values, child)
            ]
            if not options:
                break
            kind = rng.choices([k for k, _w in options], weights=[w for _k, w in options])[0]
            self.apply(kind, values, child)
            fields_used.add(KINDS[kind][0])
            kinds.append(kind)
        nhs = child.nhs_number if child.nhs_number and rng.random() >= DROP_QUERY_NHS else ""
        born = values["dob"]
        return Query(
            id=f"Q{number:06d}",
            given_name=values["given"],
            family_name=values["family"],
            date_of_birth=born.isoformat() if born else "",
            postcode=values["postcode"],
            nhs_number=nhs,
            truth=child.ref if child.loaded else "",
            corruptions=tuple(kinds),
            not_known_kind=child.not_known_kind,
            twin=child.twin,
            true_values={
                "ref": child.ref,
                "given_name": child.given_name,
                "family_name": child.family_name,
                "date_of_birth": child.date_of_birth.isoformat(),
                "postcode": child.postcode,
                "nhs_number": child.nhs_number,
            },
        )


def _identity(child: Child) -> tuple[str, str, dt.date]:
    return fold(child.given_name), fold(child.family_name), child.date_of_birth


def make_queries(
    population: Population,
    count: int,
    *,
    random_seed: int,
    variants: NameVariants | None = None,
) -> list[Query]:
    """``count`` queries: 12 % about children not known, the rest about loaded children."""
    rng = _rng(random_seed, 2)
    variants = variants or load_name_variants()
    known = population.known
    taken = {_identity(c) for c in known}
    # A child not known must not share a name and date of birth with one who is: that query
    # would have no defensible truth.
    pool = [c for c in population.not_loaded if _identity(c) not in taken]
    not_known = round(count * NOT_KNOWN_SHARE)
    if len(pool) < not_known:
        raise ValueError(
            f"only {len(pool)} children not loaded for {not_known} 'not known' queries: "
            "ask for fewer queries or more children"
        )
    if len(known) < count - not_known:
        raise ValueError(f"only {len(known)} children for {count - not_known} queries")
    asked = [known[i] for i in rng.sample(range(len(known)), count - not_known)]
    asked += [pool[i] for i in rng.sample(range(len(pool)), not_known)]
    rng.shuffle(asked)
    postcodes = sorted({c.postcode for c in known if c.postcode})
    corrupter = _Corrupter(rng, variants, postcodes)
    return [corrupter.query(number, child) for number, child in enumerate(asked, start=1)]


def query_summary(queries: Sequence[Query]) -> dict[str, Any]:
    kinds: Counter[str] = Counter(k for q in queries for k in q.corruptions)
    counts: Counter[int] = Counter(len(q.corruptions) for q in queries)
    not_known: Counter[str] = Counter(q.not_known_kind for q in queries if not q.known)
    total = len(queries) or 1
    return {
        "queries": len(queries),
        "not_known": sum(1 for q in queries if not q.known),
        "not_known_share": sum(1 for q in queries if not q.known) / total,
        "not_known_kinds": dict(sorted(not_known.items())),
        "without_nhs_number": sum(1 for q in queries if not q.nhs_number),
        "without_nhs_share": sum(1 for q in queries if not q.nhs_number) / total,
        "about_twins": sum(1 for q in queries if q.twin and q.known),
        "corruption_counts": {str(k): counts[k] for k in sorted(counts)},
        "corruption_kinds": dict(sorted(kinds.items())),
    }
