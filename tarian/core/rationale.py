"""Rationales that say something: the one rule every decision's written reasons meet (FD4,
SM2; issue 20).

A Gateway decision today, and later a strategy decision, a conference outcome or an
allegation's outcome, carries its reasons in words that are read on their own, months later,
by someone who was not there. "NFA", "NFA NFA NFA NFA NFA NFA", "x x x x x x" or "NFA, see
notes on file for details" are not reasons (004 §2.1: "move away from recording 'NFA'").
Every service that records a decision calls :func:`check_rationale` on its reasons; this module
imports no workflow, so any app may use it.

A rationale is refused when

- nothing is written;
- it only points to notes kept elsewhere ("see notes", "see case notes", "as discussed",
  "details on file", "gweler y nodiadau", "fel y trafodwyd") and says little else;
- it only names the outcome or abbreviates it ("NFA", "N/A", "no further action required",
  "dim camau pellach", "DCP", "amherthnasol");
- the same few words are repeated to pad it out ("child safe child safe child safe");
- it has fewer than :data:`MIN_DISTINCT_WORDS` different words, or fewer than
  :data:`MIN_CONTENT_WORDS` that are not short linking words ("and", "the", "yn", "mae").

No dictionary is consulted: any word in English or Welsh counts, mutated or not ("plentyn",
"blentyn", "mhlentyn"), so Welsh text is never refused for being Welsh. Only the small lists
below (linking words, the outcome's abbreviations, the words used to point elsewhere) do not
count as content. The refusal names the field and says what is missing, in the reader's
language.
"""

from __future__ import annotations

import re
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tarian.errors import Refused

MIN_DISTINCT_WORDS = 6
MIN_CONTENT_WORDS = 4

# A word is letters (any alphabet, with Welsh circumflexes), joined across apostrophes:
# "mae'r", "child's" are one word each, with a typed or a curly apostrophe.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
APOSTROPHE = re.compile(r"['\u2019]")

# The outcome said instead of a reason, in English and Welsh (matched on folded text).
OUTCOME_ONLY = re.compile(
    r"\b(?:n\W{0,2}f\W{0,2}a|n\s*/\s*a|no\s+further\s+action|not\s+applicable|none|nil|"
    r"d\W{0,2}c\W{0,2}p|dim\s+camau\s+pellach|amh|amherthnasol|dim\s+angen\s+gweithredu)\b"
)

# Pointing to notes kept somewhere else instead of writing the reasons here.
_NOTES = (
    r"(?:case\s+|previous\s+|earlier\s+|attached\s+|full\s+|recorded\s+|my\s+|our\s+|the\s+)*"
    r"(?:notes?|files?|records?|chronology|above|below|attached|details|e-?mails?|logs?|"
    r"assessments?|reports?|system|minutes|discussion)"
)
POINTS_ELSEWHERE = re.compile(
    rf"\b(?:(?:please\s+)?see|refer\s+to|as\s+per|per|check)\s+{_NOTES}\b"
    r"|\bas\s+(?:previously\s+)?(?:discussed|agreed|above|below|before)\b"
    r"|\b(?:on|in)\s+(?:the\s+)?(?:file|case\s+notes|notes|system)\b"
    r"|\bgweler\b|\bfel\s+y\s+(?:trafodwyd|cytunwyd|nodwyd)\b|\bfel\s+(?:uchod|isod)\b"
    r"|\byn\s+[ôo]l\s+y\s+(?:nodiadau|ffeil|cofnodion)\b|\bar\s+(?:y\s+)?ffeil\b"
    r"|\bcyfeiriwch\s+at\b|\byn\s+y\s+(?:nodiadau|ffeil|cofnodion)\b"
)

