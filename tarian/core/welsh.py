"""Welsh grammar that the catalogue cannot hold: the soft mutation of a name after a word that
causes it ("gan Fwrdd Iechyd Gaerwen", "gan Wasanaethau Plant Gaerwen", "gan Feddygfa
Aberwen"). Knows no workflow."""

from __future__ import annotations

# The soft mutation of a word's first sound (treiglad meddal). "ll" and "rh" are checked before
# "l" and "r", which do not mutate; "g" is dropped.
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"),
         ("d", "dd"), ("g", ""), ("m", "f"))


def soft_mutation(text: str) -> str:
    """``text`` with its first word softly mutated, keeping its capital letter."""
    if not text:
        return text
    lower = text.lower()
    for radical, mutated in _SOFT:
        if lower.startswith(radical):
            rest = text[len(radical):]
            if not mutated:
                return rest[:1].upper() + rest[1:] if text[0].isupper() else rest
            if text[0].isupper():
                return mutated[0].upper() + mutated[1:] + rest
            return mutated + rest
    return text
