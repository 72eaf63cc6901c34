"""Name knowledge for the matcher (FD6): folding, equivalent forms, phonetic keys.

Equivalent forms (nicknames and diminutives, Welsh and English forms, spelling variants) are
data, in ``names.toml`` beside this module: a name in a group is "an equivalent form" of every
other name in the group. Names are folded first (case, accents, apostrophes: Siân = Sian), and
a double-barrelled surname also counts as each of its parts (Jones-Prydderch: Jones, Prydderch).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import jellyfish

from tarian.core.text import fold

NAMES_FILE = Path(__file__).with_name("names.toml")
# Welsh and Scottish patronymic particles that join a surname ("ap Rhydderch", "ab Owen").
# Particles that join a surname and say little on their own ("ap Rhydderch", "Al-Hassan",
# "van der Berg"): a double surname counts as each of its other parts, not these.
_PARTICLES = frozenset(
    {"ap", "ab", "ferch", "verch", "mac", "mc", "o", "al", "el", "de", "di", "da", "du", "la",
     "le", "van", "von", "der", "den", "del", "dos", "das", "bin", "bint", "ibn", "abu", "st"}
)


@cache
def _groups() -> dict[str, dict[str, frozenset[int]]]:
    """For "given" and "family": folded name -> ids of the groups it belongs to."""
    data = tomllib.loads(NAMES_FILE.read_text(encoding="utf-8")) if NAMES_FILE.exists() else {}
    found: dict[str, dict[str, frozenset[int]]] = {"given": {}, "family": {}}
    for kind in ("given", "family"):
        index: dict[str, set[int]] = {}
        for number, group in enumerate(data.get(kind, [])):
            for name in group["names"]:
                index.setdefault(fold(name).replace(" ", ""), set()).add(number)
        found[kind] = {name: frozenset(ids) for name, ids in index.items()}
    return found


@cache
def _members() -> dict[int, frozenset[str]]:
    """Given-name group id -> the folded names in it."""
    found: dict[int, set[str]] = {}
    for name, ids in _groups()["given"].items():
        for number in ids:
            found.setdefault(number, set()).add(name)
    return {number: frozenset(names) for number, names in found.items()}


def given_names_like(forms: Iterable[str]) -> set[str]:
    """These folded given names and every equivalent form of each (Bill: William, Will ...),
    to look people up by given name in the database."""
    found: set[str] = set()
    for form in forms:
        found.add(form)
        for number in groups_of("given", form):
            found |= _members()[number]
    return found


def groups_of(kind: str, folded: str) -> frozenset[int]:
    """The equivalence groups a folded name belongs to (``kind``: "given" or "family")."""
    return _groups()[kind].get(folded.replace(" ", ""), frozenset())


def equivalent(kind: str, first: str, second: str) -> bool:
    """Two folded names are equivalent forms of one name (Dafydd/David, Will/William)."""
    return bool(groups_of(kind, first) & groups_of(kind, second))


@lru_cache(maxsize=65536)
def phonetic(folded: str) -> str:
    """A sound key (Metaphone): Jones and Jonse share one; so do Prichard and Pritchard."""
    return jellyfish.metaphone(folded.replace(" ", "")) if folded else ""


def given_forms(names: Iterable[str], *, folded: bool = False) -> set[str]:
    """Folded given names, each word of a name on its own too ("Mary Jane": mary jane, mary,
    jane)."""
    forms: set[str] = set()
    for name in names:
        text = name if folded else fold(name)
        if not text:
            continue
        forms.add(text.replace(" ", ""))
        forms.update(word for word in text.split() if len(word) > 1)
    return forms


def family_forms(names: Iterable[str], *, folded: bool = False) -> set[str]:
    """Folded surnames, and each part of a double-barrelled one (hyphen or space), without
    patronymic particles ("ap Rhydderch" also as "rhydderch")."""
    forms: set[str] = set()
    for name in names:
        text = name if folded else fold(name)
        if not text:
            continue
        forms.add(text.replace(" ", ""))
        words = [w for w in text.split() if w not in _PARTICLES and len(w) > 2]
        forms.update(words)
    return forms


def whole_surnames(names: Iterable[str], *, folded: bool = False) -> set[str]:
    """Folded surnames as whole names (a double surname as one: jonesprydderch)."""
    texts = names if folded else (fold(name) for name in names)
    return {text.replace(" ", "") for text in texts if text}


@lru_cache(maxsize=131072)
def folded_given_forms(folded: str) -> frozenset[str]:
    """``given_forms`` of one stored folded name, remembered (every profile load asks)."""
    return frozenset(given_forms([folded], folded=True))


@lru_cache(maxsize=131072)
def folded_family_forms(folded: str) -> frozenset[str]:
    return frozenset(family_forms([folded], folded=True))


@lru_cache(maxsize=131072)
def folded_whole_surnames(folded: str) -> frozenset[str]:
    return frozenset(whole_surnames([folded], folded=True))


def given_groups_or_name(forms: Iterable[str]) -> set[str]:
    """Blocking values for given names: each form's equivalence groups (so Dafydd and David
    meet), or the name itself when it is in no group."""
    keys: set[str] = set()
    for form in forms:
        ids = groups_of("given", form)
        if ids:
            keys.update(f"g{i}" for i in ids)
        else:
            keys.add(form)
    return keys


def given_sounds(forms: Iterable[str]) -> set[str]:
    """Blocking values for given names by sound (typos: Olvia, Olivia)."""
    return {"~" + phonetic(form) for form in forms if form}


def family_keys(forms: Iterable[str]) -> set[str]:
    """Blocking values for surnames: each part's sound, and its groups (Prichard/Prydderch)."""
    keys: set[str] = set()
    for form in forms:
        keys.add(phonetic(form) or form)
        keys.update(f"f{i}" for i in groups_of("family", form))
    return keys
