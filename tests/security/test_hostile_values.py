"""A table of hostile values, tried in every field of every API operation (#17, IS4).

Every field of every JSON request body (read from the OpenAPI schema, so a new field is tried
without being listed here) and every query parameter gets each value of ``HOSTILE`` in turn,
the rest of the request being valid and aimed at a record in the right state. Whatever the
value, the answer is never a 5xx; when it is 400 it names the field (``__all__`` only for the
body as a whole); and where the schema says the value cannot be right for the field (a list
for a date, a NUL anywhere, a date of birth in 0001, text over its ``maxLength``, null where
null is not allowed ...) the answer must be that refusal, not a success. Run on SQLite and
PostgreSQL, which differ on NUL and on text longer than a column.

The values are raw JSON, so that what no Python value would serialise (an integer of 401
digits, ``1e400``, a lone surrogate) reaches the server as a client could send it.
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
from tarian.people import merging
from tarian.people.models import Involvement, Person
from tarian.referrals.models import ReferralStatus
from tests.factories import AgencyFactory, PersonFactory, UserFactory
from tests.people.test_merging import REASON as MERGE_REASON
from tests.people.test_merging import candidate, duplicate_of
from tests.security.conftest import REASON, make_referral

pytestmark = pytest.mark.django_db

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


def _resolve(prop: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return _resolve(SCHEMA["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]])
    if "allOf" in prop:
        return {**_resolve(prop["allOf"][0]), **{k: v for k, v in prop.items() if k != "allOf"}}
    if "oneOf" in prop:  # an enum that also allows blank or null
        return {"enum": [v for o in prop["oneOf"] for v in _resolve(o).get("enum", [])], **prop}
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
        prop = _resolve(raw)
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
    body = _resolve(content["schema"])
    return _fields(body.get("properties", {}), body.get("required", []))


def query_fields(method: str, path: str) -> list[Field]:
    operation = SCHEMA["paths"][path][method.lower()]
    return [
        Field((p["name"],), _kind(_resolve(p.get("schema", {}))), False, None, None)
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


def _unseen_child(w: World) -> tuple[str, dict[str, Any]]:
    """A referral naming a child its referrer could not see (#20 item 8), fresh each call,
    and the Gateway's rejection of the record it points to."""
    from tarian.referrals.models import Referral, UnseenChild

    referral = Referral.objects.get(ref=w.referral(ReferralStatus.AWAITING_DECISION))
    row = UnseenChild.objects.create(referral=referral, position=1, person=w.child,
                                     given_name="Gwen")
    return f"/api/v1/referrals/{referral.ref}/unseen-children/{row.pk}", {
        "action": "reject", "child": "", "version": referral.version,
        "reason": "The record is a child who moved away in 2019; this one attends here.",
    }


CHALLENGE_KIND = "hostile_decision"
CHALLENGE_REASON = (
    "The decision leaves out the school's record of three unexplained bruises this term and "
    "the child's account of being hit at home."
)


def _challengeable() -> None:
    """A decision anyone may see, challenge and answer (PC1): no workflow registers one yet."""
    from tarian.challenges.about import register_challengeable

    register_challengeable(
        CHALLENGE_KIND, label=lambda: "Hostile decision", describe=lambda user, ids: {},
        may_see=lambda user, ids: set(ids), may_challenge=lambda user, about_id: True,
        responders=lambda about_id, tier: [], may_respond=lambda user, about_id, tier: True,
    )


def _new_challenge(w: World) -> tuple[str, dict[str, Any]]:
    _challengeable()
    return "/api/v1/challenges", {
        "about": {"kind": CHALLENGE_KIND, "id": "H-1"}, "reason": CHALLENGE_REASON,
    }


def _challenge(w: World, action: str) -> tuple[str, dict[str, Any]]:
    from tarian.challenges.services import raise_challenge

    _challengeable()
    challenge = raise_challenge(w.users["social_worker"], about_kind=CHALLENGE_KIND,
                                about_id="H-1", reason=CHALLENGE_REASON)
    body: dict[str, Any] = (
        {"reason": CHALLENGE_REASON, "version": 1} if action == "escalate"
        else {"text": CHALLENGE_REASON, "resolved": False, "version": 1}
    )
    return f"/api/v1/challenges/{challenge.pk}/{action}", body


@pytest.fixture
def world(db: None) -> World:
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


RATIONALE = "The school's support plan meets the need; no risk of significant harm is known."


def _person_version(w: World) -> int:
    return Person.objects.values_list("version", flat=True).get(pk=w.child.pk)


def _ending(w: World) -> tuple[str, dict[str, Any]]:
    involvement = Involvement.objects.filter(person=w.child).order_by("pk").first()
    assert involvement is not None
    return f"/api/v1/involvements/{involvement.pk}/end", {
        "version": involvement.version,
        "end_date": "2025-07-18",
        "reason": "Left the school",
    }


def _merging(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    duplicate = duplicate_of(keep)
    pair = candidate(keep, duplicate)
    return f"/api/v1/people/{keep.ref}/merge", {
        "merge": duplicate.ref,
        "reason": MERGE_REASON,
        "candidate": pair.pk,
    }


def _undoing(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    merge = merging.merge_people(
        w.users["team_manager"],
        keep_ref=keep.ref,
        merge_ref=duplicate_of(keep).ref,
        reason=MERGE_REASON,
    )
    return f"/api/v1/merges/{merge.pk}/undo", {"reason": "Two different children after all"}


def _not_same(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    pair = candidate(keep, duplicate_of(keep))
    return f"/api/v1/duplicates/{pair.pk}/not-same", {"note": "Twins: different children"}


def _completing(w: World) -> tuple[str, dict[str, Any]]:
    """A fresh agreed action of the social worker's agency, and its outcome (SM3)."""
    from django.utils import timezone

    from tarian.actions.services import agree_action

    action = agree_action(
        w.users["team_manager"], subject_kind="hostile_test", subject_id="1",
        description="Visit the child at home", owner_agency=w.agency,
        due_date=timezone.localdate(),
    )
    return f"/api/v1/actions/{action.pk}/complete", {
        "outcome": "Visited on Tuesday; the child was seen alone.", "version": action.version,
    }


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the schema
    caller: str
    valid: Callable[[World], tuple[str, dict[str, Any]]]  # a fresh target and a valid body


NEW_CHILD = {
    "kind": "child",
    "given_name": "Newydd",
    "family_name": "Prawf",
    "other_names": ["Mair"],
    "known_as": "Newi",
    "date_of_birth": "2016-03-04",
    "sex": "female",
    "ethnicity": "",
    "first_language": "cy",
    "welsh_active_offer": "accepted",
    "interpreter_needed": False,
    "nhs_number": "",
    "upn": "",
    "address": {"line1": "3 Lôn Las", "line2": "", "town": "Aberwen", "postcode": "LL77 7AB"},
}
NEW_REFERRAL = {
    "concern": "Bruising seen on the child's arm at school; she said she fell.",
    "voice_of_child": "She said she fell off the wall in the park.",
    "voice_method": "own_words",
    "voice_language": "cy",
    "voice_of_child_absent_reason": "",
    "parental_awareness": "aware",
    "consent": "given",
    "strengths": "Close to her nain.",
    "other_professionals": "",
    "household": [],
    "household_notes": "",
    "priority": "standard",
}

OPERATIONS = [
    Operation("POST", "/api/v1/people", "social_worker", lambda w: ("/api/v1/people", NEW_CHILD)),
    Operation(
        "PATCH",
        "/api/v1/people/{id}",
        "social_worker",
        lambda w: (
            f"/api/v1/people/{w.child.ref}",
            {
                "version": _person_version(w),
                "reason": "Hostile input check",
                "known_as": "Gwen",
            },
        ),
    ),
    Operation(
        "POST",
        "/api/v1/people/{id}/involvements",
        "social_worker",
        lambda w: (
            f"/api/v1/people/{w.child.ref}/involvements",
            {
                "agency": w.school.slug,
                "role": "school",
                "professional": "Mr Jones",
                "team": "",
                "start_date": "2025-01-06",
            },
        ),
    ),
    Operation("POST", "/api/v1/involvements/{involvement_id}/end", "social_worker", _ending),
    Operation(
        "POST",
        "/api/v1/people/{id}/break-glass",
        "social_worker",
        lambda w: (f"/api/v1/people/{w.restricted.ref}/break-glass", {"reason": REASON}),
    ),
    Operation(
        "POST",
        "/api/v1/referrals",
        "social_worker",
        lambda w: ("/api/v1/referrals", {**NEW_REFERRAL, "children": [w.child.ref]}),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/decision",
        "gateway_worker",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_DECISION)}/decision",
            {
                "outcome": "early_help",
                "rationale": RATIONALE,
                "threshold_level": "",
                "version": 1,
            },
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/sign-off",
        "team_manager",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_SIGN_OFF)}/sign-off",
            {"comment": "Agreed", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/approve",
        "cru_supervisor",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_SUPERVISOR)}/approve",
            {"comment": "Sent on", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/resubmit",
        "officer",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.RETURNED_TO_REFERRER)}/resubmit",
            {"answer": "Both children were seen alone and said what happened.", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/unseen-children/{unseen_id}",
        "gateway_worker",
        lambda w: _unseen_child(w),
    ),
    Operation("POST", "/api/v1/people/{id}/merge", "team_manager", _merging),
    Operation("POST", "/api/v1/merges/{merge_id}/undo", "team_manager", _undoing),
    Operation("POST", "/api/v1/duplicates/{id}/not-same", "team_manager", _not_same),
    Operation("POST", "/api/v1/challenges", "social_worker", _new_challenge),
    Operation("POST", "/api/v1/challenges/{id}/escalate", "social_worker",
              lambda w: _challenge(w, "escalate")),
    Operation("POST", "/api/v1/challenges/{id}/respond", "social_worker",
              lambda w: _challenge(w, "respond")),
    Operation("POST", "/api/v1/actions/{id}/complete", "social_worker", _completing),
]


