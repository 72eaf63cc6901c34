"""The permission matrix (IS1), generated from the sharing rules and proved through pages and API.

Every role x kind of agency x kind of record x action has an expected scope (none, involved,
all) re-derived here from the ``SharingRule`` rows, not from ``scope_for``; the first tests
check that ``scope_for`` agrees for all of them. The matrix is then proved over HTTP: each
(record kind, action) that has pages or API endpoints has probes in ``ENDPOINTS`` that call
them as a user holding just that role, against a child the user's agency is currently involved
with and one it is not, and say whether the call was allowed. ``NO_ENDPOINT_YET`` lists the
cells nothing serves yet, and a URL coverage test fails when a URL is neither probed nor
explicitly not person-linked, so that a new endpoint cannot arrive without its matrix entry.

Every request a probe makes also proves IS4 (``conftest.AuditedClient``): a successful answer
that shows a person's data (their Tarian ID, or their given name where no one else has it,
unless the caller sent it) must have written an access event about that person, or the probe
fails.

The tables and how the (role, agency type) pairs proved over HTTP are chosen are in
``tests/security/matrix.py``; that they cover every cell and URL, in ``test_matrix_coverage.py``.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable

import pytest

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, AgencyType, RecordKind, RoleCode, SharingRule
from tarian.agencies.sharing import DEFAULT_RULES_FILE
from tests.factories import AgencyFactory, PersonFactory, UserFactory
from tests.security.conftest import (
    ALL,
    INVOLVED,
    NONE,
    RuleRow,
    World,
    expected_scope,
)
from tests.security.matrix import (
    ACTIONS,
    AGENCY_TYPES,
    ENDPOINTS,
    HTTP_CELLS,
    RECORD_KINDS,
    ROLES,
    cell_id,
    wrong_answers,
)

# --- scope_for against the rule table, every cell -------------------------------------------


@pytest.mark.parametrize(
    ("role", "agency_type"),
    list(itertools.product(ROLES, AGENCY_TYPES)),
    ids=lambda value: str(value),
)
def test_is1_scope_for_agrees_with_the_rule_table(
    role: str, agency_type: str, rule_table: list[RuleRow]
) -> None:
    """Every (record kind, action) cell of one role in one kind of agency, in one case."""
    user = UserFactory.create(agency=AgencyFactory.create(type=agency_type), roles=[role])
    wrong = []
    for kind, action in itertools.product(RECORD_KINDS, ACTIONS):
        expected = expected_scope(
            rule_table, role=role, agency_type=agency_type, record_kind=kind, action=action
        )
        got = scope_for(user, kind, action)
        if got != expected:
            wrong.append(f"{role}-{agency_type}-{kind}-{action}: rules say {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_is1_rule_table_is_the_default_rules_file(rule_table: list[RuleRow]) -> None:
    """The table the matrix is derived from is exactly the shipped agreement, expanded anew."""
    data = tomllib.loads(DEFAULT_RULES_FILE.read_text())
    expected: dict[tuple[str, str, str, str], str] = {}
    for rule in data["rule"]:
        assert data["lawful_basis"][rule["basis"]], "every rule names a lawful basis"
        for role, agency_type, kind, action in itertools.product(
            rule["roles"], rule["agency_types"], rule["record_kinds"], rule["actions"]
        ):
            expected["" if agency_type == "*" else agency_type, role, kind, action] = rule["scope"]
    assert {row[:4]: row.scope for row in rule_table} == expected


def test_is1_widest_role_wins_and_inactive_means_nothing(rule_table: list[RuleRow]) -> None:
    agency = AgencyFactory.create(type=AgencyType.CHILDRENS_SERVICES)
    both = UserFactory.create(agency=agency, roles=[RoleCode.DSL, RoleCode.TEAM_MANAGER])
    for kind, action in itertools.product(RECORD_KINDS, ACTIONS):
        scopes = [
            expected_scope(
                rule_table, role=role, agency_type=agency.type, record_kind=kind, action=action
            )
            for role in (RoleCode.DSL, RoleCode.TEAM_MANAGER)
        ]
        widest = ALL if ALL in scopes else INVOLVED if INVOLVED in scopes else NONE
        assert scope_for(both, kind, action) == widest, (kind, action)
    left = UserFactory.create(agency=agency, roles=[RoleCode.TEAM_MANAGER], is_active=False)
    closed = UserFactory.create(
        agency=AgencyFactory.create(type=AgencyType.CHILDRENS_SERVICES, is_active=False),
        roles=[RoleCode.TEAM_MANAGER],
    )
    nowhere = UserFactory.create(agency=None, roles=[RoleCode.TEAM_MANAGER])
    for user in (left, closed, nowhere):
        assert all(
            scope_for(user, kind, action) == NONE
            for kind, action in itertools.product(RECORD_KINDS, ACTIONS)
        )


# --- The matrix through the pages and the API -----------------------------------------------


@pytest.mark.parametrize(
    ("role", "agency_type", "record_kind", "action"),
    HTTP_CELLS,
    ids=[cell_id(c) for c in HTTP_CELLS],
)
def test_is1_pages_and_api_enforce_the_matrix(
    role: str,
    agency_type: str,
    record_kind: str,
    action: str,
    rule_table: list[RuleRow],
    make_world: Callable[[str, str], World],
) -> None:
    scope = expected_scope(
        rule_table, role=role, agency_type=agency_type, record_kind=record_kind, action=action
    )
    world = make_world(role, agency_type)
    wrong = wrong_answers(world, record_kind, action, scope)
    assert not wrong, "\n".join(wrong)


def test_is1_the_probes_notice_a_stored_rule_wider_than_the_matrix(
    rule_table: list[RuleRow], make_world: Callable[[str, str], World]
) -> None:
    """Self-test: widen a DSL's person/read to ``all`` behind the matrix's back; every probe
    of the cell must then report the other school's child as wrongly allowed."""
    scope = expected_scope(
        rule_table,
        role=RoleCode.DSL,
        agency_type=AgencyType.SCHOOL,
        record_kind=RecordKind.PERSON,
        action=Action.READ,
    )
    assert scope == INVOLVED
    SharingRule.objects.filter(
        role=RoleCode.DSL, record_kind=RecordKind.PERSON, action=Action.READ
    ).update(scope=ALL)
    world = make_world(RoleCode.DSL, AgencyType.SCHOOL)
    wrong = wrong_answers(world, RecordKind.PERSON, Action.READ, scope)
    probes_of_cell = ENDPOINTS[(RecordKind.PERSON, Action.READ)]
    assert len(wrong) == len(probes_of_cell), "\n".join(wrong)
    assert all("other child: scope involved should deny, but it was allowed" in w for w in wrong)


