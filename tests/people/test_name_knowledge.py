"""The matcher's name knowledge (FD6): ``tarian/people/matching/names.toml`` is well formed.

Each group lists equivalent forms of one name (nicknames, Welsh and English forms, spelling
variants). These tests read the file directly with ``tomllib``; no database is needed.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import tarian

NAMES_FILE = Path(tarian.__file__).parent / "people" / "matching" / "names.toml"
KINDS = ("given", "family")


def fold(name: str) -> str:
    """Lower-case ``name`` and strip its accents (Siân -> sian), as the matcher compares names."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def knowledge() -> dict[str, Any]:
    with NAMES_FILE.open("rb") as f:
        return tomllib.load(f)


def groups(kind: str) -> list[list[str]]:
    return [list(group["names"]) for group in knowledge()[kind]]


def same_group(a: str, b: str, kind: str = "given") -> bool:
    """Whether ``a`` and ``b`` appear together in some group of ``kind``."""
    fa, fb = fold(a), fold(b)
    return any({fa, fb} <= {fold(n) for n in group} for group in groups(kind))


def test_file_parses_with_version_1() -> None:
    assert knowledge()["version"] == 1
    assert set(knowledge()) == {"version", *KINDS}


def test_enough_groups() -> None:
    assert len(groups("given")) >= 250
    assert len(groups("family")) >= 40


@pytest.mark.parametrize("kind", KINDS)
def test_groups_are_lists_of_two_or_more_distinct_names(kind: str) -> None:
    for group in knowledge()[kind]:
        assert set(group) == {"names"}, group
        names = group["names"]
        assert all(isinstance(n, str) and n.strip() == n and n for n in names), names
        assert len(names) == len(set(names)), f"repeated name in {names}"
        assert len({fold(n) for n in names}) >= 2, f"fewer than 2 distinct names in {names}"


@pytest.mark.parametrize("kind", KINDS)
def test_no_group_is_duplicated(kind: str) -> None:
    seen = [frozenset(fold(n) for n in group) for group in groups(kind)]
    duplicates = {tuple(sorted(g)) for g in seen if seen.count(g) > 1}
    assert not duplicates


@pytest.mark.parametrize("kind", KINDS)
def test_names_hold_only_letters_spaces_hyphens_and_apostrophes(kind: str) -> None:
    for group in groups(kind):
        for name in group:
            bad = [c for c in name if not (c.isalpha() or c in " -'")]
            assert not bad, f"{name!r} contains {bad}"
            assert "  " not in name, name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dafydd", "David"),
        ("Dafydd", "Dai"),
        ("Dafydd", "Dave"),
        ("Dafydd", "Davey"),
        ("Dewi", "David"),
        ("Siân", "Sian"),
        ("Siân", "Jane"),
        ("Sian", "Jean"),
        ("Rhys", "Reece"),
        ("Rhys", "Rees"),
        ("Rhys", "Reese"),
        ("Huw", "Hugh"),
        ("Huw", "Hughie"),
        ("Gwenllian", "Gwen"),
        ("Gwenllïan", "Gwen"),
        ("Llywelyn", "Llewelyn"),
        ("Llywelyn", "Llew"),
        ("Ioan", "John"),
        ("Ifan", "Evan"),
        ("Ieuan", "Evan"),
        ("Iwan", "John"),
        ("Ioan", "Ieuan"),
        ("Siôn", "Sion"),
        ("Siôn", "Shaun"),
        ("Sion", "Sean"),
        ("Siôn", "John"),
        ("Gruffudd", "Gruffydd"),
        ("Gruffudd", "Griffith"),
        ("Gruffydd", "Gruff"),
        ("Guto", "Gruffudd"),
        ("Rhodri", "Roderick"),
        ("Owain", "Owen"),
        ("Iestyn", "Justin"),
        ("Elen", "Ellen"),
        ("Elen", "Helen"),
        ("Elin", "Ellen"),
        ("Mared", "Margaret"),
        ("Marged", "Margaret"),
        ("Mererid", "Margaret"),
        ("Mair", "Mary"),
        ("Mari", "Mary"),
        ("Mali", "Molly"),
        ("Mali", "Mary"),
        ("Catrin", "Catherine"),
        ("Cadi", "Catrin"),
        ("Sioned", "Janet"),
        ("Siwan", "Joan"),
        ("Tomos", "Thomas"),
        ("Twm", "Tom"),
        ("Twm", "Tomos"),
        ("Steffan", "Stephen"),
        ("Steffan", "Steven"),
        ("Gareth", "Gaz"),
        ("Bethan", "Beth"),
        ("Bethan", "Elizabeth"),
        ("Cai", "Kai"),
        ("Cai", "Kay"),
        ("Osian", "Ossian"),
        ("Gethin", "Geth"),
        ("Megan", "Meg"),
        ("Lowri", "Laura"),
        ("Lleucu", "Lucy"),
        ("Elis", "Ellis"),
        ("Harri", "Harry"),
        ("Harri", "Henry"),
        ("Wiliam", "William"),
        ("Gwilym", "William"),
        ("Mabli", "Mabel"),
        ("Efa", "Eve"),
        ("Efa", "Eva"),
        ("Tudur", "Tudor"),
        ("Iolo", "Iorwerth"),
    ],
)
def test_welsh_and_english_forms_share_a_group(a: str, b: str) -> None:
    assert same_group(a, b), f"{a} and {b} should be equivalent given names"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("William", "Bill"),
        ("William", "Will"),
        ("Elizabeth", "Liz"),
        ("Elizabeth", "Beth"),
        ("Robert", "Bob"),
        ("Robert", "Bobby"),
        ("Margaret", "Maggie"),
        ("Margaret", "Peggy"),
        ("Katherine", "Catherine"),
        ("Katherine", "Kate"),
        ("Catherine", "Katie"),
        ("Catherine", "Cath"),
        ("Katherine", "Kath"),
        ("Alexander", "Alex"),
        ("Alexander", "Sandy"),
        ("Alexandra", "Alex"),
        ("Thomas", "Tommy"),
        ("Joseph", "Joe"),
        ("James", "Jim"),
        ("James", "Jamie"),
        ("Jonathan", "Jonny"),
        ("Charlotte", "Lottie"),
        ("Oliver", "Ollie"),
        ("Isabella", "Bella"),
        ("Isabella", "Izzy"),
        ("Isobel", "Isabel"),
        ("Isobel", "Isabelle"),
        ("Abigail", "Abbie"),
        ("Samuel", "Sam"),
        ("Samantha", "Sam"),
        ("Jayden", "Jaden"),
        ("Jayden", "Jaiden"),
        ("Jayden", "Jaydon"),
        ("Kayleigh", "Kayley"),
        ("Kayleigh", "Kaylee"),
        ("Kayleigh", "Caleigh"),
        ("Sophie", "Sophia"),
        ("Sophie", "Sofia"),
        ("Joanne", "Jo"),
        ("Josephine", "Jo"),
        ("Joseph", "Jo"),
    ],
)
def test_english_names_and_short_forms_share_a_group(a: str, b: str) -> None:
    assert same_group(a, b), f"{a} and {b} should be equivalent given names"


