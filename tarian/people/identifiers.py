"""Validating the identifiers people are known by: NHS number, school UPN, postcode.

Each parser returns the normalised value or raises ``ValueError`` with a message a
practitioner can act on.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]"
    r"|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit for the first nine digits; None if no valid number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def parse_nhs_number(raw: str) -> str:
    digits = re.sub(r"[\s-]", "", raw)
    if not digits.isdigit() or len(digits) != 10:
        raise ValueError(_("Enter an NHS number of 10 digits, like 943 476 5919"))
    check = nhs_check_digit(digits[:9])
    if check is None or check != int(digits[9]):
        raise ValueError(_("This NHS number is not valid: check the digits"))
    return digits


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


def upn_check_letter(chars: str) -> str:
    """The check letter for characters 2-13 of a UPN (DfE: weights 2..13, modulo 23).

    A temporary UPN ends in a letter, which counts as its position in the check alphabet.
    """
    values = [int(c) if c.isdigit() else _UPN_LETTERS.index(c) for c in chars]
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23]


def parse_upn(raw: str) -> str:
    """A unique pupil number: a check letter, 11 digits, then a digit (or a letter if temporary)."""
    upn = re.sub(r"\s", "", raw).upper()
    if len(upn) != 13 or upn[0] not in _UPN_LETTERS or not upn[1:12].isdigit():
        raise ValueError(_("Enter a unique pupil number of 13 characters, like C801200102001"))
    if not (upn[12].isdigit() or upn[12] in _UPN_LETTERS):
        raise ValueError(_("The last character of a unique pupil number must be a digit or letter"))
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValueError(_("This unique pupil number is not valid: check the characters"))
    return upn


def parse_postcode(raw: str) -> str:
    text = re.sub(r"\s+", "", raw).upper()
    if len(text) < 5 or len(text) > 7:
        raise ValueError(_("Enter a full UK postcode, like CF10 1AA"))
    spaced = f"{text[:-3]} {text[-3:]}"
    if not _POSTCODE.match(spaced):
        raise ValueError(_("Enter a real UK postcode, like CF10 1AA"))
    return spaced
