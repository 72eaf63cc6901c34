"""The agencies of the fictional Gaerwen partnership, for the demo and synthetic data.

The core agencies (children's services, police, health board, youth justice, probation,
housing, the safeguarding board) have fixed slugs that other code and the demo rely on.
Schools, nurseries and GP practices are laid out over the towns in ``places.TOWNS``; how many
there are grows with the number of children seeded, always in the same order, so the same
``--children`` gives the same agencies. Agencies and teams are found or created by slug and
name, so seeding works on a database that already has some of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from tarian.agencies.models import Agency, AgencyType, Team
from tarian.seed.backgrounds import NORTH
from tarian.seed.places import TOWNS, Town

CHILDRENS_SERVICES = "gaerwen-childrens-services"
POLICE = "gaerwen-police"
HEALTH = "gaerwen-health"
YOUTH_JUSTICE = "gaerwen-youth-justice"
PROBATION = "gaerwen-probation"
HOUSING = "gaerwen-housing"
BOARD = "gaerwen-board"
# The school and GP practice of the featured family, where the demo puts its DSL and GP.
FEATURED_SCHOOL = "ysgol-gynradd-aberwen"
FEATURED_GP = "meddygfa-aberwen"

CS_TEAMS = ("Gateway", "Assessment North", "Assessment South", "Child Protection", "Early Help")
POLICE_TEAM = "Central Referral Unit"
HEALTH_TEAMS = ("Health Visiting", "School Nursing", "Midwifery", "CAMHS", "Paediatrics")
# Each team's name in Welsh, for Welsh readers (#20 item 11).
TEAM_NAMES_CY = {
    "Gateway": "Y Porth",
    "Assessment North": "Asesu'r Gogledd",
    "Assessment South": "Asesu'r De",
    "Child Protection": "Amddiffyn Plant",
    "Early Help": "Cymorth Cynnar",
    POLICE_TEAM: "Uned Atgyfeirio Ganolog",
    "Health Visiting": "Ymwelwyr Iechyd",
    "School Nursing": "Nyrsio Ysgol",
    "Midwifery": "Bydwreigiaeth",
    "CAMHS": "CAMHS",
    "Paediatrics": "Pediatreg",
}

PRIMARY = "primary"
SECONDARY = "secondary"
NURSERY = "nursery"
GP = "gp"


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    name_cy: str
    type: str
    teams: tuple[str, ...] = ()
    town: str = ""
    phase: str = ""
    welsh_medium: bool = False
    catholic: bool = False
    estab: int = 0  # establishment number, part of a pupil's UPN


# fmt: off
CORE: tuple[AgencySpec, ...] = (
    AgencySpec(CHILDRENS_SERVICES, "Gaerwen Children's Services", "Gwasanaethau Plant Gaerwen",
               AgencyType.CHILDRENS_SERVICES, CS_TEAMS),
    AgencySpec(POLICE, "Gaerwen Police", "Heddlu Gaerwen", AgencyType.POLICE, (POLICE_TEAM,)),
    AgencySpec(HEALTH, "Gaerwen Health Board", "Bwrdd Iechyd Gaerwen", AgencyType.HEALTH,
               HEALTH_TEAMS),
    AgencySpec(YOUTH_JUSTICE, "Gaerwen Youth Justice Service",
               "Gwasanaeth Cyfiawnder Ieuenctid Gaerwen", AgencyType.YOUTH_JUSTICE),
    AgencySpec(PROBATION, "Gaerwen Probation Delivery Unit", "Uned Gyflawni Prawf Gaerwen",
               AgencyType.PROBATION),
    AgencySpec(HOUSING, "Gaerwen Housing", "Tai Gaerwen", AgencyType.HOUSING),
    AgencySpec(BOARD, "North Gaerwen Regional Safeguarding Board",
               "Bwrdd Diogelu Rhanbarthol Gogledd Gaerwen", AgencyType.BOARD),
)

_NORTH_SCHOOL_WORDS = (
    "y Graig", "Pen y Bryn", "Glan Môr", "Tan y Castell", "Cae Top", "Maes Hyfryd",
    "Bryn Coch", "Bro Gwaun", "y Gelli", "Llidiart", "Pant y Rhedyn", "Tŷ Mawr", "Bro Alaw",
    "y Borth", "Rhostir", "Penrallt", "Craig y Don", "Bro Dewi", "Tryfan", "Cae Gwyn",
    "Bryn Gwalia", "Bro Cynfal", "Glancegin", "Llanllechid", "Bro Hedd", "y Garnedd",
    "Foelgron", "Bro Lleu", "Gwaun Gynfi", "Rhiwlas",
)
_SOUTH_SCHOOL_WORDS = (
    "Oakfield", "Brookside", "Westbury", "Hillcrest", "Meadowbank", "Greenfields", "Parkside",
    "Highfield", "Woodlands", "Rivermead", "Springfield", "Ashgrove", "Fairway", "Holmleigh",
    "Bramble Hill", "Castleview", "Millbrook", "Orchard Vale", "Beechwood", "Sandyford",
)
_NORTH_PARTS = (
    ("Bryn", "Pen", "Cae", "Glan", "Maes", "Tan", "Pant", "Llwyn", "Rhos", "Bron", "Coed",
     "Gwaun", "Nant", "Tir"),
    ("Derw", "Gwyn", "Hyfryd", "Mawr", "Onnen", "Eithin", "Teg", "Celyn", "Afon", "y Wern",
     "Eryr", "Llwyd", "Helyg", "Heulog"),
)
_SOUTH_PARTS = (
    ("Oak", "Ash", "Elm", "Holly", "Birch", "Willow", "Beech", "Hazel", "Rowan", "Cedar",
     "Thorn", "Fern", "Lark", "Heron"),
    ("field", "wood", "brook", "lands", "mead", "croft", "dale", "grove", "hill", "bank", "ley",
     "mere", "ford", "stone"),
)
_SAINTS = ("St Mary's", "St Joseph's", "St David's", "St Anne's", "St Winefride's")
_GP_WORDS_NORTH = ("Bodnant", "Glan Rhyd", "Bron Derw", "Plas Meddyg", "Tŷ Doctor", "Yr Hafan")
_GP_WORDS_SOUTH = (
    "Bridge Street", "Castle", "The Quay", "Station Road", "Park View", "Riverside",
    "Market Square", "Beech House",
)

# fmt: on


@dataclass(frozen=True)
class AreaLayout:
    """Every agency to seed, and which schools, nurseries and practices serve each town."""

    specs: tuple[AgencySpec, ...]
    primaries: dict[str, tuple[AgencySpec, ...]] = field(default_factory=dict)
    secondaries: dict[str, tuple[AgencySpec, ...]] = field(default_factory=dict)
    nurseries: dict[str, tuple[AgencySpec, ...]] = field(default_factory=dict)
    gp_practices: dict[str, tuple[AgencySpec, ...]] = field(default_factory=dict)


def _allocate(count: int, towns: tuple[Town, ...], minimum: int) -> list[int]:
    """Share ``count`` out over towns by population (largest remainder), ``minimum`` each."""
    spare = max(0, count - minimum * len(towns))
    total = sum(t.weight for t in towns)
    exact = [spare * t.weight / total for t in towns]
    shares = [int(x) for x in exact]
    order = sorted(range(len(towns)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


class _Words:
    """District names for schools and nurseries: hand-picked ones, then invented pairs."""

    def __init__(
        self, picked: tuple[str, ...], parts: tuple[tuple[str, ...], ...], joiner: str
    ) -> None:
        first, second = parts
        # Walk the pairs diagonally so that neighbours in the list share neither half.
        pairs = sorted(
            ((i, j) for i in range(len(first)) for j in range(len(second))),
            key=lambda ij: ((ij[0] + ij[1]) % len(second), ij[0]),
        )
        invented = [f"{first[i]}{joiner}{second[j]}" for i, j in pairs]
        self.pool = list(dict.fromkeys([*picked, *invented]))
        self.index = 0

    def next(self, town: Town) -> str:
        """The next unused word; once all are used, the same words again with the town's name."""
        word = self.pool[self.index % len(self.pool)]
        self.index += 1
        return word if self.index <= len(self.pool) else f"{word} {town.name}"