# Words that carry no reason on their own: linking words, and the words of the two patterns
# above. Only used to count content words; nothing is refused for containing them.
LINKING_WORDS = frozenset(
    word
    for line in (
        "a an the and or but nor of to in on at for with by from as into onto than then so if",
        "is are was were be been being am it its this that these those there here he she they we",
        "you i me him her them us our their his my your who whom which what when where why how",
        "has have had do does did will would shall should can could may might must not no yes",
        "all any some such very too also just only ever still yet etc ok okay time stage moment",
        "required needed necessary further action",
        "notes note file files details detail record records recorded case chronology above below",
        "attached previous previously discussed discussion agreed see please refer per check",
        "system log logs email emails minutes full earlier",
        "y yr ac ag ar am at gan gyda efo i o yn mae roedd oedd wedi bod fod ei eu ein fy dy",
        "ond neu na nad nid ni ddim dim fel hyn hynny yma yna sy sydd yw ydy ydi hefyd bryd pryd",
        "r n w u fe fo hi ef nhw chi mi ti hwn hon hyn rhain",
        "camau pellach angenrheidiol ofynnol gofynnol gweithredu amherthnasol amh nfa dcp",
        "nodiadau nodyn ffeil cofnod cofnodion manylion uchod isod gweler trafodwyd cytunwyd",
        "nodwyd atodiad cyfeiriwch",
    )
    for word in line.split()
)


class Shortfall(StrEnum):
    """What a refused rationale lacks."""

    EMPTY = "empty"
    POINTS_ELSEWHERE = "points_elsewhere"
    ONLY_OUTCOME = "only_outcome"
    REPEATED = "repeated"
    TOO_SHORT = "too_short"


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, in order."""
    return [word.casefold() for word in WORD.findall(text)]


def content_words(text: str) -> set[str]:
    """The different words that say something: not linking words, not one letter repeated,
    not the outcome's abbreviations or a pointer to notes elsewhere."""
    folded = POINTS_ELSEWHERE.sub(" ", OUTCOME_ONLY.sub(" ", text.casefold()))
    found: set[str] = set()
    for word in words(folded):
        for part in APOSTROPHE.split(word):
            if len(set(part)) > 1 and part not in LINKING_WORDS:
                found.add(part)
    return found


def shortfall(text: str) -> Shortfall | None:
    """What ``text`` lacks as a rationale, or None when it says enough."""
    if not text.strip():
        return Shortfall.EMPTY
    every = words(text)
    distinct = set(every)
    content = content_words(text)
    if len(distinct) >= MIN_DISTINCT_WORDS and len(content) >= MIN_CONTENT_WORDS:
        return None
    folded = text.casefold()
    if POINTS_ELSEWHERE.search(folded):
        return Shortfall.POINTS_ELSEWHERE
    if OUTCOME_ONLY.search(folded) and len(content) < MIN_CONTENT_WORDS:
        return Shortfall.ONLY_OUTCOME
    if len(every) >= MIN_DISTINCT_WORDS and len(distinct) * 2 <= len(every):
        return Shortfall.REPEATED
    return Shortfall.TOO_SHORT


def _problem(lack: Shortfall) -> str:
    if lack == Shortfall.EMPTY:
        return _("nothing is written here.")
    if lack == Shortfall.POINTS_ELSEWHERE:
        return _(
            "it only points to notes kept elsewhere (such as “see notes” or “as discussed”). "
            "Write the reasons here: the decision is read on its own."
        )
    if lack == Shortfall.ONLY_OUTCOME:
        return _(
            "it only names the outcome or abbreviates it (such as NFA or N/A) without saying why."
        )
    if lack == Shortfall.REPEATED:
        return _("the same few words are repeated. Use at least %(count)s different words.") % {
            "count": MIN_DISTINCT_WORDS
        }
    return _(
        "it says too little. Use at least %(count)s different words, not only short linking "
        "words."
    ) % {"count": MIN_DISTINCT_WORDS}


def check_rationale(
    text: str,
    *,
    field: str = "rationale",
    label: str | Promise | None = None,
    ask: str | Promise | None = None,
) -> str:
    """The rationale with its spacing tidied, or ``Refused`` on ``field``.

    ``label`` names the field as the form shows it ("Rationale", "Risk analysis"); ``ask`` says
    what a good answer covers (by default: what was considered and why the decision keeps the
    child safe). Both are put in the reader's language by the caller.
    """
    tidy = " ".join(text.split())
    lack = shortfall(tidy)
    if lack is None:
        return tidy
    raise Refused(
        field,
        _("%(field)s: %(problem)s %(ask)s") % {
            "field": label or _("Rationale"),
            "problem": _problem(lack),
            "ask": ask or _("Say what you considered and why this decision keeps the child safe."),
        },
    )