def test_is4_the_probes_notice_a_read_that_writes_no_access_event(
    make_world: Callable[[str, str], World], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Self-test: every probe's requests go through ``AuditedClient``, which fails an answer
    showing a person's data when the request wrote no access event about them. With the
    person page's and API's audit switched off, both probes of the record must say so."""
    monkeypatch.setattr("tarian.people.selectors._audit_view", lambda *args, **kwargs: None)
    world = make_world(RoleCode.SOCIAL_WORKER, AgencyType.CHILDRENS_SERVICES)
    wrong = [
        w for w in wrong_answers(world, RecordKind.PERSON, Action.READ, ALL)
        if "wrote no access event" in w
    ]
    labels = {w.split(" / ")[0] for w in wrong}
    assert {"web person page", "API person"} <= labels, "\n".join(wrong)


def test_is4_an_answer_that_repeats_what_was_sent_shows_no_one(
    make_world: Callable[[str, str], World],
) -> None:
    """The check counts a person shown only when the caller did not send their marker: a name
    typed into a search that finds nobody is not a read of that person."""
    world = make_world(RoleCode.DSL, AgencyType.SCHOOL)
    response = world.web.get("/people/search", {"q": world.uninvolved.given_name})
    assert response.status_code == 200
    assert world.uninvolved.given_name in response.content.decode()
    assert world.uninvolved.ref not in response.content.decode()


@pytest.mark.parametrize(
    ("how", "visible"),
    [("recorded by the agency", True), ("involvement not started", False)],
)
def test_is1_involved_scope_edges_through_page_and_api(
    how: str, visible: bool, make_world: Callable[[str, str], World]
) -> None:
    """``involved`` also covers people the agency recorded itself; a future start does not."""
    world = make_world(RoleCode.DSL, AgencyType.SCHOOL)
    if visible:
        person = PersonFactory.create(given_name="Cofnod", created_by_agency=world.agency)
    else:
        person = PersonFactory.create(given_name="Dyfodol")
        world.own_future_involvement(person)
    page = world.web.get(f"/people/{person.ref}")
    api = world.api.get(f"/api/v1/people/{person.ref}")
    assert (page.status_code, api.status_code) == ((200, 200) if visible else (404, 404))
