"""Parsers for NHS number, unique pupil number and postcode: examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tarian.people.identifiers import (
    format_nhs_number,
    nhs_check_digit,
    parse_nhs_number,
    parse_postcode,
    parse_upn,
    upn_check_letter,
)


@pytest.mark.parametrize("raw", ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 "])
def test_nhs_number_accepts_common_layouts(raw: str) -> None:
    assert parse_nhs_number(raw) == "9434765919"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765918", "not valid"),
        ("943476591", "10 digits"),
        ("94347659190", "10 digits"),
        ("ABCDEFGHIJ", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_nhs_number_refusals_say_why(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_nhs_number(raw)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_nhs_number_check_digit_round_trip(first_nine: int) -> None:
    digits = f"{first_nine:09d}"
    check = nhs_check_digit(digits)
    if check is None:
        for last in range(10):
            with pytest.raises(ValueError):
                parse_nhs_number(digits + str(last))
    else:
        assert parse_nhs_number(format_nhs_number(digits + str(check))) == digits + str(check)


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(0, 9))
def test_nhs_number_single_digit_change_is_caught(first_nine: int, delta: int) -> None:
    digits = f"{first_nine:09d}"
    check = nhs_check_digit(digits)
    if check is None or delta == 0:
        return
    changed = str((int(digits[0]) + delta) % 10) + digits[1:] + str(check)
    with pytest.raises(ValueError):
        parse_nhs_number(changed)


def test_upn_valid_and_temporary() -> None:
    assert parse_upn("c801200102001") == "C801200102001"
    body = "80120010200A"
    temporary = upn_check_letter(body) + body
    assert parse_upn(temporary) == temporary


@pytest.mark.parametrize(
    "raw", ["A801200102001", "C80120010200", "C8012001020011", "1801200102001"]
)
def test_upn_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_upn(raw)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_upn_check_letter_round_trip(body: str) -> None:
    assert parse_upn(upn_check_letter(body) + body) == upn_check_letter(body) + body


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("cf101aa", "CF10 1AA"), ("SA61 1TP", "SA61 1TP"), ("ll77  7ab", "LL77 7AB"),
     ("W1A 1AA", "W1A 1AA"), ("EC1A1BB", "EC1A 1BB")],
)
def test_postcode_normalised(raw: str, expected: str) -> None:
    assert parse_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "LL77", "QQ1 1AA", "CF10 1CA", "12345", "CF10 1AAA"])
def test_postcode_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="postcode"):
        parse_postcode(raw)


@given(st.text(max_size=12))
def test_postcode_parser_never_crashes(raw: str) -> None:
    try:
        result = parse_postcode(raw)
    except ValueError:
        return
    assert result == result.upper() and " " in result
