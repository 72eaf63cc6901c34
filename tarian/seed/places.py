"""The fictional county of Gaerwen: towns, streets and addresses for synthetic demo data.

The north is Welsh-speaking, the south English-speaking. Postcodes are syntactically valid UK
postcodes (they pass ``parse_postcode``): real outward codes from north-east Wales with random
inward parts, so they look right in forms while every address is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tarian.seed.backgrounds import NORTH, SOUTH

# Letters allowed in the last two characters of a postcode (no C, I, K, M, O, V).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Town:
    name: str
    name_cy: str
    region: str
    weight: float
    sectors: tuple[str, ...]  # outward code and sector digit, e.g. "LL77 7"


# fmt: off
TOWNS: tuple[Town, ...] = (
    Town("Aberwen", "Aberwen", NORTH, 10, ("LL77 7", "LL77 8")),
    Town("Llanfair Gaerwen", "Llanfair Gaerwen", NORTH, 8, ("LL65 1", "LL65 2")),
    Town("Porth Gaerwen", "Porth Gaerwen", NORTH, 7, ("LL68 9", "LL68 0")),
    Town("Castell Gaerwen", "Castell Gaerwen", NORTH, 6, ("LL55 1", "LL55 2")),
    Town("Nantgwyn", "Nantgwyn", NORTH, 4, ("LL71 8",)),
    Town("Bryncoch", "Bryncoch", NORTH, 3, ("LL74 8",)),
    Town("Rhosgwyn", "Rhosgwyn", NORTH, 3, ("LL54 6",)),
    Town("Llanwen", "Llanwen", NORTH, 2, ("LL61 6",)),
    Town("Cwm Eira", "Cwm Eira", NORTH, 2, ("LL41 3",)),
    Town("Dolwen", "Dolwen", NORTH, 2, ("LL45 2",)),
    Town("Talybont Gaerwen", "Tal-y-bont Gaerwen", NORTH, 2, ("LL53 5",)),
    Town("Penrhyn Gwyn", "Penrhyn Gwyn", NORTH, 2, ("LL57 4",)),
    Town("Gaerwen Bridge", "Pontgaerwen", SOUTH, 12, ("LL11 1", "LL11 2", "LL11 3")),
    Town("Kingsbrook", "Nant y Brenin", SOUTH, 8, ("LL12 0", "LL12 7")),
    Town("Ashcombe", "Cwm Onnen", SOUTH, 5, ("LL13 7", "LL13 8")),
    Town("Gaerwen Quay", "Cei Gaerwen", SOUTH, 5, ("CH8 7",)),
    Town("Hollybank", "Glan Celyn", SOUTH, 4, ("CH7 1", "CH7 2")),
    Town("Westmere", "Westmere", SOUTH, 3, ("CH5 4",)),
    Town("Brackenford", "Rhyd y Rhedyn", SOUTH, 3, ("LL20 7",)),
    Town("Coldwell", "Coldwell", SOUTH, 2, ("CH6 5",)),
    Town("Pennant Cross", "Croes Pennant", SOUTH, 2, ("SY10 7",)),
    Town("Redmarsh", "Redmarsh", SOUTH, 2, ("CH4 0",)),
    Town("Thornleigh", "Thornleigh", SOUTH, 2, ("LL14 1",)),
    Town("Fernhill", "Bryn Rhedyn", SOUTH, 2, ("LL15 1",)),
)

WELSH_STREETS: tuple[str, ...] = (
    "Stryd Fawr", "Ffordd y Castell", "Lôn Goed", "Heol y Felin", "Maes y Llan", "Bro Deg",
    "Cae Mawr", "Tan y Bryn", "Pen y Bont", "Ffordd yr Orsaf", "Stryd y Capel", "Lôn Las",
    "Rhes Fictoria", "Bryn Eithin", "Maes Hyfryd", "Stryd yr Eglwys", "Ffordd Glan Môr",
    "Lôn Isaf", "Cae Glas", "Bro Emrys", "Penrallt", "Ffordd Tŷ Gwyn", "Heol Newydd",
    "Stad Tan y Graig", "Llwyn Onn", "Ffordd y Traeth", "Lôn y Wennol", "Maes Gwyn",
    "Ffordd Gaerwen", "Rhes y Cei", "Stryd y Bont", "Clos yr Ysgol", "Ffordd Caerau",
    "Tros yr Afon", "Lôn Bach", "Bryn Teg", "Pant y Celyn", "Glan y Môr", "Cil y Coed",
)
_WELSH_PREFIXES = ("Maes", "Bro", "Lôn", "Cae", "Heol", "Ffordd", "Clos", "Bryn", "Rhes")
_WELSH_WORDS = (
    "Derwen", "Onnen", "Eithin", "Grug", "Celyn", "Helyg", "Bedw", "Afon", "Glyn", "Mynydd",
    "Eglwys", "Capel", "Castell", "Cwm", "Llan", "Gwynt", "Haul", "Seren", "Dyffryn", "Ffynnon",
    "Gerddi", "Menai", "Eryri", "Arfon", "Elen", "Dewi", "Tudur", "Hedd", "Collen", "Rhedyn",
)
ENGLISH_STREETS: tuple[str, ...] = (
    "High Street", "Church Road", "Station Road", "Mill Lane", "Victoria Road", "Park Avenue",
    "Queen Street", "King Street", "Chapel Street", "Bridge Street", "Oak Drive", "Elm Grove",
    "Meadow Way", "Orchard Close", "The Crescent", "Castle Street", "Market Street", "Hill View",
    "Beech Road", "Willow Close", "School Lane", "Brook Street", "Gaerwen Road", "New Road",
    "Princes Street", "Garden Terrace", "Marine Terrace", "Greenfield Avenue", "Windsor Road",
    "Sycamore Court", "Heathfield Road", "Quay Street", "Foundry Lane", "Colliery Row",
    "Albert Street", "Coronation Road", "Railway Terrace", "Well Street", "Lord Street",
)
_ENGLISH_WORDS = (
    "Ash", "Birch", "Rowan", "Hazel", "Holly", "Larch", "Cedar", "Maple", "Laurel", "Heather",
    "Primrose", "Bluebell", "Kestrel", "Heron", "Lark", "Wren", "Falcon", "Swallow", "Meadow",
    "Brook", "Field", "Orchard", "Riverside", "Hillside", "Valley", "Forge", "Quarry", "Abbey",
    "Priory", "Glebe",
)
_ENGLISH_SUFFIXES = ("Close", "Drive", "Way", "Road", "Avenue", "Grove", "Court", "Gardens")
HOUSE_NAMES: tuple[str, ...] = (
    "Bryn Awel", "Tŷ Gwyn", "Awelfryn", "Rose Cottage", "Bodlondeb", "Hafan", "Glasfryn",
    "Tŷ Newydd", "Min y Môr", "The Old Chapel", "Ivy Cottage", "Pen Rhos", "Llys Gwyn",
    "Gorwel", "Tŷ Capel", "Orchard House", "Brynhyfryd", "Cefn Mawr",
)

# fmt: on


@dataclass(frozen=True)
class AddressPlan:
    line1: str
    line2: str
    town: str
    postcode: str


def _street_pool(rng: random.Random, region: str, count: int) -> list[tuple[str, int]]:
    """``count`` streets for a town, each with how many houses it has."""
    base = list(WELSH_STREETS if region == NORTH else ENGLISH_STREETS)
    other = list(ENGLISH_STREETS if region == NORTH else WELSH_STREETS)
    welsh = [f"{p} {w}" for p in _WELSH_PREFIXES for w in _WELSH_WORDS]
    english = [f"{w} {s}" for w in _ENGLISH_WORDS for s in _ENGLISH_SUFFIXES]
    for names in (base, other, welsh, english):
        rng.shuffle(names)
    welsh_share = 0.8 if region == NORTH else 0.15
    chosen = base[:count]
    seen = set(chosen)
    while len(chosen) < count and (other or welsh or english):
        roll = rng.random()
        if roll < 0.1 and other:
            source = other
        elif roll < 0.1 + 0.9 * welsh_share and welsh:
            source = welsh
        else:
            source = english or welsh or other
        name = source.pop()
        if name not in seen:
            seen.add(name)
            chosen.append(name)
    return [(name, rng.randint(8, 160)) for name in chosen]


class AddressBook:
    """Hands out unique addresses in Gaerwen's towns, all drawn from one random generator."""

    def __init__(self, rng: random.Random, households: int) -> None:
        self.rng = rng
        total = sum(t.weight for t in TOWNS)
        self.streets: dict[str, list[tuple[str, int]]] = {}
        for town in TOWNS:
            # Enough streets that houses rarely run out: about one street per 40 households.
            count = max(25, int(households * town.weight / total / 40))
            self.streets[town.name] = _street_pool(rng, town.region, count)
        self.taken: set[tuple[str, str, str]] = set()
        self.postcodes: dict[tuple[str, str, int], str] = {}
        self.flats: dict[tuple[str, str], int] = {}

    def _postcode(self, town: Town, street: str, number: int) -> str:
        key = (town.name, street, number // 14)
        code = self.postcodes.get(key)
        if code is None:
            sector = town.sectors[self.rng.randrange(len(town.sectors))]
            letters = _INWARD_LETTERS
            code = sector + letters[self.rng.randrange(20)] + letters[self.rng.randrange(20)]
            self.postcodes[key] = code
        return code

    def new_address(self, town: Town) -> AddressPlan:
        rng = self.rng
        streets = self.streets[town.name]
        for _attempt in range(8):
            street, length = streets[rng.randrange(len(streets))]
            number = rng.randint(1, length)
            roll = rng.random()
            if roll < 0.07:
                flat = rng.randint(1, 12)
                line1, line2 = f"Flat {flat}", f"{number} {street}"
            elif roll < (0.13 if town.region == NORTH else 0.09):
                line1, line2 = HOUSE_NAMES[rng.randrange(len(HOUSE_NAMES))], street
            else:
                line1, line2 = f"{number} {street}", ""
            key = (town.name, line1, line2)
            if key not in self.taken:
                self.taken.add(key)
                return AddressPlan(line1, line2, town.name, self._postcode(town, street, number))
        # A busy street: a new flat in a converted house always fits.
        flat_key = (town.name, f"{number} {street}")
        flat_no = self.flats.get(flat_key, 12) + 1
        self.flats[flat_key] = flat_no
        self.taken.add((town.name, f"Flat {flat_no}", f"{number} {street}"))
        return AddressPlan(
            f"Flat {flat_no}",
            f"{number} {street}",
            town.name,
            self._postcode(town, street, number),
        )
