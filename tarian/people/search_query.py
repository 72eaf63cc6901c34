"""What was typed into "Find a person", and how one person compares with it (FD6; issue 20
item 7). Pure: no user, no database (``tarian.people.search`` finds the people and applies the
sharing rules).

What is typed is read as an NHS number, a unique pupil number or a Tarian ID, or as a name with
perhaps a date of birth or a year of birth. A name is read every way it could be meant
("Rhianon Bowen Shaw": given name Rhianon and surname Bowen Shaw, or given names Rhianon Bowen
and surname Shaw, or surname Rhianon, or the double surname Rhianon Bowen Shaw; "Bakr, Ela":
surname first), and a person is compared with each reading by the matcher's own comparisons
(``matching.compare``) and weighed by its weights (``matching.engine.score``); their reasons are
the matcher's, with the year of birth and "previously known as ..." added.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import timezone

from tarian.core.text import fold
from tarian.people.matching.compare import (
    MISSING,
    Level,
    Text,
    _,
    compare_dob,
    compare_family,
    compare_given,
)
from tarian.people.matching.engine import score
from tarian.people.matching.names import family_forms, given_forms, whole_surnames
from tarian.people.matching.profiles import Profile
from tarian.people.matching.weights import LEVELS, current_weights
from tarian.people.models import NameKind, Person, PersonName
from tarian.people.selectors import REF_PATTERN

UPN_PATTERN = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"^(19|20)\d{2}$")

MAX_WORDS = 5

# Levels at which a typed detail agrees with a person: anything but "different".
GIVEN_AGREES = frozenset(LEVELS["given_name"]) - {"different"}
FAMILY_AGREES = frozenset(LEVELS["family_name"]) - {"different"}
DOB_AGREES = frozenset(LEVELS["date_of_birth"]) - {"different"}


@dataclass(frozen=True)
class Reading:
    """One way a name may have been meant: given name(s) and surname (either may be "")."""

    given: str
    family: str
    whole: bool = False  # every word typed is one surname ("Bowen Shaw"), agreeing only whole


@dataclass(frozen=True)
class SearchQuery:
    kind: str  # "nhs_number", "upn", "ref", "name" or "empty"
    text: str  # the identifier, or the folded name
    readings: tuple[Reading, ...] = ()
    date_of_birth: dt.date | None = None
    year: int | None = None

    @property
    def is_identifier(self) -> bool:
        return self.kind in ("nhs_number", "upn", "ref")


def _date(token: str) -> dt.date | None:
    found = _DMY.match(token)
    try:
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        found = _YMD.match(token)
        if found:
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return None


def parse_search(text: str, *, today: dt.date | None = None) -> SearchQuery:
    """What was typed: an identifier, or a name (read every way it may be meant) with perhaps a
    date of birth (``3/4/2016``, ``2016-04-03``) or a year of birth (``2016``)."""
    raw = text.strip()[:200]
    compact = re.sub(r"[\s-]", "", raw)
    if compact.isdigit() and len(compact) == 10:
        return SearchQuery("nhs_number", compact)
    if REF_PATTERN.match(raw.upper()):
        return SearchQuery("ref", raw.upper())
    if UPN_PATTERN.match(compact.upper()):
        return SearchQuery("upn", compact.upper())
    this_year = (today or timezone.localdate()).year
    born: dt.date | None = None
    year: int | None = None
    before_comma: list[str] = []
    words: list[str] = []
    for chunk_number, chunk in enumerate(raw.split(",", 1)):
        for token in chunk.split():
            day = _date(token)
            if day is not None and 1900 <= day.year <= this_year:
                born = day
            elif _YEAR.match(token) and int(token) <= this_year:
                year = int(token)
            elif (folded := fold(token)) and not any(c.isdigit() for c in folded):
                (words if chunk_number or "," not in raw else before_comma).append(folded)
    if born is not None:
        year = None
    # A name has a few words; more (pasted text, hostile input) would multiply the keys asked.
    before_comma, words = before_comma[:MAX_WORDS], words[:MAX_WORDS]
    if "," in raw and before_comma:
        # "Bakr, Ela": surname first, as results are shown.
        readings: tuple[Reading, ...] = (Reading(" ".join(words), " ".join(before_comma)),)
        name = " ".join([*before_comma, *words])
    else:
        readings = _readings(words)
        name = " ".join(words)
    if len(name.replace(" ", "")) < 2:
        if born is not None:
            return SearchQuery("name", "", (), born, None)
        return SearchQuery("empty", name)
    return SearchQuery("name", name, readings, born, year)


def _readings(words: list[str]) -> tuple[Reading, ...]:
    if not words:
        return ()
    if len(words) == 1:
        return (Reading("", words[0]), Reading(words[0], ""))
    found = [Reading(words[0], " ".join(words[1:]))]
    if len(words) > 2:
        found.append(Reading(" ".join(words[:-1]), words[-1]))
    found.append(Reading(" ".join(words[1:]), words[0]))  # surname typed first
    found.append(Reading("", " ".join(words), whole=True))  # a double surname alone
    return tuple(found)



@dataclass
class Verdict:
    agrees: bool
    weight: float
    year_apart: int
    levels: list[Level]
    reading: Reading


def _rank(field_name: str, level: str) -> int:
    order = LEVELS[field_name]
    return order.index(level) if level in order else len(order)


@lru_cache(maxsize=4096)
def forms_of(reading: Reading) -> tuple[set[str], set[str], set[str]]:
    """A reading's given-name forms, surname forms and whole surnames (worked out once)."""
    if not reading.family:
        return given_forms([reading.given], folded=True), set(), set()
    return (
        given_forms([reading.given], folded=True) if reading.given else set(),
        family_forms([reading.family], folded=True),
        whole_surnames([reading.family], folded=True),
    )


