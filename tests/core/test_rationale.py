"""The one rule a decision's written reasons meet, on its own (tarian.core.rationale; FD4, SM2,
issue 20 item 3): padded, pointing elsewhere or only the outcome is refused, in English and
Welsh; real reasons in either language pass, mutations and all."""

from __future__ import annotations

import pytest
from django.utils import translation

from tarian.core.rationale import (
    MIN_DISTINCT_WORDS,
    Shortfall,
    check_rationale,
    content_words,
    shortfall,
)
from tarian.errors import Refused

PADDED = {
    # The cases the issue names.
    "NFA NFA NFA NFA NFA NFA": Shortfall.ONLY_OUTCOME,
    "x x x x x x": Shortfall.REPEATED,
    "NFA, see notes on file for details": Shortfall.POINTS_ELSEWHERE,
    # The outcome, abbreviated or spelt out, instead of a reason.
    "NFA": Shortfall.ONLY_OUTCOME,
    "n.f.a.": Shortfall.ONLY_OUTCOME,
    "N/A": Shortfall.ONLY_OUTCOME,
    "No further action required at this time.": Shortfall.ONLY_OUTCOME,
    "NFA. No further action is required. NFA.": Shortfall.ONLY_OUTCOME,
    # Pointers to notes kept elsewhere.
    "see case notes": Shortfall.POINTS_ELSEWHERE,
    "See file.": Shortfall.POINTS_ELSEWHERE,
    "As discussed with the team manager this morning": Shortfall.POINTS_ELSEWHERE,
    "Details on file, see previous assessment": Shortfall.POINTS_ELSEWHERE,
    # A handful of tokens padded out.
    "child safe child safe child safe": Shortfall.REPEATED,
    "ok ok ok ok ok ok ok ok": Shortfall.REPEATED,
    "aaaa bbbb aaaa bbbb aaaa bbbb": Shortfall.REPEATED,
    # Too little said, or only linking words.
    "Not serious": Shortfall.TOO_SHORT,
    "it is what it is and so on": Shortfall.TOO_SHORT,
    "": Shortfall.EMPTY,
    "  \n\t ": Shortfall.EMPTY,
    "12/03 13:00 999": Shortfall.TOO_SHORT,
}

PADDED_WELSH = {
    "Gweler y nodiadau": Shortfall.POINTS_ELSEWHERE,
    "Dim camau pellach, gweler y nodiadau ar y ffeil": Shortfall.POINTS_ELSEWHERE,
    "Fel y trafodwyd gyda'r rheolwr tîm heddiw": Shortfall.POINTS_ELSEWHERE,
    "DCP DCP DCP DCP DCP DCP": Shortfall.ONLY_OUTCOME,
    "Dim camau pellach yn angenrheidiol ar hyn o bryd": Shortfall.ONLY_OUTCOME,
    "amherthnasol": Shortfall.ONLY_OUTCOME,
    "plentyn yn ddiogel plentyn yn ddiogel plentyn yn ddiogel": Shortfall.REPEATED,
    "Dim pryderon": Shortfall.TOO_SHORT,
}

REASONS = [
    "Mum engaged with school; no injuries seen; child happy.",
    "Child safe with grandmother, police informed",
    "The school's support plan meets the need; no risk of significant harm is known.",
    # A real reason may also point to notes: what matters is that it says something here.
    "See case notes: bruising explained by the GP, mother protective, school monitoring daily.",
    # A curly apostrophe joins a word as a typed one does.
    "The child\u2019s account and the GP\u2019s findings match: an accident, not harm.",
]

REASONS_WELSH = [
    "Mae'r ysgol wedi siarad â'r fam ac mae'r plentyn yn ddiogel gyda'i nain.",
    # Mutations ("thad", "tharo", "mhlentyn") are words like any other.
    "Dywedodd y plentyn fod ei thad wedi ei tharo; mae'r heddlu'n ymchwilio heno.",
    "Mae fy mhlentyn yn cael cefnogaeth gan y gweithiwr ieuenctid bob wythnos.",
    "Mae'r fam yn cydweithio ac mae'r ysgol yn cefnogi'r teulu.",
    "Dim camau pellach: mae'r cleisiau wedi'u hegluro gan y meddyg teulu a'r ysgol.",
]


@pytest.mark.parametrize(("text", "lack"), list(PADDED.items()))
def test_fd4_padded_or_bare_rationale_is_refused(text: str, lack: Shortfall) -> None:
    assert shortfall(text) == lack
    with pytest.raises(Refused) as refused:
        check_rationale(text)
    assert list(refused.value.errors) == ["rationale"]


@pytest.mark.parametrize(("text", "lack"), list(PADDED_WELSH.items()))
def test_fd4_padded_or_bare_welsh_rationale_is_refused(text: str, lack: Shortfall) -> None:
    assert shortfall(text) == lack


@pytest.mark.parametrize("text", REASONS + REASONS_WELSH)
def test_fd4_a_rationale_that_says_something_passes_in_english_and_welsh(text: str) -> None:
    assert shortfall(text) is None
    assert check_rationale(f"  {text}\n\n") == text


def test_fd4_welsh_mutations_count_as_different_words() -> None:
    assert {"plentyn", "blentyn", "mhlentyn"} <= content_words(
        "plentyn, blentyn a mhlentyn"
    )


def test_fd4_the_rule_counts_different_words_not_words() -> None:
    words = ["one", "two", "three", "four", "five", "six", "seven"][: MIN_DISTINCT_WORDS - 1]
    assert shortfall(" ".join(words * 3)) == Shortfall.REPEATED
    assert shortfall(" ".join([*words, "eight"])) is None


def test_fd4_the_refusal_names_the_field_and_what_is_missing() -> None:
    with pytest.raises(Refused) as refused:
        check_rationale("NFA, see notes on file for details", field="reason",
                        label="Reason", ask="Say why these records are the same person.")
    [message] = refused.value.errors["reason"]
    assert message.startswith("Reason: it only points to notes kept elsewhere")
    assert message.endswith("Say why these records are the same person.")


def test_fd4_the_refusal_says_by_default_what_a_rationale_covers() -> None:
    with pytest.raises(Refused) as refused:
        check_rationale("x x x x x x")
    assert refused.value.errors["rationale"] == [
        "Rationale: the same few words are repeated. Use at least 6 different words. Say what "
        "you considered and why this decision keeps the child safe."
    ]


@pytest.mark.parametrize(("text", "welsh"), [
    ("NFA NFA NFA NFA NFA NFA", "dim ond enwi'r canlyniad"),
    ("Gweler y nodiadau", "dim ond cyfeirio at nodiadau"),
    ("x x x x x x", "mae'r un ychydig eiriau"),
    ("Dim pryderon", "ychydig iawn a ddywedir"),
    ("", "nid oes dim wedi'i ysgrifennu"),
])
def test_vc2_the_refusal_is_in_welsh_for_a_welsh_reader(text: str, welsh: str) -> None:
    with translation.override("cy"), pytest.raises(Refused) as refused:
        check_rationale(text)
    [message] = refused.value.errors["rationale"]
    assert message.startswith("Rhesymeg: ") and welsh in message
    assert "Dywedwch beth" in message