MEETING_RATIONALE = (
    "Bruising seen twice and an account from the child of being grabbed at home: joint "
    "enquiries with the police are needed to keep the child safe."
)


def _meeting(w: World, *, held: bool = False, decided: bool = False, minutes: bool = False) -> Any:
    """A fresh strategy meeting about the child, chaired by the team manager (issue 21)."""
    import datetime as dt

    from django.utils import timezone

    from tarian.meetings import services as meetings
    from tarian.strategy.services import convene_strategy_meeting

    chair = w.users["team_manager"]
    meeting, _created = convene_strategy_meeting(chair, children=[w.child.ref], kind="meeting")
    if held:
        meetings.record_held(chair, meeting_id=meeting.pk,
                             held_at=timezone.now() - dt.timedelta(hours=1))
    if decided:
        meetings.record_meeting_decision(chair, meeting_id=meeting.pk,
                                         list_name="strategy_decisions", code="section_47",
                                         rationale=MEETING_RATIONALE)
    if minutes:
        meetings.save_minutes(chair, meeting_id=meeting.pk, text="Present: all invited.")
    return meeting


def _meeting_call(suffix: str, body: Callable[[World, Any], dict[str, Any]], **state: bool
                  ) -> Callable[[World], tuple[str, dict[str, Any]]]:
    def valid(w: World) -> tuple[str, dict[str, Any]]:
        meeting = _meeting(w, **state)
        return f"/api/v1/strategy-meetings/{meeting.pk}/{suffix}", body(w, meeting)
    return valid


