"""Splink 5 (DuckDB backend) on the benchmark's population and queries (optional ``bench`` extra).

- Input: one row per loaded person (ref, given name, surname, date of birth, current postcode,
  NHS number), and one per query; names folded (lower case, no accents) as a Splink user would
  clean them, with Metaphone codes for blocking (DuckDB has no phonetic functions).
- Model: ``NameComparison`` (Jaro-Winkler levels, term-frequency adjusted) for given name and
  surname, ``DateOfBirthComparison``, ``PostcodeComparison``, ``ExactMatch`` on NHS number;
  nulls are "missing". Blocking like Tarian's keys: NHS number; date of birth; surname and
  given-name sounds; postcode and given-name sound; postcode and year of birth.
- Training, Splink's own and unsupervised: the prior from deterministic rules, ``u`` from random
  pairs, ``m`` by expectation-maximisation over blocked pairs of the link job (queries against
  the population: that is where the matches are; the population alone has no duplicates),
  in two sessions blocked on the NHS number and on the date of birth (``DEFAULT_EM_RULES``).
  The truth is never used.
- Batch: ``linker.inference.predict()`` on the link job (each query's best candidates), and a
  dedupe of the whole population with the trained model (records per second, against
  ``tarian dedupe``).
- Real time: Splink 5 has no ``find_matches_to_new_records`` or ``compare_two_records``
  any more; one record against the population is ``linker.inference.predict_between(population,
  record)`` (``score_pair`` scores one given pair, without blocking). Timed for a sample.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import jellyfish
from tqdm import tqdm

from bench.matching.data import PersonRow, Query
from bench.matching.metrics import Answer
from tarian.core.text import fold

# Expectation-maximisation sessions, each blocked on these columns; each comparison is
# estimated in a session that does not block on its column. Blocked on the NHS number, nearly
# every pair is a match, so EM learns how the other fields go wrong; blocked on the date of
# birth it learns the NHS number. (A session blocked on the name sounds converged on "same
# name" rather than "same child": m for an exact date of birth came out at 0.02.)
DEFAULT_EM_RULES: tuple[tuple[str, ...], ...] = (("nhs_number",), ("dob",))
LinkType = Literal["link_only", "link_and_dedupe", "dedupe_only"]
POPULATION = "population"
QUERIES = "queries"
COLUMNS = (
    "unique_id", "first_name", "surname", "dob", "postcode", "nhs_number",
    "first_name_mp", "surname_mp",
)  # fmt: skip


def _clean_name(name: str) -> str | None:
    folded = fold(name)
    return folded or None


def _sound(name: str | None) -> str | None:
    if not name:
        return None
    return jellyfish.metaphone(name.replace(" ", "")) or None


def _record(
    uid: str, given: str, family: str, dob: str, postcode: str, nhs: str
) -> dict[str, str | None]:
    first, surname = _clean_name(given), _clean_name(family)
    return {
        "unique_id": uid,
        "first_name": first,
        "surname": surname,
        "dob": dob or None,
        "postcode": postcode.upper() or None,
        "nhs_number": nhs or None,
        "first_name_mp": _sound(first),
        "surname_mp": _sound(surname),
    }


def population_table(rows: Sequence[PersonRow]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    columns: dict[str, list[str | None]] = {name: [] for name in COLUMNS}
    for row in rows:
        for name, value in _record(*row).items():
            columns[name].append(value)
    return pa.table(columns)


def query_record(query: Query) -> dict[str, str | None]:
    return _record(
        query.id,
        query.given_name,
        query.family_name,
        query.date_of_birth,
        query.postcode,
        query.nhs_number,
    )


def query_table(queries: Sequence[Query]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist([query_record(q) for q in queries])


def settings(link_type: LinkType = "link_only") -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("nhs_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nhs_number"),
            block_on("dob"),
            block_on("surname_mp", "first_name_mp"),
            block_on("postcode", "first_name_mp"),
            block_on("postcode", "substr(dob, 1, 4)"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


@dataclass
class SplinkRun:
    answers: dict[str, Answer] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    realtime: list[float] = field(default_factory=list)
    realtime_agreement: float = 0.0
    link_pairs: int = 0
    dedupe: dict[str, Any] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)
    version: str = ""
    notes: list[str] = field(default_factory=list)


def _count(con: Any, table: str) -> int:
    rows = con.sql(f"select count(*) from {table}").fetchall()  # noqa: S608  # nosec B608
    return int(rows[0][0])


def _ranked(con: Any, table: str) -> dict[str, list[tuple[str, float]]]:
    """Each query's candidates, best first (top 5)."""
    sql = f"""
        with pairs as (
            select
                case when source_dataset_l = '{QUERIES}' then unique_id_l else unique_id_r end
                    as query,
                case when source_dataset_l = '{QUERIES}' then unique_id_r else unique_id_l end
                    as person,
                match_weight, match_probability
            from {table}
        ), ranked as (
            select *, row_number() over (
                partition by query order by match_weight desc, person
            ) as position
            from pairs
        )
        select query, person, match_probability from ranked where position <= 5
        order by query, position
    """  # noqa: S608  # nosec B608 - table names are Splink's own
    found: dict[str, list[tuple[str, float]]] = {}
    for query, person, probability in con.sql(sql).fetchall():
        found.setdefault(query, []).append((person, float(probability)))
    return found


