"""A table of hostile values, tried in every field of every API operation (#17, IS4).

Every field of every JSON request body (read from the OpenAPI schema, so a new field is tried
without being listed here) and every query parameter gets each value of ``HOSTILE`` in turn,
the rest of the request being valid and aimed at a record in the right state. Whatever the
value, the answer is never a 5xx; when it is 400 it names the field (``__all__`` only for the
body as a whole); and where the schema says the value cannot be right for the field (a list
for a date, a NUL anywhere, a date of birth in 0001, text over its ``maxLength``, null where
null is not allowed ...) the answer must be that refusal, not a success. Run on SQLite and
PostgreSQL, which differ on NUL and on text longer than a column.

The values, the schema's fields and the judge of an answer are in ``hostile.py``; the
operations, each with a valid request, in ``hostile_operations.py`` and ``hostile_meetings.py``.
"""

from __future__ import annotations

import json

import pytest

from tests.security.hostile import (
    HOSTILE,
    PLACEHOLDER,
    SCHEMA,
    STRING,
    Field,
    Operation,
    World,
    body_fields,
    judge,
    query_fields,
    with_placeholder,
    world,  # noqa: F401 - a fixture
)
from tests.security.hostile_meetings import MEETING_OPERATIONS
from tests.security.hostile_operations import OPERATIONS, QUERIES

pytestmark = pytest.mark.django_db


def test_is4_every_json_operation_is_in_the_table() -> None:
    """A new operation that reads JSON must be added to a table (``hostile_operations.py``,
    ``hostile_meetings.py``), with a valid body."""
    reading_json = {
        (method.upper(), path)
        for path, item in SCHEMA["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert reading_json == {(o.method, o.path) for o in [*OPERATIONS, *MEETING_OPERATIONS]}


@pytest.mark.parametrize("operation", [*OPERATIONS, *MEETING_OPERATIONS],
                         ids=lambda o: f"{o.method} {o.path}")
def test_is4_hostile_values_in_every_field_are_refused_by_name_never_a_server_error(
    operation: Operation, world: World  # noqa: F811 - the fixture imported above
) -> None:
    fields = body_fields(operation.method, operation.path)
    assert fields, "the schema lists no fields for this operation"
    client = world.client(operation.caller)
    path, body = operation.valid(world)
    first = client.generic(
        operation.method, path, json.dumps(body), content_type="application/json"
    )
    assert first.status_code < 300, f"the valid body is not valid: {first.content[:300]!r}"
    problems = []
    for field_ in fields:
        for value in HOSTILE:
            path, body = operation.valid(world)
            placed = with_placeholder(body, field_.path)
            raw = json.dumps(placed).replace(f'"{PLACEHOLDER}"', value.literal)
            response = client.generic(operation.method, path, raw, content_type="application/json")
            problem = judge(f"{operation.method} {operation.path}", field_, value, response)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", QUERIES, ids=lambda o: f"{o.method} {o.path}")
def test_is4_hostile_query_parameters_are_refused_by_name_never_a_server_error(
    operation: Operation, world: World  # noqa: F811 - the fixture imported above
) -> None:
    fields = query_fields(operation.method, operation.path)
    client = world.client(operation.caller)
    path, query = operation.valid(world)
    assert client.get(path, query).status_code == 200
    problems = []
    for field_ in fields:
        for value in HOSTILE:
            if value.in_query is None:
                continue
            response = client.get(path, {**query, field_.name: value.in_query})
            # A query parameter is text: a text parameter takes any text but NUL, and one left
            # blank is the same as one not given.
            kind = field_.kind if field_.kind != STRING or value.name == "nul" else "any text"
            as_query = Field(field_.path, kind, True, None, None)
            if value.name == "empty":
                if response.status_code >= 500:
                    problems.append(f"{operation.path} {field_.name}='': a server error")
                continue
            problem = judge(f"GET {operation.path}", as_query, value, response)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)
