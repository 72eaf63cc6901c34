"""Folding text for search and comparison: case, accents and apostrophes (Siân = Sian)."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "\u0131": "i"}
)


def fold(text: str) -> str:
    """Lower-case, strip accents, drop apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("'", "").replace("\u2019", "")
    plain = _NON_ALNUM.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def fold_postcode(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode).upper()