def run_splink(
    rows: Sequence[PersonRow],
    queries: Sequence[Query],
    *,
    random_seed: int,
    realtime_sample: int,
    dedupe: bool,
    progress: bool = True,
    em_rules: Sequence[tuple[str, ...]] = (),
) -> SplinkRun:
    import splink
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    run = SplinkRun(version=splink.__version__)

    def phase(name: str, started: float) -> None:
        run.phases[name] = round(time.perf_counter() - started, 3)
        if progress:
            print(f"[splink {name}] {run.phases[name]:.1f} s", file=sys.stderr, flush=True)

    started = time.perf_counter()
    people = population_table(rows)
    asked = query_table(queries)
    db_api = DuckDBAPI()
    population_df = db_api.register(people, dataset_display_name=POPULATION)
    queries_df = db_api.register(asked, dataset_display_name=QUERIES)
    linker = Linker([population_df, queries_df], settings(), log_level=None)
    phase("tables", started)

    started = time.perf_counter()
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("nhs_number"), block_on("first_name", "surname", "dob")], recall=0.75
    )
    training.estimate_u_using_random_sampling(max_pairs=1e7, seed=random_seed)
    for rule in em_rules or DEFAULT_EM_RULES:
        training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    phase("train", started)
    run.model = linker.misc.save_model_to_json()

    started = time.perf_counter()
    predictions = linker.inference.predict(warning_mode="never")
    phase("predict_link", started)
    con = db_api.duckdb_con
    run.link_pairs = _count(con, predictions.physical_name)
    ranked = _ranked(con, predictions.physical_name)
    for q in queries:
        run.answers[q.id] = Answer(decision="", ranked=ranked.get(q.id, []))

    if realtime_sample:
        started = time.perf_counter()
        linker.table_management.compute_tf_table("first_name")
        linker.table_management.compute_tf_table("surname")
        phase("realtime_setup", started)
        rng = random.Random(random_seed)  # noqa: S311  # nosec B311 - sampling
        sample = rng.sample(list(queries), min(realtime_sample, len(queries)))
        agree = 0
        for number, q in enumerate(
            tqdm(sample, desc="Splink one at a time", file=sys.stderr, disable=not progress)
        ):
            started = time.perf_counter()
            record = db_api.register([query_record(q)], table_name=f"realtime_{number}")
            found = linker.inference.predict_between(population_df, record, warning_mode="never")
            best = con.sql(
                f"select case when source_dataset_l = '{POPULATION}' then unique_id_l "  # noqa: S608  # nosec B608
                f"else unique_id_r end from {found.physical_name} "
                "order by match_weight desc limit 1"
            ).fetchall()
            run.realtime.append(time.perf_counter() - started)
            found.drop_table_from_database_and_remove_from_cache()
            top = str(best[0][0]) if best else ""
            batch = run.answers[q.id].ranked
            if (batch[0][0] if batch else "") == top:
                agree += 1
        run.realtime_agreement = agree / len(sample) if sample else 0.0

    if dedupe:
        model = dict(run.model)
        model["link_type"] = "dedupe_only"
        dedupe_api = DuckDBAPI()
        everyone = dedupe_api.register(people, dataset_display_name=POPULATION)
        deduper = Linker(everyone, model, log_level=None)
        started = time.perf_counter()
        pairs = deduper.inference.predict(threshold_match_probability=0.3, warning_mode="never")
        found_pairs = _count(dedupe_api.duckdb_con, pairs.physical_name)
        seconds = time.perf_counter() - started
        phase("predict_dedupe", started)
        run.dedupe = {
            "seconds": seconds,
            "people": len(rows),
            "records_per_second": len(rows) / seconds if seconds else 0.0,
            "pairs_at_0_3": found_pairs,
        }
    return run


def model_summary(model: dict[str, Any]) -> str:
    """The trained m and u of each comparison level, compactly (for the JSON output)."""
    prior = model.get("probability_two_random_records_match")
    lines = [f"probability_two_random_records_match={prior}"]
    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            lines.append(
                f"{comparison.get('output_column_name')}: {level.get('label_for_charts')}: "
                f"m={level.get('m_probability')} u={level.get('u_probability')}"
            )
    return json.dumps(lines)
