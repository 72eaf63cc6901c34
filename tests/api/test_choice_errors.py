"""A coded field's errors name the values allowed, in every API request (#20 item 12).

"Choose one of: aware, not_aware, not_told_risk", never DRF's "Not a valid string." or
'"x" is not a valid choice.': for a value outside the list and for a value of the wrong JSON
type (a number, true, a list, an object, null), in the API's error shape, naming the field.
Written once in ``tarian.api.fields.Choice``; checked here on the field and then on every
enumerated field of every JSON operation, read from the OpenAPI schema (so a new one is
checked without being listed), with the rest of each request valid
(``tests.security.hostile``, as ``tests.security.test_hostile_values`` uses them).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework import serializers

from tarian.api.fields import Choice
from tarian.referrals.models import ParentalAwareness
from tarian.referrals.threshold import threshold_codes
from tests.security.hostile import (  # noqa: F401 - ``world`` is a fixture
    ENUM,
    SCHEMA,
    Operation,
    World,
    body_fields,
    resolve,
    world,
)
from tests.security.hostile_operations import OPERATIONS

AWARENESS = "Choose one of: aware, not_aware, not_told_risk"
WRONG = {
    "not-a-code": '"telepathy"',
    "a-code-in-capitals": '"AWARE"',
    "number": "5",
    "fraction": "1.5",
    "true": "true",
    "list": '["aware"]',
    "object": '{"code": "aware"}',
    "null": "null",
}
PLACEHOLDER = "__tarian_choice__"


class Shape(serializers.Serializer[dict[str, Any]]):
    parental_awareness = Choice(ParentalAwareness.choices)
    voice_method = Choice(["own_words", "other"], required=False, allow_blank=True)


@pytest.mark.parametrize("label", list(WRONG))
def test_issue20_a_wrong_value_or_type_names_the_field_and_the_values(label: str) -> None:
    shape = Shape(data={"parental_awareness": json.loads(WRONG[label])})
    assert not shape.is_valid()
    assert shape.errors == {"parental_awareness": [AWARENESS]}


def test_issue20_a_listed_code_is_accepted_and_blank_only_where_allowed() -> None:
    shape = Shape(data={"parental_awareness": "not_aware", "voice_method": ""})
    assert shape.is_valid(), shape.errors
    assert shape.validated_data == {"parental_awareness": "not_aware", "voice_method": ""}
    blank = Shape(data={"parental_awareness": ""})
    assert not blank.is_valid()
    assert blank.errors == {"parental_awareness": [AWARENESS]}


def test_issue20_a_list_given_as_a_function_is_read_when_checked_not_when_answering() -> None:
    reads = []

    def codes() -> list[str]:
        reads.append(1)
        return ["high", "standard"]

    class Priority(serializers.Serializer[dict[str, Any]]):
        priority = Choice(codes)

    assert not reads  # not at import
    refused = Priority(data={"priority": "urgent"})
    assert not refused.is_valid()
    assert refused.errors == {"priority": ["Choose one of: high, standard"]}
    count = len(reads)
    assert Priority({"priority": "high"}).data == {"priority": "high"}
    assert len(reads) == count  # an answer never reads the list


def _expected(operation: Operation, name: str, prop_values: list[Any]) -> str:
    if name == "threshold_level":  # described, not listed: the guide's levels in use
        return "Choose one of: " + ", ".join(threshold_codes())
    return "Choose one of: " + ", ".join(str(v) for v in prop_values if v not in ("", None))


def _coded_fields(operation: Operation) -> list[tuple[str, list[Any]]]:
    found = []
    for field_ in body_fields(operation.method, operation.path):
        if field_.kind == ENUM:
            body = SCHEMA["paths"][operation.path][operation.method.lower()]
            content = body["requestBody"]["content"]["application/json"]["schema"]
            prop = resolve(resolve(content)["properties"][field_.path[0]])
            found.append((field_.name, list(prop.get("enum", []))))
        elif field_.name == "threshold_level":
            found.append((field_.name, []))
    return found


CODED = [(o, name, values) for o in OPERATIONS for name, values in _coded_fields(o)]


def test_issue20_the_operations_have_coded_fields_to_check() -> None:
    names = {(o.path, name) for o, name, _values in CODED}
    assert ("/api/v1/referrals", "parental_awareness") in names
    assert ("/api/v1/referrals", "voice_method") in names
    assert ("/api/v1/referrals/{id}/decision", "threshold_level") in names
    assert ("/api/v1/people/{id}/involvements", "role") in names


@pytest.mark.parametrize(
    ("operation", "name", "values"), CODED,
    ids=[f"{o.method} {o.path} {name}" for o, name, _v in CODED],
)
def test_issue20_every_coded_request_field_names_its_values_when_wrong(
    operation: Operation, name: str, values: list[Any], world: World  # noqa: F811
) -> None:
    client = world.client(operation.caller)
    expected = _expected(operation, name, values)
    problems = []
    for label, literal in WRONG.items():
        path, body = operation.valid(world)
        raw = json.dumps({**body, name: PLACEHOLDER}).replace(f'"{PLACEHOLDER}"', literal)
        response = client.generic(operation.method, path, raw, content_type="application/json")
        errors = response.json().get("errors", {}) if response.status_code == 400 else {}
        if errors.get(name) != [expected]:
            problems.append(f"{label}: {response.status_code} {errors.get(name)}")
    assert not problems, f"expected [{expected!r}]\n" + "\n".join(problems)
