"""The matching benchmark's generator (bench/matching/data.py): reproducible, and as hard as the
issue asks: twins, children without NHS numbers, queries about children not known, every kind
of corruption. No database: the population is planned in memory."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from functools import cache

import pytest

from bench.matching.data import (
    KINDS,
    NameVariants,
    Population,
    Query,
    generate_population,
    load_name_variants,
    make_queries,
    typo,
)
from bench.matching.metrics import Answer, evaluate, sweep
from tarian.core.text import fold

CHILDREN = 4000
QUERIES = 1000
SEED = 11


@cache
def _generated(random_seed: int = SEED) -> tuple[Population, list[Query]]:
    population = generate_population(children=CHILDREN, random_seed=random_seed, queries=QUERIES)
    return population, make_queries(population, QUERIES, random_seed=random_seed)


@pytest.fixture
def population() -> Population:
    return _generated()[0]


@pytest.fixture
def queries() -> list[Query]:
    return _generated()[1]


def test_the_same_seed_gives_the_same_population_and_queries(
    population: Population, queries: list[Query]
) -> None:
    again = generate_population(children=CHILDREN, random_seed=SEED, queries=QUERIES)
    assert again.digest == population.digest
    assert again.rows == population.rows
    assert [q.to_json() for q in make_queries(again, QUERIES, random_seed=SEED)] == [
        q.to_json() for q in queries
    ]


def test_another_seed_gives_another_population(population: Population) -> None:
    other = generate_population(children=500, random_seed=SEED + 1, queries=50)
    assert other.digest != population.digest


def test_about_as_many_children_as_asked_with_their_families(population: Population) -> None:
    summary = population.summary()
    assert abs(summary["children"] - CHILDREN) < 0.03 * CHILDREN
    assert summary["adults"] > 0.8 * summary["children"]
    assert population.people == len(population.rows)


def test_fifteen_percent_of_children_have_no_nhs_number(population: Population) -> None:
    share = population.summary()["children_without_nhs_share"]
    assert 0.13 < share < 0.17


def test_twins_share_surname_date_of_birth_and_home(population: Population) -> None:
    twins = [c for c in population.known if c.twin]
    assert len(twins) > 0.01 * len(population.known)
    by_household: dict[int, list[dt.date]] = {}
    for child in twins:
        by_household.setdefault(child.household, []).append(child.date_of_birth)
    pairs = [dates for dates in by_household.values() if len(dates) == 2]
    assert pairs
    assert all(a == b for a, b in pairs)


def test_households_of_siblings_share_surname_and_postcode(population: Population) -> None:
    homes: dict[int, set[tuple[str, str]]] = {}
    for child in population.known:
        homes.setdefault(child.household, set()).add((child.family_name, child.postcode))
    shared = [h for h in homes.values() if len(h) == 1]
    assert len(shared) > 0.8 * len(homes)


def test_twelve_percent_of_queries_are_about_children_not_known(queries: list[Query]) -> None:
    not_known = [q for q in queries if not q.known]
    assert abs(len(not_known) / len(queries) - 0.12) < 0.01
    kinds = Counter(q.not_known_kind for q in not_known)
    assert kinds["sibling"] > 0  # the hard ones: a loaded family's surname and postcode
    assert set(kinds) <= {"sibling", "twin", "family"}


def test_about_a_third_of_queries_have_no_nhs_number(queries: list[Query]) -> None:
    share = sum(1 for q in queries if not q.nhs_number) / len(queries)
    assert abs(share - 1 / 3) < 0.05


def test_every_kind_of_corruption_occurs_at_most_three_per_query(queries: list[Query]) -> None:
    seen = Counter(k for q in queries for k in q.corruptions)
    assert set(seen) == set(KINDS)
    counts = Counter(len(q.corruptions) for q in queries)
    assert set(counts) == {0, 1, 2, 3}
    for q in queries:
        fields = [KINDS[k][0] for k in q.corruptions]
        assert len(fields) == len(set(fields))  # at most one per field


def test_each_query_truth_is_a_loaded_child_and_never_a_held_out_one(
    population: Population, queries: list[Query]
) -> None:
    loaded = {c.ref for c in population.known}
    held_out = {c.ref for c in population.not_loaded}
    rows = {row[0] for row in population.rows}
    assert not loaded & held_out
    assert not held_out & rows
    for q in queries:
        if q.known:
            assert q.truth in loaded
            assert q.truth in rows
        else:
            assert q.true_values["ref"] in held_out


def test_a_query_without_corruptions_is_the_child_as_recorded(
    population: Population, queries: list[Query]
) -> None:
    children = {c.ref: c for c in population.known}
    plain = [q for q in queries if q.known and not q.corruptions]
    assert plain
    for q in plain:
        child = children[q.truth]
        assert (q.given_name, q.family_name, q.date_of_birth, q.postcode) == (
            child.given_name,
            child.family_name,
            child.date_of_birth.isoformat(),
            child.postcode,
        )
        assert q.nhs_number in ("", child.nhs_number)


def test_corruptions_change_what_they_say(queries: list[Query]) -> None:
    for q in queries:
        truth = q.true_values
        for kind in q.corruptions:
            if kind == "missing_given":
                assert not q.given_name
            elif kind in ("typo_given", "nickname", "welsh_english"):
                assert q.given_name != truth["given_name"]
            elif kind in ("typo_family", "hyphenated_surname", "changed_surname"):
                assert fold(q.family_name) != fold(truth["family_name"])
            elif kind == "missing_dob":
                assert not q.date_of_birth
            elif kind in ("day_month_swapped", "dob_one_day"):
                assert q.date_of_birth not in ("", truth["date_of_birth"])
            elif kind == "moved":
                assert q.postcode not in ("", truth["postcode"])
            elif kind == "missing_postcode":
                assert not q.postcode


def test_typos_are_one_edit_and_keep_the_first_letter() -> None:
    rng = random.Random(3)
    for name in ("Gwenllian", "Jones", "Prydderch", "O'Brien", "Harris-Baker"):
        for _ in range(50):
            wrong = typo(name, rng)
            assert fold(wrong) != fold(name)
            assert wrong[0] == name[0]
            assert abs(len(wrong) - len(name)) <= 1


def test_name_variants_know_welsh_and_english_forms_and_nicknames() -> None:
    variants: NameVariants = load_name_variants()
    assert "David" in variants.forms_of("Dafydd")
    assert "Sian" in variants.forms_of("Siân")
    assert variants.nicknames_of("William")


def test_metrics_score_top1_precision_recall_and_not_known() -> None:
    queries = [
        Query("Q1", "A", "B", "", "", "", "T1", ()),
        Query("Q2", "A", "B", "", "", "", "T2", ()),
        Query("Q3", "A", "B", "", "", "", "", ("moved",), not_known_kind="sibling"),
    ]
    answers = {
        "Q1": Answer("match", [("T1", 0.99)]),
        "Q2": Answer("possible", [("T9", 0.6), ("T2", 0.5)]),
        "Q3": Answer("match", [("T7", 0.97)]),
    }
    found = evaluate(queries, answers)
    assert found["top1_precision"] == 0.5
    assert found["top1_recall"] == 0.5
    assert found["top3_recall"] == 1.0
    assert found["not_known_no_match"] == 0.0
    best = sweep(queries, answers)
    assert best.threshold == 0.99
    assert best.recall == 0.5


def test_f1_is_the_harmonic_mean_of_precision_and_recall() -> None:
    from bench.matching.metrics import f1

    assert f1(1.0, 0.917) == pytest.approx(0.9567, abs=1e-4)
    assert f1(None, 0.5) is None and f1(0.0, 0.0) is None