def _an_hour_ago() -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def _enquiry(w: World) -> Any:
    from tarian.enquiries.services import start_enquiry

    meeting = _meeting(w, held=True, decided=True)
    return start_enquiry(w.users["team_manager"], strategy_meeting_id=meeting.pk, type="joint",
                         rationale=MEETING_RATIONALE)


def _new_agency_slug() -> str:
    return str(AgencyFactory.create(type=AgencyType.HOUSING).slug)


MEETING_OPERATIONS = [
    Operation("POST", "/api/v1/strategy-meetings", "team_manager", lambda w: (
        "/api/v1/strategy-meetings", {
            "children": [w.child.ref], "referral": "", "kind": "meeting",
            "scheduled_for": _an_hour_ago(), "chair": "", "chair_role": "Team manager",
            "chair_seniority": "Service manager",
        })),
    Operation("POST", "/api/v1/strategy-meetings/{id}/exclusions", "team_manager",
              _meeting_call("exclusions", lambda w, m: {
                  "agency": w.school.slug, "reason": "The school sent a report instead."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/invitations", "team_manager",
              _meeting_call("invitations", lambda w, m: {
                  "agency": _new_agency_slug(), "reason": "The family's landlord."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/answer", "social_worker",
              _meeting_call("answer", lambda w, m: {
                  "status": "declined", "reason": "On leave", "information": "",
                  "audience": "invited"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/information", "social_worker",
              _meeting_call("information", lambda w, m: {
                  "text": "Attendance 81 % this term.", "audience": "statutory"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/held", "team_manager",
              _meeting_call("held", lambda w, m: {
                  "held_at": _an_hour_ago(), "attended": [w.school.slug],
                  "risk_analysis": "The risk is high while the father lives at home."})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/decisions", "team_manager",
              _meeting_call("decisions", lambda w, m: {
                  "decision": "section_47", "rationale": MEETING_RATIONALE,
                  "child": w.child.ref})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/actions", "team_manager",
              _meeting_call("actions", lambda w, m: {
                  "owner_agency": w.school.slug, "owner": "",
                  "description": "Send the attendance record to the social worker.",
                  "due_date": "2027-01-08"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/dissents", "social_worker",
              _meeting_call("dissents", lambda w, m: {
                  "reason": "The risk is higher than the meeting found.", "decision": None,
                  "what": "The decision not to involve the police"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/addenda", "team_manager",
              _meeting_call("addenda", lambda w, m: {
                  "text": "Agreed by phone: the school nurse sees her on Monday.",
                  "agreed_on": _an_hour_ago()[:10], "agreed_with": "School"})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/minutes", "team_manager",
              _meeting_call("minutes", lambda w, m: {
                  "text": "Present: school, police, children's services.", "translation": "",
                  "language": "en", "version": 0})),
    Operation("POST", "/api/v1/strategy-meetings/{id}/minutes/approve", "team_manager",
              _meeting_call("minutes/approve", lambda w, m: {"version": 1}, held=True,
                            minutes=True)),
    Operation("POST", "/api/v1/enquiries", "team_manager", lambda w: (
        "/api/v1/enquiries", {
            "strategy_meeting": _meeting(w, held=True, decided=True).pk,
            "children": [w.child.ref], "type": "joint", "rationale": MEETING_RATIONALE,
            "concern": "physical", "lead": "",
        })),
    Operation("POST", "/api/v1/enquiries/{id}/child-seen", "team_manager", lambda w: (
        f"/api/v1/enquiries/{_enquiry(w).pk}/child-seen", {
            "child": w.child.ref, "seen_at": _an_hour_ago(), "seen_alone": True,
            "views": "'I want Nain there.'", "voice_method": "own_words", "language": "cy",
        })),
    Operation("POST", "/api/v1/enquiries/{id}/outcome", "team_manager", lambda w: (
        f"/api/v1/enquiries/{_enquiry(w).pk}/outcome", {
            "outcome": "concerns_not_substantiated", "analysis": MEETING_RATIONALE,
            "child_not_seen_reason": "In hospital; the ward sister shared her views.",
            "request_conference": False, "version": 1,
        })),
]

QUERIES = [
    Operation(
        "GET", "/api/v1/people", "social_worker", lambda w: ("/api/v1/people", {"q": "Prawf"})
    ),
    Operation(
        "GET",
        "/api/v1/people/match",
        "social_worker",
        lambda w: (
            "/api/v1/people/match",
            {
                "given_name": "Gelyniaethus",
                "family_name": "Prawf",
                "date_of_birth": "2016-03-04",
                "postcode": "LL77 7AB",
                "nhs_number": "",
            },
        ),
    ),
    Operation(
        "GET",
        "/api/v1/children/{id}/chronology",
        "social_worker",
        lambda w: (f"/api/v1/children/{w.child.ref}/chronology", {"since": "2020-01-01"}),
    ),
    Operation("GET", "/api/v1/referrals", "social_worker", lambda w: ("/api/v1/referrals", {})),
    Operation("GET", "/api/v1/duplicates", "team_manager", lambda w: ("/api/v1/duplicates", {})),
    Operation(
        "GET",
        "/api/v1/people/{id}/access-log",
        "team_manager",
        lambda w: (f"/api/v1/people/{w.child.ref}/access-log", {}),
    ),
    # QA1: the board's counts (months and a timescale code in the query).
    Operation(
        "GET",
        "/api/v1/deadlines/counts",
        "team_manager",
        lambda w: ("/api/v1/deadlines/counts", {"since": "2026-01", "until": "2026-06"}),
    ),
]


def test_is4_every_json_operation_is_in_the_table() -> None:
    """A new operation that reads JSON must be added above, with a valid body."""
    reading_json = {
        (method.upper(), path)
        for path, item in SCHEMA["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert reading_json == {(o.method, o.path) for o in [*OPERATIONS, *MEETING_OPERATIONS]}


# --- The calls -------------------------------------------------------------------------------


def _names(field_name: str, errors: dict[str, Any]) -> bool:
    return any(
        key == field_name or key.startswith((f"{field_name}.", f"{field_name}[")) for key in errors
    )


def _judge(label: str, field_: Field, value: Hostile, response: Any) -> str | None:
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


def _with(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """``body`` with the field at ``path`` replaced by the placeholder."""
    changed = json.loads(json.dumps(body))
    target = changed
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = PLACEHOLDER
    return changed


@pytest.mark.parametrize("operation", [*OPERATIONS, *MEETING_OPERATIONS],
                         ids=lambda o: f"{o.method} {o.path}")
def test_is4_hostile_values_in_every_field_are_refused_by_name_never_a_server_error(
    operation: Operation, world: World
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
            raw = json.dumps(_with(body, field_.path)).replace(f'"{PLACEHOLDER}"', value.literal)
            response = client.generic(operation.method, path, raw, content_type="application/json")
            problem = _judge(f"{operation.method} {operation.path}", field_, value, response)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", QUERIES, ids=lambda o: f"{o.method} {o.path}")
def test_is4_hostile_query_parameters_are_refused_by_name_never_a_server_error(
    operation: Operation, world: World
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
            problem = _judge(f"GET {operation.path}", as_query, value, response)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)
