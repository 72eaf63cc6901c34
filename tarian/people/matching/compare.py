"""Comparing a query with a person, field by field (FD6): each field gets a comparison level
("exact", "equivalent", "similar" ...) and a reason a practitioner can read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from tarian.core.text import fold, fold_postcode
from tarian.people.matching.names import groups_of, phonetic
from tarian.people.matching.profiles import Profile

MISSING = "missing"


class Text(str):
    """A reason's words, translated only when shown: most candidates' reasons never are, and
    translating every one was a fifth of a match's time."""

    def __mod__(self, args: object) -> Formatted:
        return Formatted(self, args)


class Formatted(str):
    def __new__(cls, text: str, args: object) -> Formatted:
        made = super().__new__(cls, text)
        made.args = args
        return made

    args: object


def _(text: str) -> Text:
    """Marks a reason for translation (``makemessages`` finds it) without translating it yet."""
    return Text(text)


@dataclass(frozen=True)
class Level:
    field: str
    level: str
    text: str  # a ``Text`` or ``Formatted``, or "" for a missing field
    value: str = ""  # the agreeing value, for term-frequency adjustment

    @property
    def reason(self) -> str:
        if not self.text:
            return ""
        if isinstance(self.text, Formatted):
            return gettext(str.__str__(self.text)) % self.text.args
        return gettext(str(self.text))


def stored(text: str) -> dict[str, object]:
    """A reason as kept on a row (``DuplicateCandidate.reasons``): its catalogue words and
    their values, so that it is read in the reader's language, not the language of whoever
    ran ``tarian dedupe`` (#20 item 11)."""
    if isinstance(text, Formatted):
        return {"text": str.__str__(text), "args": text.args}
    return {"text": str(text)}


def read_stored(reason: object) -> str:
    """A kept reason in the active language. A reason kept as words (before #20 item 11, or
    written by hand) is translated when it is the catalogue's, else shown as written."""
    if isinstance(reason, dict):
        words = gettext(str(reason.get("text", "")))
        args = reason.get("args")
        return words % args if isinstance(args, dict) else words
    return gettext(str(reason)) if reason else ""


def similar(first: str, second: str) -> bool:
    """A typo apart: one edit (a letter added, lost, changed or two swapped), or very alike."""
    if min(len(first), len(second)) < 3:
        return False
    if DamerauLevenshtein.distance(first, second) <= (1 if len(first) < 8 else 2):
        return True
    return JaroWinkler.similarity(first, second) >= 0.92


def _best_name(kind: str, query: set[str], found: set[str]) -> tuple[str, str, str]:
    """Best (level, query form, found form) of any query form against any recorded form."""
    asked = sorted(query)
    for q in asked:
        if q in found:
            return "exact", q, q
    recorded = sorted(found)
    for q in asked:
        groups = groups_of(kind, q)
        if groups:
            for f in recorded:
                if groups & groups_of(kind, f):
                    return "equivalent", q, f
    for q in asked:
        for f in recorded:
            if similar(q, f) or _shortened(q, f):
                return "similar", q, f
    for q in asked:
        sound = phonetic(q)
        if sound:
            for f in recorded:
                if sound == phonetic(f):
                    return "sound", q, f
    return "different", asked[0], recorded[0]


def slip_of(typed: set[str], recorded: frozenset[str]) -> bool:
    """Is one of these recorded forms a typo or a shortening of one typed ("similar")? For
    "Find a person", which looks such names up before comparing them."""
    return any(similar(q, f) or _shortened(q, f) for q in typed for f in recorded)


def _shortened(first: str, second: str) -> bool:
    """One name starts the other (Alex, Alexander; Gwen, Gwenllian)."""
    short, long = sorted((first, second), key=len)
    return len(short) >= 4 and long.startswith(short)


GIVEN_TEXTS = {
    "exact": _("given name the same: %(found)s"),
    "equivalent": _("given name an equivalent form: %(query)s/%(found)s"),
    "similar": _("given name similar: %(query)s/%(found)s"),
    "sound": _("given name sounds the same: %(query)s/%(found)s"),
    "different": _("given name differs: %(query)s/%(found)s"),
}
FAMILY_TEXTS = {
    "equivalent": _("surname an equivalent form: %(query)s/%(found)s"),
    "similar": _("surname similar: %(query)s/%(found)s"),
    "sound": _("surname sounds the same: %(query)s/%(found)s"),
    "different": _("surname differs: %(query)s/%(found)s"),
}


