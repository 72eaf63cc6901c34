"""The whole API against its OpenAPI schema, with schemathesis (IS1, IS4; API contract).

The schema is loaded in-process from the Django app. Every operation is called with generated
input (valid and invalid: bounded, derandomized, no example database) as a children's services
social worker (scope ``all``); every other call aims its path parameters at records that
exist, so that answers about real people, involvements, documents and referrals (one at each
stage) are checked, not only 404s. Asserted separately, so that a schema gap cannot hide a
server error:

- no call is answered with a 5xx (``not_a_server_error``);
- every answer is as documented: its status code is listed, and its content type, headers and
  body match what is listed for it.

``ANSWERED_STATUSES`` lists the error answers each operation was seen to give; the schema must
document every one (a postprocessing hook adds the contract's error answers and page envelope
to every operation, ``tarian/api/schema.py``). The main operations are also called once each
with valid data (``CALLS``), as the role that may do them, and their answers checked against
the schema with the same four conformance checks. They found (#17) that the referral list
without ``status`` left out ``age_seconds`` and ``clock_status``, which the schema requires.

Calls run through WSGI in this thread, outside Django's test client, and Django closes the
connection after each request, so the tests use committed data (``transactional_db``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import AgencyType, RoleCode
from tarian.people.models import Involvement, InvolvementRole, Person
from tarian.referrals.models import Referral, ReferralStatus
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory
from tests.security.conftest import REASON, make_referral, store_document

MAX_EXAMPLES = 25
SEED = 20260101

# Explicit, so that a schemathesis.toml found on disk cannot change what CI runs.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "allow-x00": True,  # NUL once caused 500s on PostgreSQL (test_hostile_input.py)
        },
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)

CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class ApiData:
    """Committed records the generated calls are aimed at, and the caller's token."""

    headers: dict[str, str]  # the social worker's: every generated call is made as them
    tokens: dict[str, dict[str, str]]  # by caller, for the explicit calls
    child: Person
    restricted: Person
    involvement: Involvement
    document_id: int
    referrals: dict[str, Referral]  # one at each stage, by status
    calls: Iterator[int] = field(default_factory=itertools.count)

    def aim(self, case: Any) -> None:
        """Every other call: point the path parameters at records that exist."""
        turn = next(self.calls)
        if turn % 2:
            return
        params = case.path_parameters or {}
        if "id" in params and case.path.startswith("/api/v1/referrals/"):
            stages = list(self.referrals.values())
            params["id"] = stages[turn // 2 % len(stages)].ref
        elif "id" in params and not case.path.startswith("/api/v1/duplicates/"):
            restricted = case.path.endswith("/break-glass")
            params["id"] = (self.restricted if restricted else self.child).ref
        if "involvement_id" in params:
            params["involvement_id"] = self.involvement.pk
        if "document_id" in params:
            params["document_id"] = self.document_id


def _api_data() -> ApiData:
    agency = AgencyFactory.create(slug="schema-cs", type=AgencyType.CHILDRENS_SERVICES)
    police = AgencyFactory.create(slug="schema-police", type=AgencyType.POLICE)
    user = UserFactory.create(username="schema-sw", agency=agency, roles=[RoleCode.SOCIAL_WORKER])
    child = PersonFactory.create(given_name="Sgema", family_name="Prawf")
    involvement = InvolvementFactory.create(
        person=child, agency=police, role=InvolvementRole.POLICE
    )
    restricted = PersonFactory.create(given_name="Cudd", is_restricted=True)
    document = store_document(child, uploaded_by=user)
    manager = UserFactory.create(username="schema-tm", agency=agency, roles=[RoleCode.TEAM_MANAGER])
    board = AgencyFactory.create(slug="schema-board", type=AgencyType.BOARD)
    member = UserFactory.create(username="schema-bm", agency=board, roles=[RoleCode.BOARD_MEMBER])
    gateway = UserFactory.create(
        username="schema-gw", agency=agency, roles=[RoleCode.GATEWAY_WORKER]
    )
    officer = UserFactory.create(username="schema-po", agency=police, roles=[RoleCode.CRU_OFFICER])
    supervisor = UserFactory.create(
        username="schema-ps", agency=police, roles=[RoleCode.CRU_SUPERVISOR]
    )
    referrals = {
        status: make_referral(
            police if status == ReferralStatus.AWAITING_SUPERVISOR else agency,
            child,
            status=status,
            referrer=officer if status == ReferralStatus.AWAITING_SUPERVISOR else user,
            decider=gateway,
        )
        for status in ReferralStatus.values
    }
    tokens = {
        name: {"Authorization": f"Bearer {issue_token(who)}"}
        for name, who in (
            ("social_worker", user),
            ("team_manager", manager),
            ("board_member", member),
            ("gateway_worker", gateway),
            ("cru_supervisor", supervisor),
        )
    }
    return ApiData(
        headers=tokens["social_worker"],
        tokens=tokens,
        child=child,
        restricted=restricted,
        involvement=involvement,
        document_id=document.pk,
        referrals=referrals,
    )


@pytest.fixture
def api_data(transactional_db: None) -> ApiData:
    return _api_data()


# --- What each operation answers besides success --------------------------------------------

# Statuses each operation was seen to answer (all: 401 without a valid token; 400: invalid
# input; 403: the role may not do this, or the record is restricted; 404: not found or not
# visible; 409: a stale ``version``). The schema must document each of them, with the one
# error shape {"errors": {"<field>": ["..."]}} (409 adds "current_version", 403 for a
# restricted record adds "restricted": true).
ANSWERED_STATUSES: dict[str, frozenset[int]] = {
    label: frozenset(statuses)
    for label, statuses in {
        # 400: ?page or ?page_size outside the documented range; 404: ?page past the last
        "GET /api/v1/people": {400, 401, 404},
        "GET /api/v1/people/match": {400, 401, 403},
        "POST /api/v1/people": {400, 401, 403},
        "GET /api/v1/people/{id}": {401, 403, 404},
        "PATCH /api/v1/people/{id}": {400, 401, 403, 404, 409},
        "GET /api/v1/people/{id}/involvements": {401, 403, 404},
        "POST /api/v1/people/{id}/involvements": {400, 401, 403, 404},
        "GET /api/v1/people/{id}/access-log": {401, 403, 404},
        "GET /api/v1/children/{id}/chronology": {400, 401, 403, 404},
        "GET /api/v1/people/{id}/documents": {401, 403, 404},
        "POST /api/v1/people/{id}/documents": {400, 401, 403, 404},
        "GET /api/v1/documents/{document_id}/content": {401, 404},
        "POST /api/v1/people/{id}/break-glass": {400, 401, 404},
        "POST /api/v1/involvements/{involvement_id}/end": {400, 401, 403, 404, 409},
        "GET /api/v1/referrals": {400, 401, 404},
        "POST /api/v1/referrals": {400, 401, 403},
        "GET /api/v1/referrals/{id}": {401, 404},
        "POST /api/v1/referrals/{id}/decision": {400, 401, 403, 404, 409},
        "POST /api/v1/referrals/{id}/sign-off": {400, 401, 403, 404, 409},
        "POST /api/v1/referrals/{id}/approve": {400, 401, 403, 404, 409},
        "POST /api/v1/referrals/{id}/resubmit": {400, 401, 403, 404, 409},
        "POST /api/v1/referrals/{id}/unseen-children/{unseen_id}": {400, 401, 403, 404, 409},
        "POST /api/v1/receipts/{id}/acknowledge": {401, 404},
    }.items()
}


# --- Generated calls against every operation -------------------------------------------------


@schema.parametrize()
@FUZZ_SETTINGS
def test_is4_no_api_operation_answers_with_a_server_error(case: Any, api_data: ApiData) -> None:
    api_data.aim(case)
    case.call_and_validate(headers=api_data.headers, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ_SETTINGS
def test_is4_api_answers_as_the_schema_documents(case: Any, api_data: ApiData) -> None:
    """Status code documented, and content type, headers and body as documented for it.

    No difference is let through.
    """
    api_data.aim(case)
    response = case.call(headers=api_data.headers)
    case.validate_response(response, checks=CONFORMANCE, headers=api_data.headers)


@pytest.mark.parametrize("label", list(ANSWERED_STATUSES))
def test_is4_schema_documents_every_status_the_api_answers(label: str) -> None:
    method, path = label.split(" ", 1)
    operation = schema.raw_schema["paths"].get(path, {}).get(method.lower())
    assert operation is not None, f"{label} is no longer in the schema: remove it from the list"
    responses = operation.get("responses", {})
    missing = {s for s in ANSWERED_STATUSES[label] if str(s) not in responses}
    assert not missing, f"{label}: not documented: {sorted(missing)}"
    for status in ANSWERED_STATUSES[label]:
        content = responses[str(status)]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (label, status)


def _operations() -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema.raw_schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_is4_every_operation_documents_its_errors() -> None:
    """A new operation documents the contract's error answers from the start."""
    operations = _operations()
    undocumented = {
        label
        for label, operation in operations.items()
        if not {"400", "401", "403", "404"} <= set(operation.get("responses", {}))
    }
    assert not undocumented, sorted(undocumented)
    gone = set(ANSWERED_STATUSES) - set(operations)
    assert not gone, f"no longer in the schema: {sorted(gone)}"


def test_is4_lists_document_the_page_envelope_and_its_parameters() -> None:
    for label, operation in _operations().items():
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        body = ok.get("schema", {})
        if label.startswith("GET ") and "results" in body.get("properties", {}):
            names = {p["name"] for p in operation.get("parameters", [])}
            assert {"page", "page_size"} <= names, label
        assert body.get("type") != "array", f"{label}: a list must be paged, not a bare array"


# --- The main operations with valid data: real records, the answer each should give ----------


@dataclass(frozen=True)
class Call:
    """One call of an operation with real data, and the status it must answer."""

    label: str
    method: str
    path: str  # as in the schema
    status: int
    inputs: Callable[[ApiData], dict[str, Any]] = lambda data: {}
    caller: str = "social_worker"  # whose token: social_worker, team_manager, board_member, none


def _child(data: ApiData) -> dict[str, Any]:
    return {"path_parameters": {"id": data.child.ref}}


def _restricted(data: ApiData) -> dict[str, Any]:
    return {"path_parameters": {"id": data.restricted.ref}}


def _referral(data: ApiData, status: str) -> dict[str, Any]:
    return {"path_parameters": {"id": data.referrals[status].ref}}


RATIONALE = "The school's support plan meets the need; no risk of significant harm is known."
NEW_REFERRAL = {
    "concern": "Bruising seen on the child's arm at school; she said she fell.",
    "voice_of_child": "She said she fell off the wall in the park.",
    "voice_method": "own_words",
    "parental_awareness": "aware",
    "consent": "given",
    "priority": "standard",
}

NEW_CHILD = {
    "kind": "child",
    "given_name": "Newydd",
    "family_name": "Prawf",
    "date_of_birth": "2016-03-04",
    "sex": "female",
    "address": {"line1": "3 Lôn Las", "town": "Aberwen", "postcode": "LL77 7AB"},
}


CALLS = [
    Call("create-person", "POST", "/api/v1/people", 201, lambda d: {"body": NEW_CHILD}),
    Call(
        "create-person-invalid",
        "POST",
        "/api/v1/people",
        400,
        lambda d: {"body": {**NEW_CHILD, "nhs_number": "1234567890"}},
    ),
    Call(
        "create-person-not-permitted",
        "POST",
        "/api/v1/people",
        403,
        lambda d: {"body": NEW_CHILD},
        caller="board_member",
    ),
    Call("list-people", "GET", "/api/v1/people", 200),
    Call(
        "search-people",
        "GET",
        "/api/v1/people",
        200,
        lambda d: {"query": {"q": "Sgema"}},
    ),
    Call("list-people-no-token", "GET", "/api/v1/people", 401, caller="none"),
    Call("read-person", "GET", "/api/v1/people/{id}", 200, _child),
    Call(
        "read-unknown-person",
        "GET",
        "/api/v1/people/{id}",
        404,
        lambda d: {"path_parameters": {"id": "T00000000"}},
    ),
    Call("read-restricted-person", "GET", "/api/v1/people/{id}", 403, _restricted),
    Call(
        "update-person",
        "PATCH",
        "/api/v1/people/{id}",
        200,
        lambda d: {**_child(d), "body": {"version": 1, "known_as": "Sgem", "reason": "Known as"}},
    ),
    Call(
        "update-person-stale",
        "PATCH",
        "/api/v1/people/{id}",
        409,
        lambda d: {**_child(d), "body": {"version": 7, "known_as": "Sgem", "reason": "Known"}},
    ),
    Call(
        "add-involvement",
        "POST",
        "/api/v1/people/{id}/involvements",
        201,
        lambda d: {
            **_child(d),
            "body": {"agency": "schema-cs", "role": "social_worker", "start_date": "2025-01-06"},
        },
    ),
    Call(
        "list-involvements",
        "GET",
        "/api/v1/people/{id}/involvements",
        200,
        _child,
    ),
    Call(
        "end-involvement",
        "POST",
        "/api/v1/involvements/{involvement_id}/end",
        200,
        lambda d: {
            "path_parameters": {"involvement_id": d.involvement.pk},
            "body": {"version": 1, "end_date": "2025-02-03", "reason": "Closed"},
        },
    ),
    Call(
        "access-log",
        "GET",
        "/api/v1/people/{id}/access-log",
        200,
        _child,
        caller="team_manager",
    ),
    Call("chronology", "GET", "/api/v1/children/{id}/chronology", 200, _child),
    Call(
        "upload-document",
        "POST",
        "/api/v1/people/{id}/documents",
        201,
        lambda d: {
            **_child(d),
            "media_type": "multipart/form-data",
            "body": {"title": "School report", "file": b"A school report.\n"},
        },
    ),
    Call(
        "list-documents",
        "GET",
        "/api/v1/people/{id}/documents",
        200,
        _child,
    ),
    Call(
        "document-content",
        "GET",
        "/api/v1/documents/{document_id}/content",
        200,
        lambda d: {"path_parameters": {"document_id": d.document_id}},
    ),
    Call(
        "break-glass",
        "POST",
        "/api/v1/people/{id}/break-glass",
        200,
        lambda d: {**_restricted(d), "body": {"reason": REASON}},
    ),
    Call(
        "match",
        "GET",
        "/api/v1/people/match",
        200,
        lambda d: {"query": {"given_name": "Sgema", "family_name": "Prawf"}},
    ),
    Call(
        "match-implausible-date-of-birth",
        "GET",
        "/api/v1/people/match",
        400,
        lambda d: {"query": {"family_name": "Prawf", "date_of_birth": "0001-01-01"}},
    ),
    Call("list-duplicates", "GET", "/api/v1/duplicates", 200, caller="team_manager"),
    # Every stage, so that each item's clock is checked against the schema (#17).
    Call("list-referrals", "GET", "/api/v1/referrals", 200),
    *(
        Call(
            f"list-referrals-{status}",
            "GET",
            "/api/v1/referrals",
            200,
            lambda d, status=status: {"query": {"status": status}},
            caller="cru_supervisor"
            if status == ReferralStatus.AWAITING_SUPERVISOR
            else "gateway_worker",
        )
        for status in ReferralStatus.values
    ),
    Call(
        "list-referrals-page-size-over-the-maximum",
        "GET",
        "/api/v1/referrals",
        400,
        lambda d: {"query": {"page_size": 201}},
    ),
    Call(
        "read-referral",
        "GET",
        "/api/v1/referrals/{id}",
        200,
        lambda d: _referral(d, ReferralStatus.DECIDED),
    ),
    Call(
        "make-referral",
        "POST",
        "/api/v1/referrals",
        201,
        lambda d: {"body": {**NEW_REFERRAL, "children": [d.child.ref]}},
    ),
    Call(
        "make-referral-invalid",
        "POST",
        "/api/v1/referrals",
        400,
        lambda d: {"body": {**NEW_REFERRAL, "children": [d.child.ref], "consent": "maybe"}},
    ),
    Call(
        "decide-referral",
        "POST",
        "/api/v1/referrals/{id}/decision",
        200,
        lambda d: {
            **_referral(d, ReferralStatus.AWAITING_DECISION),
            "body": {"outcome": "early_help", "rationale": RATIONALE, "version": 1},
        },
        caller="gateway_worker",
    ),
    Call(
        "sign-off-decision",
        "POST",
        "/api/v1/referrals/{id}/sign-off",
        200,
        lambda d: {**_referral(d, ReferralStatus.AWAITING_SIGN_OFF), "body": {"version": 1}},
        caller="team_manager",
    ),
    Call(
        "approve-referral",
        "POST",
        "/api/v1/referrals/{id}/approve",
        200,
        lambda d: {**_referral(d, ReferralStatus.AWAITING_SUPERVISOR), "body": {"version": 1}},
        caller="cru_supervisor",
    ),
]


def test_is4_main_api_operations_with_real_records_conform_to_the_schema(
    api_data: ApiData,
) -> None:
    """Each call in turn, on one set of records (each committed world costs seconds to set up
    and flush on PostgreSQL): ``CALLS`` is in an order where no call changes what a later one
    is aimed at (the stale update comes after the update, the restricted read before the
    break-glass). Every difference is reported, not only the first."""
    problems = []
    for call in CALLS:
        case = schema[call.path][call.method].Case(**call.inputs(api_data))
        headers = api_data.tokens.get(call.caller, {})
        response = case.call(headers=headers)
        if response.status_code != call.status:
            problems.append(f"{call.label}: {response.status_code}, {response.text[:300]}")
            continue
        try:
            case.validate_response(response, checks=CONFORMANCE, headers=headers)
        except Exception as failure:  # schemathesis raises a group of named failures
            problems.append(f"{call.label}: {failure}")
    assert not problems, "\n\n".join(problems)