class _Names:
    """Hands out unique agency names and slugs."""

    def __init__(self) -> None:
        self.slugs: set[str] = {spec.slug for spec in CORE}

    def take(self, *candidates: str) -> tuple[str, str]:
        for name in candidates:
            slug = slugify(name)[:64]
            if slug not in self.slugs:
                self.slugs.add(slug)
                return name, slug
        raise ValueError(f"No unused name among {candidates}")


def _south_special(town: Town, k: int) -> str:
    """Which kind of school the ``k``-th primary (k >= 1) of a southern town is."""
    if town.weight >= 10:
        order = ("catholic", "welsh")
    elif town.weight >= 4:
        order = ("welsh", "catholic")
    else:
        order = ("", "catholic")
    return order[k - 1] if k - 1 < len(order) else ""


def _schools(
    town: Town, count: int, names: _Names, words: _Words, saints: list[str], estab: int
) -> list[AgencySpec]:
    out: list[AgencySpec] = []
    for k in range(count):
        welsh_medium = town.region == NORTH
        special = "" if k == 0 or town.region == NORTH else _south_special(town, k)
        if special == "catholic" and not saints:
            special = ""
        if k == 0:
            if town.region == NORTH:
                candidates: tuple[str, ...] = (f"Ysgol Gynradd {town.name}",)
            else:
                candidates = (f"{town.name} Community Primary School",)
        elif special == "welsh":
            candidates = (f"Ysgol Gymraeg {town.name_cy}", f"Ysgol Gymraeg {town.name}")
            welsh_medium = True
        elif special == "catholic":
            candidates = (f"{saints.pop(0)} Catholic Primary School",)
        else:
            word = words.next(town)
            if town.region == NORTH:
                candidates = (f"Ysgol {word}", f"Ysgol {word} {town.name}")
            else:
                candidates = (f"{word} Primary School", f"{word} Primary School {town.name}")
        name, slug = names.take(*candidates)
        out.append(
            AgencySpec(
                slug,
                name,
                name if welsh_medium else "",
                AgencyType.SCHOOL,
                town=town.name,
                phase=PRIMARY,
                welsh_medium=welsh_medium,
                catholic=special == "catholic",
                estab=estab + len(out),
            )
        )
    return out