def test_an_ambiguous_short_form_does_not_join_its_full_names() -> None:
    assert same_group("Sam", "Samuel") and same_group("Sam", "Samantha")
    assert not same_group("Samuel", "Samantha")
    assert not same_group("Alexander", "Alexandra")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pritchard", "Prichard"),
        ("Pritchard", "ap Richard"),
        ("Prydderch", "ap Rhydderch"),
        ("Prydderch", "Prothero"),
        ("Davies", "Davis"),
        ("Davies", "Davey"),
        ("Powell", "ap Hywel"),
        ("Powell", "Howells"),
        ("Price", "Pryce"),
        ("Price", "ap Rhys"),
        ("Price", "Preece"),
        ("Bowen", "ap Owen"),
        ("Parry", "ap Harry"),
        ("Pugh", "ap Hugh"),
        ("Pugh", "Pughe"),
        ("Lloyd", "Floyd"),
        ("Llewellyn", "Llywelyn"),
        ("Llewellyn", "Fluellen"),
        ("Vaughan", "Vaughn"),
        ("Vaughan", "Fychan"),
        ("Griffiths", "Gruffudd"),
        ("Thomas", "Tomos"),
        ("Meredith", "Maredudd"),
        ("Gwynne", "Wynne"),
        ("Morgan", "Morgans"),
        ("Phillips", "Philips"),
        ("Roberts", "Robarts"),
        ("Hopkins", "Hopkin"),
        ("Watkins", "Watkin"),
        ("Probert", "ap Robert"),
        ("Bevan", "ap Evan"),
        ("MacDonald", "McDonald"),
        ("Macdonald", "McDonald"),
        ("O'Brien", "OBrien"),
        ("O'Brien", "O Brien"),
        ("Smith", "Smythe"),
        ("Thompson", "Thomson"),
        ("Stephens", "Stevens"),
        ("Clarke", "Clark"),
        ("Reid", "Reade"),
        ("Gray", "Grey"),
        ("Kowalski", "Kowalska"),
    ],
)
def test_family_name_variants_share_a_group(a: str, b: str) -> None:
    assert same_group(a, b, kind="family"), f"{a} and {b} should be equivalent family names"
