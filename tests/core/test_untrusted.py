"""Finding what no request may carry: NUL characters and JSON nested too deeply (#17, IS4)."""

from __future__ import annotations

from typing import Any

import pytest

from tarian.core.untrusted import (
    json_depth,
    non_finite_in,
    nul_in,
    printable_name,
    surrogate_in,
)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("plain", None),
        ("a\x00b", ""),
        ({"given_name": "Siân", "family_name": "Jo\x00nes"}, "family_name"),
        ({"address": {"line1": "1 Stryd\x00"}}, "address.line1"),
        ({"children": ["T1", "T\x00"]}, "children[1]"),
        ({"giv\x00en": "x"}, "giv\ufffden"),
        ({"ok": [1, 2.5, None, True, {"deeper": ["fine"]}]}, None),
    ],
)
def test_is4_nul_in_names_the_field_that_carries_it(value: Any, field: str | None) -> None:
    assert nul_in(value) == (None if field is None else printable_name(field))


def test_is4_the_first_field_in_order_is_named() -> None:
    assert nul_in({"a": "ok", "b": "\x00", "c": "\x00"}) == "b"


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ("text", 0), ([], 1), ({"a": [1]}, 2), ({"a": {"b": {"c": []}}}, 4)],
)
def test_is4_json_depth_counts_nesting(value: Any, depth: int) -> None:
    assert json_depth(value) == depth


def test_is4_walking_a_deep_value_does_not_exhaust_the_stack() -> None:
    deep: Any = "\x00"
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep) == 100_000
    assert nul_in(deep) == "[0]" * 100_000


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"version": 3, "score": 0.5}, None),
        ({"given_name": float("inf")}, "given_name"),
        ({"a": [1, float("-inf")]}, "a[1]"),
        (float("nan"), "__all__"),
    ],
)
def test_is4_non_finite_in_names_an_infinite_number(value: Any, field: str | None) -> None:
    assert non_finite_in(value) == field


def test_is4_surrogate_in_names_a_lone_surrogate_only() -> None:
    assert surrogate_in({"name": "Siân 🙂", "other": ["ok", "\ud800"]}) == "other[1]"
    assert surrogate_in({"name": "Siân 🙂"}) is None
