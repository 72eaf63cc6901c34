"""The plausible range of a date, defined once (tarian.core.dates; #17, IS3)."""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.core.dates import DateKind, check_date, parse_date, plausible_range

TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        (DateKind.BIRTH, dt.date(1900, 1, 1), TODAY),
        (DateKind.EXPECTED, dt.date(1900, 1, 1), TODAY + dt.timedelta(days=305)),
        (DateKind.EVENT, dt.date(1900, 1, 1), TODAY + dt.timedelta(days=366)),
    ],
)
def test_is3_each_kind_of_date_has_one_plausible_range(
    kind: DateKind, first: dt.date, last: dt.date
) -> None:
    assert plausible_range(kind, today=TODAY) == (first, last)
    assert check_date(first, kind, today=TODAY) is None
    assert check_date(last, kind, today=TODAY) is None
    assert check_date(first - dt.timedelta(days=1), kind, today=TODAY) is not None
    assert check_date(last + dt.timedelta(days=1), kind, today=TODAY) is not None


@pytest.mark.parametrize("kind", list(DateKind))
@pytest.mark.parametrize("value", [dt.date.min, dt.date(853, 1, 1), dt.date.max])
def test_is3_the_extremes_of_the_calendar_are_refused_not_crashed_on(
    kind: DateKind, value: dt.date
) -> None:
    assert check_date(value, kind, today=TODAY)


def test_is3_the_messages_say_which_way_the_date_is_wrong() -> None:
    assert check_date(dt.date(1899, 12, 31), DateKind.BIRTH, today=TODAY) == (
        "Date of birth must be after 1900"
    )
    assert check_date(dt.date(2026, 3, 3), DateKind.BIRTH, today=TODAY) == (
        "Date of birth must be today or in the past"
    )
    assert "10 months" in str(check_date(dt.date(2027, 3, 2), DateKind.EXPECTED, today=TODAY))
    assert "1900" in str(check_date(dt.date(853, 1, 1), DateKind.EVENT, today=TODAY))
    assert "a year" in str(check_date(dt.date(2099, 1, 1), DateKind.EVENT, today=TODAY))


@pytest.mark.parametrize(
    ("raw", "expected", "problem"),
    [
        ("2016-03-04", dt.date(2016, 3, 4), None),
        (dt.date(2016, 3, 4), dt.date(2016, 3, 4), None),
        (dt.datetime(2016, 3, 4, 9, 30), dt.date(2016, 3, 4), None),
        ("", None, None),
        (None, None, None),
        ("0001-01-01", None, "Date of birth must be after 1900"),
        ("9999-12-31", None, "Date of birth must be today or in the past"),
        ("2016-02-30", None, "Enter a real date as YYYY-MM-DD"),
        ("10000-01-01", None, "Enter a real date as YYYY-MM-DD"),
        ("yesterday", None, "Enter a real date as YYYY-MM-DD"),
        (20160304, None, "Enter a real date as YYYY-MM-DD"),
        (["2016-03-04"], None, "Enter a real date as YYYY-MM-DD"),
    ],
)
def test_is3_parse_date_names_the_field_it_refuses(
    raw: object, expected: dt.date | None, problem: str | None
) -> None:
    errors: dict[str, list[str]] = {}
    value = parse_date(raw, name="date_of_birth", kind=DateKind.BIRTH, errors=errors, today=TODAY)
    assert value == expected
    assert errors == ({"date_of_birth": [problem]} if problem else {})


def test_is3_a_required_date_left_blank_is_named() -> None:
    errors: dict[str, list[str]] = {}
    assert (
        parse_date(
            "", name="start_date", kind=DateKind.EVENT, errors=errors, required=True, today=TODAY
        )
        is None
    )
    assert errors == {"start_date": ["Enter a date"]}


@pytest.mark.parametrize("raw", ["20160304", "2016-W09-5", "2016-03-04T00:00", " 2016-03-04"])
def test_is3_only_the_contracts_date_form_is_read(raw: str) -> None:
    errors: dict[str, list[str]] = {}
    assert parse_date(raw, name="since", kind=DateKind.EVENT, errors=errors, today=TODAY) is None
    assert errors == {"since": ["Enter a real date as YYYY-MM-DD"]}
