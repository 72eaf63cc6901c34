"""Partner systems keep working (#20 item 12; API contract; FD1, FD4, VC1).

A partner system (a school MIS, a police or health record system) built to the API contract
sends only the contract's fields. Its example requests (``contract_examples``, copied verbatim
from the contract) are posted unchanged and must be accepted and read back; every field added
to a referral, person or involvement since the contract must be optional.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.referrals.models import Referral, VoiceMethod
from tests.api import contract_examples as examples
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "API-CONTRACT.md"

# The fields each request names in the API contract ("Resources the front door needs").
CONTRACT_FIELDS = {
    "PersonInputRequest": {
        "kind", "given_name", "family_name", "other_names", "date_of_birth", "expected_date",
        "sex", "nhs_number", "upn", "ethnicity", "first_language", "address",
    },
    "InvolvementInputRequest": {"agency", "role", "professional", "start_date"},
    "ReferralInputRequest": {
        "children", "concern", "voice_of_child", "voice_of_child_absent_reason",
        "parental_awareness", "consent", "strengths", "priority",
    },
    "DecisionInputRequest": {"outcome", "rationale"},
}


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def post(client: Client, path: str, text: str) -> Any:
    """``text`` exactly as the partner system sends it (not re-serialised)."""
    return client.post(path, text, content_type="application/json")


@pytest.fixture
def contract_child(school: Agency) -> str:
    """The child the contract's example referral names, known to the referrer's school."""
    child = PersonFactory(ref=examples.CHILD_ID, given_name="Ela", family_name="Bakr")
    InvolvementFactory(person=child, agency=school)
    return child.ref


def contract_row(contract: str, request: str) -> set[str]:
    """The names the contract's table puts in backticks for ``request`` ("POST /api/v1/people")."""
    for line in contract.splitlines():
        if line.startswith(f"| `{request}` |"):
            return set(re.findall(r"`([a-z0-9_]+)`", line.split("|", 2)[2]))
    raise AssertionError(f"the contract has no row for {request}")


def test_issue20_the_examples_carry_only_the_contracts_fields() -> None:
    """Every field in an example (and in an address) is one the contract names for that request;
    the hand-kept CONTRACT_FIELDS are the contract's too. Checked where the read-only contract
    sits next to the checkout."""
    if not CONTRACT.exists():
        pytest.skip(f"the API contract is not at {CONTRACT}")
    contract = CONTRACT.read_text(encoding="utf-8")
    for request, text in examples.EXAMPLES.items():
        named = contract_row(contract, request)
        body = json.loads(text)
        assert set(body) <= named, (request, set(body) - named)
        for value in body.values():
            if isinstance(value, dict):
                assert set(value) <= named, (request, set(value) - named)
    rows = {
        "PersonInputRequest": "POST /api/v1/people",
        "InvolvementInputRequest": "POST /api/v1/people/{id}/involvements",
        "ReferralInputRequest": "POST /api/v1/referrals",
        "DecisionInputRequest": "POST /api/v1/referrals/{id}/decision",
    }
    for name, request in rows.items():
        assert CONTRACT_FIELDS[name] <= contract_row(contract, request), name


def test_issue20_the_documented_examples_are_the_ones_posted() -> None:
    """docs/api.md shows partner developers exactly the text the tests post."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for request, text in examples.EXAMPLES.items():
        assert f"`{request}`\n```json\n{text}\n```" in docs, request


def test_fd1_vc1_issue20_contract_example_referral_is_accepted_unchanged_and_reads_back(
    school_dsl: User, contract_child: str
) -> None:
    client = api(school_dsl)
    response = post(client, "/api/v1/referrals", examples.REFERRAL)
    assert response.status_code == 201, response.content
    created = response.json()
    assert {"id", "received_at", "decision_due_at"} <= set(created)
    assert created["received_at"] and created["decision_due_at"]

    read = client.get(f"/api/v1/referrals/{created['id']}")
    assert read.status_code == 200
    sent = json.loads(examples.REFERRAL)
    body = read.json()
    for name, value in sent.items():
        assert body[name] == value, name
    # voice_method came after the contract: left out, it is recorded as not stated.
    assert body["voice_method"] == VoiceMethod.NOT_STATED
    assert Referral.objects.get(ref=created["id"]).voice_method == VoiceMethod.NOT_STATED


def test_fd4_issue20_contract_example_decision_is_accepted_unchanged(
    school_dsl: User, gateway_worker: User, contract_child: str
) -> None:
    ref = post(api(school_dsl), "/api/v1/referrals", examples.REFERRAL).json()["id"]
    client = api(gateway_worker)
    response = post(client, f"/api/v1/referrals/{ref}/decision", examples.DECISION)
    assert response.status_code == 200, response.content
    decision = client.get(f"/api/v1/referrals/{ref}").json()["decision"]
    assert decision["outcome"] == json.loads(examples.DECISION)["outcome"]


def test_issue20_contract_example_person_and_involvement_are_accepted_unchanged(
    social_worker: User, school: Agency
) -> None:
    client = api(social_worker)
    response = post(client, "/api/v1/people", examples.PERSON)
    assert response.status_code == 201, response.content
    ref = response.json()["id"]
    person = client.get(f"/api/v1/people/{ref}").json()
    sent = json.loads(examples.PERSON)
    for name in ("kind", "given_name", "family_name", "date_of_birth", "sex", "ethnicity",
                 "first_language"):
        assert person[name] == sent[name], name
    assert person["address"]["postcode"] == sent["address"]["postcode"]

    response = post(client, f"/api/v1/people/{ref}/involvements", examples.INVOLVEMENT)
    assert response.status_code == 201, response.content
    involvements = client.get(f"/api/v1/people/{ref}/involvements").json()["results"]
    assert [(i["agency"], i["role"], i["professional"]) for i in involvements] == [
        (examples.AGENCY_SLUG, "school", "Mrs Gwen Hughes")
    ]


def test_issue20_only_the_contracts_fields_are_required() -> None:
    """Every field added to these requests since the contract is optional (OpenAPI schema)."""
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for name, fields in CONTRACT_FIELDS.items():
        required = set(schemas[name].get("required", []))
        assert required <= fields, f"{name} requires {sorted(required - fields)}"
