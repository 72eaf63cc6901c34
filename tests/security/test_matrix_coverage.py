"""The permission matrix covers everything (IS1): every (record kind, action) cell has probes
or is listed as served by nothing yet, every URL is probed or listed as not about a person's
record, every probe is seen both to allow and to deny, and the pairs proved over HTTP use every
role and every kind of agency. The tables are in ``tests/security/matrix.py``."""

from __future__ import annotations

import itertools

from tests.security.conftest import ALL, INVOLVED, NONE, RuleRow, allowed, expected_scope, walk_urls
from tests.security.matrix import (
    ACTIONS,
    AGENCY_TYPES,
    ENDPOINTS,
    HOME_AGENCY_TYPE,
    HTTP_CELLS,
    HTTP_METHODS,
    NO_ENDPOINT_YET,
    NOT_PERSON_LINKED,
    RECORD_KINDS,
    ROLES,
    http_agency_types,
    types_named_in_default_rules,
)


def test_is1_every_cell_has_probes_or_is_listed_as_without_endpoint() -> None:
    cells = set(itertools.product(RECORD_KINDS, ACTIONS))
    probed = set(ENDPOINTS)
    assert not probed & NO_ENDPOINT_YET, "a cell cannot be both probed and without endpoint"
    assert probed | NO_ENDPOINT_YET == cells, sorted(cells - probed - NO_ENDPOINT_YET)
    assert all(ENDPOINTS[cell] for cell in probed)


def test_is1_http_sample_uses_every_role_and_every_kind_of_agency() -> None:
    assert set(HOME_AGENCY_TYPE) == set(ROLES), "say where a new role usually works"
    picks = http_agency_types()
    assert set(picks) == set(ROLES)
    assert {t for types in picks.values() for t in types} == set(AGENCY_TYPES)
    for role, named in types_named_in_default_rules().items():
        assert named <= set(picks[role]), role


def test_is1_every_url_is_in_the_matrix_or_not_person_linked() -> None:
    covered = {
        tuple(cover.split(" ")[::-1])
        for cell in ENDPOINTS.values()
        for probe in cell
        for cover in probe.covers
    }
    covered_names = {name for name, _ in covered}
    problems = []
    seen = set()
    for name, route, callback in walk_urls():
        seen.add(name)
        if not name:
            problems.append(f"/{route}: has no name, so it cannot be put in the matrix")
        elif name in NOT_PERSON_LINKED:
            continue
        elif name not in covered_names:
            problems.append(f"/{route} ({name}): no probe in ENDPOINTS, not in NOT_PERSON_LINKED")
        else:
            view_class = getattr(callback, "view_class", None)
            for method in HTTP_METHODS if view_class is not None else ():
                if hasattr(view_class, method) and (name, method.upper()) not in covered:
                    problems.append(f"{method.upper()} /{route} ({name}): no probe")
    assert not problems, "\n".join(problems)
    stale = (covered_names | set(NOT_PERSON_LINKED)) - seen
    assert not stale, f"entries for URLs that no longer exist: {sorted(stale)}"


def test_is1_every_probe_is_expected_to_allow_and_to_deny_in_the_sample(
    rule_table: list[RuleRow],
) -> None:
    """A probe's verdict comes from the answer it gets; seeing it both allow and deny (as the
    matrix test does for each one) proves it can tell them apart."""
    one_sided = []
    for (kind, action), cell_probes in ENDPOINTS.items():
        scopes = {
            expected_scope(rule_table, role=r, agency_type=t, record_kind=k, action=a)
            for r, t, k, a in HTTP_CELLS
            if (k, a) == (kind, action)
        }
        for probe in cell_probes:
            targets: list[bool | None] = [True, False] if probe.targeted else [None]
            verdicts = {allowed(scope, involved) for scope in scopes for involved in targets}
            if verdicts != {True, False}:
                one_sided.append(f"{kind}/{action}: {probe.label} only ever {verdicts}")
    assert not one_sided, "\n".join(one_sided)
    every = {
        expected_scope(rule_table, role=r, agency_type=t, record_kind=k, action=a)
        for r, t, k, a in HTTP_CELLS
    }
    assert every == {NONE, INVOLVED, ALL}
