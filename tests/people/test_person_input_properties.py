"""Bad input never breaks the record: any JSON for any person field is cleaned or refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tarian.errors import Refused
from tarian.people.services import PERSON_FIELDS, clean_address, clean_person_fields

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(PERSON_FIELDS), json_values), st.booleans())
def test_any_json_for_person_fields_is_cleaned_or_refused_by_field(
    data: dict[str, Any], partial: bool
) -> None:
    try:
        clean = clean_person_fields(data, partial=partial)
    except Refused as refused:
        assert refused.errors and all(refused.errors.values())
        return
    for name in ("date_of_birth", "expected_date"):
        assert clean.get(name) is None or isinstance(clean[name], dt.date)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_for_an_address_is_cleaned_or_refused(value: Any) -> None:
    try:
        clean_address(value)
    except Refused as refused:
        assert all(name.startswith("address") for name in refused.errors)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)))
def test_real_past_dates_of_birth_are_accepted(born: dt.date) -> None:
    clean = clean_person_fields(
        {"kind": "child", "family_name": "Owen", "date_of_birth": born.isoformat()}
    )
    assert clean["date_of_birth"] == born