def compare_given(query: set[str], profile: Profile) -> Level:
    if not query or not profile.given:
        return Level("given_name", MISSING, "")
    level, q, f = _best_name("given", query, profile.given)
    if level == "exact" and f in profile.middle:
        # Known by a middle name: it happens, but far less often than a nickname or another
        # form of the first name, and a middle name is as often shared by chance.
        return Level(
            "given_name", "middle", _("given name is a middle name: %(found)s")
            % {"found": f.title()},
        )
    reason = GIVEN_TEXTS[level] % {"query": q.title(), "found": f.title()}
    return Level("given_name", level, reason, q if level == "exact" else "")


def _as_recorded(whole: str, profile: Profile) -> str:
    """A folded whole surname as the record spells it when it is the current one (Bowen-Shaw,
    not Bowenshaw)."""
    recorded = profile.first_family
    if recorded and fold(recorded).replace(" ", "") == whole:
        return recorded
    return whole.title()


def compare_family(query_full: set[str], query: set[str], profile: Profile) -> Level:
    if not query or not profile.family:
        return Level("family_name", MISSING, "")
    exact = query_full & profile.family_full
    if exact:
        name = min(exact)
        return Level(
            "family_name", "exact",
            _("surname the same: %(found)s") % {"found": _as_recorded(name, profile)},
            name,
        )
    level, q, f = _best_name("family", query, profile.family)
    if level == "exact":
        level = "part"
        full_q = min(query_full) if query_full else q
        full_f = min(profile.family_full) if profile.family_full else f
        return Level(
            "family_name",
            "part",
            _("surname shares a part: %(query)s/%(found)s")
            % {"query": full_q.title(), "found": _as_recorded(full_f, profile)},
            q,  # the shared part, for term frequency (a shared "Davies" says little)
        )
    return Level(
        "family_name", level, FAMILY_TEXTS[level] % {"query": q.title(), "found": f.title()}
    )


def compare_dob(query: dt.date | None, found: dt.date | None) -> Level:
    if query is None or found is None:
        return Level("date_of_birth", MISSING, "")
    if query == found:
        return Level("date_of_birth", "exact", _("date of birth the same"))
    if query.year == found.year and query.day == found.month and query.month == found.day:
        return Level("date_of_birth", "swapped", _("date of birth with day and month swapped"))
    apart = abs((query - found).days)
    if apart == 1:
        return Level("date_of_birth", "one_day", _("date of birth one day apart"))
    if DamerauLevenshtein.distance(query.isoformat(), found.isoformat()) <= 1:
        return Level("date_of_birth", "typo", _("date of birth one digit different"))
    if apart <= 31:
        return Level("date_of_birth", "near", _("date of birth within a month"))
    return Level("date_of_birth", "different", _("date of birth differs"))


def _district(code: str) -> str:
    return code[:-3] if len(code) >= 5 else code


SAME_POSTCODE = Level("postcode", "exact", _("same postcode"))
PAST_POSTCODE = Level("postcode", "past", _("lived at this postcode before"))
SAME_SECTOR = Level("postcode", "sector", _("same postcode sector"))
SAME_DISTRICT = Level("postcode", "district", _("same postcode district"))
OTHER_POSTCODE = Level("postcode", "different", _("postcode differs"))
NO_POSTCODE = Level("postcode", MISSING, "")


def compare_postcode(query: str, profile: Profile, *, folded: bool = False) -> Level:
    code = query if folded else fold_postcode(query)
    if not code or not (profile.postcodes or profile.past_postcodes):
        return NO_POSTCODE
    if code in profile.postcodes:
        return SAME_POSTCODE
    if code in profile.past_postcodes:
        return PAST_POSTCODE
    sectors, districts = profile.areas()
    if (code[:-2] if len(code) >= 5 else code) in sectors:
        return SAME_SECTOR
    if _district(code) in districts:
        return SAME_DISTRICT
    return OTHER_POSTCODE


def compare_nhs(query: str, found: str) -> Level:
    if not query or not found:
        return Level("nhs_number", MISSING, "")
    if query == found:
        return Level("nhs_number", "exact", _("same NHS number"))
    return Level("nhs_number", "different", _("NHS number differs"))


def compare_profiles(first: Profile, second: Profile) -> list[Level]:
    """Two records of the register, field by field (for de-duplication and training)."""
    postcode = Level("postcode", MISSING, "")
    for code in sorted(first.postcodes) or sorted(first.past_postcodes):
        found = compare_postcode(code, second, folded=True)
        if postcode.level == MISSING or _POSTCODE_ORDER.index(found.level) < _POSTCODE_ORDER.index(
            postcode.level
        ):
            postcode = found
    return [
        compare_nhs(first.nhs_number, second.nhs_number),
        compare_given(first.given, second),
        compare_family(first.family_full, first.family, second),
        compare_dob(first.date_of_birth, second.date_of_birth),
        postcode,
    ]


_POSTCODE_ORDER = ("exact", "past", "sector", "district", "different", MISSING)