def _secondary_names(town: Town, k: int, south_count: int, words: _Words) -> tuple[str, ...]:
    """Candidate names for the ``k``-th secondary school of a town."""
    if town.region == NORTH and k == 0:
        first = "Ysgol Uwchradd Gaerwen" if town is TOWNS[0] else f"Ysgol Uwchradd {town.name}"
        return (first, f"Ysgol Uwchradd {town.name}")
    if town.region != NORTH and south_count == 1:
        return ("Ysgol Gyfun Gymraeg Bro Gaerwen", f"Ysgol Gyfun Gymraeg {town.name_cy}")
    if town.region != NORTH and south_count == 2:
        return ("St Joseph's Catholic High School", f"{town.name} Catholic High School")
    if town.region != NORTH and k == 0:
        return (f"{town.name} High School",)
    word = words.next(town)
    if town.region == NORTH:
        return (f"Ysgol Uwchradd {word}", f"Ysgol Uwchradd {word} {town.name}")
    return (f"{word} High School", f"{word} High School {town.name}")


def _catchments(specs: dict[str, list[AgencySpec]]) -> dict[str, tuple[AgencySpec, ...]]:
    """Towns without their own school or practice use one in the nearest town that has one."""
    out: dict[str, tuple[AgencySpec, ...]] = {}
    for region_towns in (
        [t for t in TOWNS if t.region == NORTH],
        [t for t in TOWNS if t.region != NORTH],
    ):
        served = [t for t in region_towns if specs.get(t.name)]
        if not served:
            served = [t for t in TOWNS if specs.get(t.name)]
        cursor = 0
        for town in region_towns:
            if specs.get(town.name):
                out[town.name] = tuple(specs[town.name])
            else:
                out[town.name] = tuple(specs[served[cursor % len(served)].name])
                cursor += 1
    return out