NOT_TYPED = Level("", MISSING, "")


def judge(query: SearchQuery, profile: Profile, population: int) -> Verdict:
    """The best reading of the query for this person: does every typed detail agree, and how
    strongly (the matcher's match weight). The cheapest checks come first: most of a block
    is told apart by its year or surname."""
    weights = current_weights()
    best: Verdict | None = None
    born = profile.date_of_birth
    year_apart = 0
    if query.year is not None:
        year_apart = abs(born.year - query.year) if born else 99
    dob = compare_dob(query.date_of_birth, born)
    dated = (query.year is None or year_apart <= 1) and (
        query.date_of_birth is None or dob.level in DOB_AGREES
    )
    for reading in query.readings or (Reading("", ""),):
        given, family, full = forms_of(reading)
        surname = compare_family(full, family, profile) if family else NOT_TYPED
        agrees = dated and (
            not family or (
                surname.level == "exact" if reading.whole else surname.level in FAMILY_AGREES
            )
        )
        first = compare_given(given, profile) if given and agrees else NOT_TYPED
        agrees = agrees and (not given or first.level in GIVEN_AGREES)
        if not agrees and best is not None:
            continue
        levels = [
            first if given else Level("given_name", MISSING, ""),
            surname if family else Level("family_name", MISSING, ""),
            dob,
        ]
        weight = score(
            [*levels, Level("nhs_number", MISSING, ""), Level("postcode", MISSING, "")],
            weights, population,
        ) if agrees else -math.inf
        verdict = Verdict(agrees, weight, year_apart, levels, reading)
        if best is None or (verdict.agrees, verdict.weight) > (best.agrees, best.weight):
            best = verdict
    assert best is not None
    return best


YEAR_SAME = _("year of birth the same: %(year)s")
YEAR_NEAR = _("year of birth a year apart: %(year)s")
PREVIOUSLY = _("previously known as %(name)s")
ALSO = _("also known as %(name)s")


def reasons_for(query: SearchQuery, verdict: Verdict, person: Person) -> list[Text]:
    """The matcher's reasons for the fields typed, the year, and the previous name or alias
    that agrees when the current name alone does not."""
    reasons: list[Any] = [level.text for level in verdict.levels if level.text]
    if query.year is not None and person.date_of_birth is not None:
        text = YEAR_SAME if verdict.year_apart == 0 else YEAR_NEAR
        reasons.append(text % {"year": str(person.date_of_birth.year)})
    other = _other_name(verdict, person)
    if other is not None:
        text = PREVIOUSLY if other.kind in (NameKind.PREVIOUS, NameKind.BIRTH) else ALSO
        reasons.append(text % {"name": str(other)})
    return reasons


def said(text: Text) -> str:
    """A reason in the reader's language (the matcher translates only what is shown)."""
    return Level("", "", text).reason


def _name_profile(person: Person, given: str, family: str, *, current: bool) -> Profile:
    forms = given_forms([given])
    if current:
        if person.known_as:
            forms |= given_forms([person.known_as])
        middle = given_forms([str(n) for n in person.other_names or []]) - forms
    else:
        middle = set()
    return Profile(
        person_id=person.pk, given=forms | middle, middle=middle,
        family=family_forms([family]), family_full=whole_surnames([family]),
    )


def _other_name(verdict: Verdict, person: Person) -> PersonName | None:
    """The previous name or alias the query agrees with, when the current name agrees less."""
    reading = verdict.reading
    given = given_forms([reading.given], folded=True) if reading.given else set()
    family = family_forms([reading.family], folded=True) if reading.family else set()
    full = whole_surnames([reading.family], folded=True) if reading.family else set()

    def levels_of(profile: Profile) -> tuple[int, int]:
        return (
            _rank("given_name", compare_given(given, profile).level) if given else 0,
            _rank("family_name", compare_family(full, family, profile).level) if family else 0,
        )

    current = levels_of(
        _name_profile(person, person.given_name, person.family_name, current=True)
    )
    best: tuple[tuple[int, int], PersonName] | None = None
    for name in person.names.all():
        found = levels_of(
            _name_profile(
                person, name.given_name or person.given_name, name.family_name, current=False
            )
        )
        if sum(found) < sum(current) and (best is None or sum(found) < sum(best[0])):
            best = (found, name)
    return best[1] if best else None

