"""Hostile values and the judge of an API's answer to them (#17, IS4): shared by
``test_hostile_values.py`` and ``tests/api/test_choice_errors.py``, which import the ``world``
fixture from here.

Each value of ``HOSTILE`` is raw JSON, so that what no Python value would serialise (an integer
of 401 digits, ``1e400``, a lone surrogate) reaches the server as a client could send it. The
fields each operation reads come from the OpenAPI schema; ``World`` holds the callers and what
a call needs to be valid apart from the hostile value; the operations are listed in
``hostile_operations.py`` and ``hostile_meetings.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, AgencyType, RoleCode, User
from tarian.people.models import Involvement, Person
from tarian.referrals.models import ReferralStatus
from tests.factories import AgencyFactory, PersonFactory, UserFactory
from tests.security.conftest import make_referral

STRING, ENUM, DATE, INTEGER, BOOLEAN, ARRAY, OBJECT = (
    "string",
    "enum",
    "date",
    "integer",
    "boolean",
    "array",
    "object",
)
ALL = frozenset({STRING, ENUM, DATE, INTEGER, BOOLEAN, ARRAY, OBJECT})
NOT_TEXT = frozenset({INTEGER, BOOLEAN, ARRAY, OBJECT})


@dataclass(frozen=True)
class Hostile:
    """A raw JSON value, and the kinds of field that must refuse it."""

    name: str
    literal: str
    refused_by: frozenset[str] = frozenset()
    whole_body: bool = False  # refused as the body as a whole (``__all__``)
    in_query: str | None = None  # the text sent as a query parameter; None: not tried there


HOSTILE = [
    Hostile("nul", '"Gwen\\u0000"', ALL, in_query="Gwen\x00"),
    Hostile("nested-40-deep", "[" * 40 + "]" * 40, ALL, whole_body=True),
    Hostile(
        "integer-401-digits", "1" + "0" * 400, ALL - {STRING, INTEGER}, in_query="1" + "0" * 400
    ),
    Hostile("infinite", "1e400", ALL, in_query="1e400"),
    Hostile("negative", "-1", ALL - {STRING}, in_query="-1"),
    Hostile("fraction", "1.5", ALL - {STRING}, in_query="1.5"),
    Hostile("date-0001", '"0001-01-01"', ALL - {STRING}, in_query="0001-01-01"),
    Hostile("date-9999", '"9999-12-31"', ALL - {STRING}, in_query="9999-12-31"),
    # Refused by a text field only if it has a maxLength (checked below).
    Hostile("overlong", json.dumps("x" * 100_000), ALL - {STRING}, in_query="x" * 10_000),
    Hostile("lone-surrogate", '"\\ud800"', ALL),
    Hostile("empty", '""', ALL - {STRING}, in_query=""),
    Hostile("null", "null"),  # refused where the schema does not allow null (checked below)
    Hostile("list", '["x"]', ALL - {ARRAY}),
    Hostile("object", '{"x": "y"}', ALL - {OBJECT}),
    Hostile("true", "true", ALL - {BOOLEAN}, in_query="true"),
    Hostile("welsh-and-emoji", '"Siân ŵŷ 🙂"', NOT_TEXT | {DATE, ENUM}, in_query="Siân ŵŷ 🙂"),
]
PLACEHOLDER = "__tarian_hostile_value__"


# --- The schema: which fields each operation reads, and of what kind -----------------------

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)


def resolve(prop: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return resolve(SCHEMA["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]])
    if "allOf" in prop:
        return {**resolve(prop["allOf"][0]), **{k: v for k, v in prop.items() if k != "allOf"}}
    if "oneOf" in prop:  # an enum that also allows blank or null
        return {"enum": [v for o in prop["oneOf"] for v in resolve(o).get("enum", [])], **prop}
    return prop


def _kind(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return ENUM
    if prop.get("format") == "date":
        return DATE
    return {"integer": INTEGER, "boolean": BOOLEAN, "array": ARRAY, "object": OBJECT}.get(
        prop.get("type", STRING), STRING
    )


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]  # ("address", "line1")
    kind: str
    nullable: bool
    max_length: int | None
    min_length: int | None
    blank_allowed: bool = False  # an enum that lists "" (an optional code left blank)

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def must_refuse(self, value: Hostile) -> bool:
        if value.name == "null":
            return not self.nullable
        if self.kind == STRING and value.name == "overlong":
            return self.max_length is not None
        if self.kind == STRING and value.name == "empty":
            return bool(self.min_length)
        if self.kind == ENUM and value.name == "empty":
            return not self.blank_allowed
        return self.kind in value.refused_by


def _fields(
    properties: dict[str, Any], required: list[str], prefix: tuple[str, ...] = ()
) -> list[Field]:
    found = []
    for name, raw in properties.items():
        prop = resolve(raw)
        kind = _kind(prop)
        found.append(
            Field(
                path=(*prefix, name),
                kind=kind,
                nullable=bool(prop.get("nullable")) or (None in prop.get("enum", [])),
                max_length=prop.get("maxLength"),
                min_length=prop.get("minLength"),
                blank_allowed="" in prop.get("enum", []),
            )
        )
        if kind == OBJECT and "properties" in prop:
            found.extend(_fields(prop["properties"], prop.get("required", []), (*prefix, name)))
    return found


def body_fields(method: str, path: str) -> list[Field]:
    operation = SCHEMA["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return []
    body = resolve(content["schema"])
    return _fields(body.get("properties", {}), body.get("required", []))


def query_fields(method: str, path: str) -> list[Field]:
    operation = SCHEMA["paths"][path][method.lower()]
    return [
        Field((p["name"],), _kind(resolve(p.get("schema", {}))), False, None, None)
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    ]


# --- The records each call is aimed at -----------------------------------------------------


@dataclass
class World:
    """The callers, and what a call needs to be valid apart from the hostile value."""

    users: dict[str, User]
    agency: Agency
    police: Agency
    school: Agency
    child: Person
    restricted: Person
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, caller: str) -> Client:
        if caller not in self.clients:
            client = Client(headers={"authorization": f"Bearer {issue_token(self.users[caller])}"})
            client.raise_request_exception = False
            self.clients[caller] = client
        return self.clients[caller]

    def referral(self, status: str) -> str:
        police = status in (ReferralStatus.AWAITING_SUPERVISOR, ReferralStatus.RETURNED_TO_REFERRER)
        return make_referral(
            self.police if police else self.agency,
            self.child,
            status=status,
            referrer=self.users["officer" if police else "social_worker"],
            decider=self.users["gateway_worker"],
        ).ref


@pytest.fixture
def world(db: None) -> World:
    """The agencies, callers and children every operation is aimed at."""
    agency = AgencyFactory.create(slug="hostile-cs", type=AgencyType.CHILDRENS_SERVICES)
    police = AgencyFactory.create(slug="hostile-police", type=AgencyType.POLICE)
    school = AgencyFactory.create(slug="hostile-school", type=AgencyType.SCHOOL)
    roles = {
        "social_worker": (agency, RoleCode.SOCIAL_WORKER),
        "gateway_worker": (agency, RoleCode.GATEWAY_WORKER),
        "team_manager": (agency, RoleCode.TEAM_MANAGER),
        "officer": (police, RoleCode.CRU_OFFICER),
        "cru_supervisor": (police, RoleCode.CRU_SUPERVISOR),
    }
    users = {
        name: UserFactory.create(username=f"hostile-{name}", agency=where, roles=[role])
        for name, (where, role) in roles.items()
    }
    child = PersonFactory.create(given_name="Gelyniaethus", family_name="Prawf")
    Involvement.objects.create(
        person=child,
        agency=school,
        role="school",
        start_date="2024-09-02",
        created_by=users["social_worker"],
        modified_by=users["social_worker"],
    )
    restricted = PersonFactory.create(given_name="Cudd", is_restricted=True)
    return World(users, agency, police, school, child, restricted)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the schema
    caller: str
    valid: Callable[[World], tuple[str, dict[str, Any]]]  # a fresh target and a valid body


def _names(field_name: str, errors: dict[str, Any]) -> bool:
    return any(
        key == field_name or key.startswith((f"{field_name}.", f"{field_name}[")) for key in errors
    )


def judge(label: str, field_: Field, value: Hostile, response: Any) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    where = f"{label} {field_.name}={value.name}: {status}"
    if status >= 500:
        return f"{where} (a server error)"
    errors: dict[str, Any] = {}
    if status >= 400:
        if not response["Content-Type"].startswith("application/json"):
            return f"{where} answered {response['Content-Type']}, not the error shape"
        errors = json.loads(response.content).get("errors", {})
    expected = "__all__" if value.whole_body else field_.name
    if status == 400 and not _names(expected, errors):
        return f"{where} does not name {expected}: {errors}"
    if field_.must_refuse(value):
        refused = status == 400 or (status == 409 and field_.name == "version")
        if not refused:
            return f"{where}: accepted or answered otherwise; must be refused naming the field"
    return None


def with_placeholder(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """``body`` with the field at ``path`` replaced by the placeholder."""
    changed = json.loads(json.dumps(body))
    target = changed
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = PLACEHOLDER
    return changed