def area_layout(children: int) -> AreaLayout:
    """The agencies for an area of about ``children`` children (deterministic)."""
    names = _Names()
    specs: list[AgencySpec] = list(CORE)

    primaries: dict[str, list[AgencySpec]] = {}
    north_words = _Words(_NORTH_SCHOOL_WORDS, _NORTH_PARTS, " ")
    south_words = _Words(_SOUTH_SCHOOL_WORDS, _SOUTH_PARTS, "")
    saints = list(_SAINTS)
    estab = 2001
    for town, count in zip(TOWNS, _allocate(max(30, children // 250), TOWNS, 1), strict=True):
        words = north_words if town.region == NORTH else south_words
        primaries[town.name] = _schools(town, count, names, words, saints, estab)
        estab += count

    secondaries: dict[str, list[AgencySpec]] = {}
    estab, south_count = 4001, 0
    for town, count in zip(TOWNS, _allocate(max(6, children // 2500), TOWNS, 0), strict=True):
        for k in range(count):
            words = north_words if town.region == NORTH else south_words
            name, slug = names.take(*_secondary_names(town, k, south_count, words))
            welsh = town.region == NORTH or "Gymraeg" in name
            south_count += town.region != NORTH
            secondaries.setdefault(town.name, []).append(
                AgencySpec(
                    slug,
                    name,
                    name if welsh else "",
                    AgencyType.SCHOOL,
                    town=town.name,
                    phase=SECONDARY,
                    welsh_medium=welsh,
                    catholic="Catholic" in name,
                    estab=estab,
                )
            )
            estab += 1

    nurseries: dict[str, list[AgencySpec]] = {}
    for town, count in zip(TOWNS, _allocate(max(4, children // 2000), TOWNS, 0), strict=True):
        for _k in range(count):
            candidates: tuple[str, ...]
            if town.region == NORTH:
                word = north_words.next(town)
                candidates = (
                    f"Cylch Meithrin {town.name}",
                    f"Meithrinfa {town.name}",
                    f"Cylch Meithrin {word}",
                    f"Cylch Meithrin {word} {town.name}",
                )
            else:
                word = south_words.next(town)
                candidates = (
                    f"{town.name} Day Nursery",
                    f"Little Acorns Nursery {town.name}",
                    f"{word} Day Nursery",
                    f"{word} Day Nursery {town.name}",
                )
            name, slug = names.take(*candidates)
            nurseries.setdefault(town.name, []).append(
                AgencySpec(
                    slug,
                    name,
                    name if town.region == NORTH else "",
                    AgencyType.SCHOOL,
                    town=town.name,
                    phase=NURSERY,
                    welsh_medium=town.region == NORTH,
                )
            )

    practices: dict[str, list[AgencySpec]] = {}
    for town, count in zip(TOWNS, _allocate(max(12, children // 2000), TOWNS, 0), strict=True):
        for k in range(count):
            if town.region == NORTH:
                word = _GP_WORDS_NORTH[k % len(_GP_WORDS_NORTH)]
                candidates = (
                    f"Meddygfa {town.name}",
                    f"Canolfan Iechyd {town.name}",
                    f"Meddygfa {word} {town.name}",
                    f"Meddygfa {north_words.next(town)} {town.name}",
                )
            else:
                word = _GP_WORDS_SOUTH[k % len(_GP_WORDS_SOUTH)]
                candidates = (
                    f"{town.name} Medical Centre",
                    f"{word} Surgery {town.name}",
                    f"{town.name} Health Centre",
                    f"{south_words.next(town)} Surgery {town.name}",
                )
            name, slug = names.take(*candidates)
            practices.setdefault(town.name, []).append(
                AgencySpec(
                    slug,
                    name,
                    name if town.region == NORTH else "",
                    AgencyType.GP_PRACTICE,
                    town=town.name,
                    phase=GP,
                )
            )

    for group in (primaries, secondaries, nurseries, practices):
        for town in TOWNS:
            specs.extend(group.get(town.name, ()))
    return AreaLayout(
        specs=tuple(specs),
        primaries=_catchments(primaries),
        secondaries=_catchments(secondaries),
        nurseries=_catchments(nurseries),
        gp_practices=_catchments(practices),
    )


@dataclass(frozen=True)
class AreaIds:
    """Database ids of the seeded agencies (by slug) and teams (by agency slug and name)."""

    agencies: dict[str, int]
    teams: dict[tuple[str, str], int]


def ensure_agencies(specs: Iterable[AgencySpec]) -> AreaIds:
    """Find or create each agency by slug and each of its teams by name (a few queries)."""
    specs = list(specs)
    existing = {a.slug: a for a in Agency.objects.filter(slug__in=[s.slug for s in specs])}
    missing = [
        Agency(slug=s.slug, name=s.name, name_cy=s.name_cy, type=s.type)
        for s in specs
        if s.slug not in existing
    ]
    for agency in missing:
        agency.save()
        existing[agency.slug] = agency
    agency_ids = {slug: agency.pk for slug, agency in existing.items()}
    wanted = {(s.slug, team) for s in specs for team in s.teams}
    found = list(Team.objects.filter(agency_id__in=agency_ids.values()).select_related("agency"))
    teams = {(t.agency.slug, t.name): t.pk for t in found}
    for team in found:  # teams seeded before they had Welsh names get them
        if not team.name_cy and TEAM_NAMES_CY.get(team.name):
            team.name_cy = TEAM_NAMES_CY[team.name]
            team.save(update_fields=["name_cy"])
    for slug, name in sorted(wanted - set(teams)):
        teams[(slug, name)] = Team.objects.create(
            agency_id=agency_ids[slug], name=name, name_cy=TEAM_NAMES_CY.get(name, "")
        ).pk
    return AreaIds(agencies=agency_ids, teams=teams)


@dataclass(frozen=True)
class AreaAgencies:
    """The main Gaerwen agencies, for the demo to attach its users to."""

    childrens_services: Agency
    police: Agency
    health: Agency
    youth_justice: Agency
    probation: Agency
    housing: Agency
    board: Agency
    school: Agency
    gp_practice: Agency

    @property
    def school_slug(self) -> str:
        return self.school.slug

    @property
    def gp_slug(self) -> str:
        return self.gp_practice.slug

    def by_slug(self) -> dict[str, Agency]:
        agencies = (
            self.childrens_services,
            self.police,
            self.health,
            self.youth_justice,
            self.probation,
            self.housing,
            self.board,
            self.school,
            self.gp_practice,
        )
        return {a.slug: a for a in agencies}


def featured_specs() -> tuple[AgencySpec, ...]:
    """The core agencies plus the featured family's school and GP practice."""
    layout = area_layout(0)
    extra = [s for s in layout.specs if s.slug in (FEATURED_SCHOOL, FEATURED_GP)]
    return (*CORE, *extra)


@transaction.atomic
def area_agencies() -> AreaAgencies:
    """The main agencies by slug, created if missing (so the demo works on any database)."""
    ensure_agencies(featured_specs())
    found = {a.slug: a for a in Agency.objects.filter(slug__in=[s.slug for s in featured_specs()])}
    return AreaAgencies(
        childrens_services=found[CHILDRENS_SERVICES],
        police=found[POLICE],
        health=found[HEALTH],
        youth_justice=found[YOUTH_JUSTICE],
        probation=found[PROBATION],
        housing=found[HOUSING],
        board=found[BOARD],
        school=found[FEATURED_SCHOOL],
        gp_practice=found[FEATURED_GP],
    )
