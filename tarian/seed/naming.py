"""Names in the synthetic Gaerwen population, and the ways records get them wrong (IS2).

Given names follow a family's background and the era a person was born in; surnames are
weighted so Jones and Williams are as common as they are in north Wales. On top of the name
itself: middle names, nicknames (``known_as`` or a nickname row), the Welsh or English form of
a name as another agency might record it, earlier surnames after a marriage, and now and then
a misspelling, so that matching has realistic variation to find.
"""

from __future__ import annotations

import datetime as dt

from tarian.people.models import NameKind, Sex
from tarian.seed import names as N
from tarian.seed.backgrounds import NORTH, Background
from tarian.seed.plan import Draft, NamePlan, PersonPlan, Picker


def hyphenated(first: str, second: str) -> str:
    if first == second or any(c in first + second for c in " -"):
        return second
    return f"{first}-{second}"


class Namer:
    """Chooses names; every choice comes from the seed's one ``Picker``."""

    def __init__(self, pick: Picker, today: dt.date) -> None:
        self.pick = pick
        self.today = today

    def surname(self, background: Background, region: str) -> str:
        pick = self.pick
        if background.names in N.OTHER_SURNAMES:
            return pick.item(N.OTHER_SURNAMES[background.names])
        welsh_share = 0.92 if background.names == "welsh" else (0.62 if region == NORTH else 0.45)
        return pick.weighted(N.WELSH_SURNAMES if pick.chance(welsh_share) else N.ENGLISH_SURNAMES)

    def given(self, background: Background, sex: str, born: dt.date, region: str) -> str:
        pick = self.pick
        key = background.names
        era = N.CHILD if born.year >= 2008 else (N.YOUNGER if born.year >= 1986 else N.OLDER)
        if era == N.CHILD and key in N.OTHER_GIVEN and pick.chance(background.local_child_names):
            key = "british"
        if sex not in (Sex.MALE, Sex.FEMALE):
            sex = Sex.FEMALE if pick.chance(0.5) else Sex.MALE
        if key in N.OTHER_GIVEN:
            return pick.ranked(N.OTHER_GIVEN[key][0 if sex == Sex.MALE else 1])
        welsh_share = 0.9 if key == "welsh" else (0.3 if region == NORTH else 0.14)
        table = N.WELSH_GIVEN if pick.chance(welsh_share) else N.BRITISH_GIVEN
        return pick.ranked(table[(era, str(sex))])

    def misspelt(self, given: str, family: str) -> tuple[str, str] | None:
        pick = self.pick
        parts = family.split("-")
        for i, part in enumerate(parts):
            if part in N.MISSPELLINGS and (given not in N.MISSPELLINGS or pick.chance(0.6)):
                parts[i] = pick.item(N.MISSPELLINGS[part])
                return given, "-".join(parts)
        if given in N.MISSPELLINGS:
            return pick.item(N.MISSPELLINGS[given]), family
        if len(family) >= 5 and family.isalpha():
            i = pick.rng.randint(1, len(family) - 3)
            return given, family[:i] + family[i + 1] + family[i] + family[i + 2 :]
        return None

    def other_names(self, d: Draft, index: int, person: PersonPlan, *, force: bool) -> None:
        """Middle names, nicknames, the Welsh or English form, and a misspelling or two."""
        pick, given, family = self.pick, person.given_name, person.family_name
        share = {"welsh": 0.55, "british": 0.45}.get(d.background.names, 0.1)
        if pick.chance(share) and person.sex in (Sex.MALE, Sex.FEMALE):
            if d.background.names == "welsh" or pick.chance(0.25 if d.region == NORTH else 0.08):
                middle = pick.item(N.MIDDLE_WELSH[str(person.sex)])
            else:
                middle = self.given(d.background, person.sex, d.born(index), d.region)
            if middle != given:
                person.other_names = [middle]
        nicknames = N.NICKNAMES.get(given)
        if nicknames:
            roll = pick.rng.random()
            if roll < 0.3 or force:
                person.known_as = pick.item(nicknames)
            if 0.3 <= roll < 0.45 or force:
                d.chunk.names.append(
                    NamePlan(index, NameKind.NICKNAME, pick.item(nicknames), family)
                )
        equivalent = N.EQUIVALENTS.get(given)
        if equivalent and (pick.chance(0.25) or force):
            d.chunk.names.append(NamePlan(index, NameKind.ALIAS, equivalent, family))
        if pick.chance(0.02) or force:
            wrong = self.misspelt(given, family)
            if wrong:
                d.chunk.names.append(NamePlan(index, NameKind.ALIAS, wrong[0], wrong[1]))

    def name_history(self, d: Draft, index: int, history: list[tuple[str, dt.date]]) -> None:
        """Earlier surnames, oldest first, each with the date it stopped being used."""
        given = d.person(index).given_name
        for position, (family, until) in enumerate(history):
            kind = NameKind.BIRTH if position == 0 and len(history) > 1 else NameKind.PREVIOUS
            d.chunk.names.append(NamePlan(index, kind, given, family, min(until, self.today)))
