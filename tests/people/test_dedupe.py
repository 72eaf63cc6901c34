"""``tarian dedupe`` and ``tarian matching train`` (IS3, FD6)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tarian.people.matching.dedupe import find_duplicates, worker_count
from tarian.people.matching.train import train
from tarian.people.matching.weights import load_weights
from tarian.people.models import DuplicateCandidate, DuplicateStatus, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register() -> dict[str, Person]:
    born = dt.date(2013, 4, 2)
    people = {
        "child": PersonFactory(given_name="Llywelyn", family_name="Prichard", date_of_birth=born),
        "again": PersonFactory(
            given_name="Llewelyn", family_name="Pritchard", date_of_birth=born, nhs_number=""
        ),
        "twin": PersonFactory(given_name="Angharad", family_name="Prichard", date_of_birth=born),
    }
    for n in range(120):
        PersonFactory(
            given_name=f"Enw{n}", family_name=f"Teulu{n % 40}",
            date_of_birth=dt.date(2010 + n % 8, 1 + n % 12, 1 + n % 28),
        )
    return people


def pair(a: Person, b: Person) -> DuplicateCandidate | None:
    low, high = sorted((a.pk, b.pk))
    return DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).first()


def test_is3_dedupe_lists_the_duplicate_not_the_twin_and_remembers_decisions(
    register: dict[str, Person],
) -> None:
    summary = find_duplicates()
    found = pair(register["child"], register["again"])
    assert found is not None and found.status == DuplicateStatus.OPEN
    reasons = found.reasons_read()
    assert any("equivalent" in r or "similar" in r for r in reasons), reasons
    assert pair(register["child"], register["twin"]) is None
    assert summary.found == DuplicateCandidate.objects.count()
    found.status = DuplicateStatus.NOT_SAME
    found.save()
    again = find_duplicates()
    assert again.found == 0 and again.already_listed >= 1
    assert pair(register["child"], register["again"]).status == DuplicateStatus.NOT_SAME  # type: ignore[union-attr]


def test_is3_dedupe_in_one_process_where_no_other_process_could_see_the_database() -> None:
    """The tests' in-memory SQLite, or a PostgreSQL transaction not yet committed."""
    assert worker_count(4) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_is3_dedupe_in_several_processes_finds_what_one_process_finds(
    register: dict[str, Person],
) -> None:
    """The register is committed, so forked workers read it through their own connections."""
    assert worker_count(2) == 2
    parallel = find_duplicates(workers=2)
    assert parallel.workers == 2
    listed = sorted(
        DuplicateCandidate.objects.values_list("person_a_id", "person_b_id", "score")
    )
    assert pair(register["child"], register["again"]) is not None
    DuplicateCandidate.objects.all().delete()
    serial = find_duplicates(workers=1)
    assert serial.workers == 1
    assert (serial.found, serial.pairs_compared) == (parallel.found, parallel.pairs_compared)
    assert sorted(
        DuplicateCandidate.objects.values_list("person_a_id", "person_b_id", "score")
    ) == listed


def test_is3_pairs_are_compared_when_two_kinds_of_block_or_a_rare_name_agree(db: None) -> None:
    """Strangers born the same day with the same given name share one kind of block: not
    compared. A record and its duplicate share several; a duplicate with a mistyped date of
    birth still shares its rare name."""
    from tarian.people.matching.pairs import candidate_pairs, pair_code

    born = dt.date(2015, 6, 1)
    child = PersonFactory(given_name="Osian", family_name="Bevan", date_of_birth=born,
                          nhs_number="")  # fmt: skip
    again = PersonFactory(given_name="Osian", family_name="Bevan", date_of_birth=born,
                          nhs_number="")  # fmt: skip
    stranger = PersonFactory(given_name="Osian", family_name="Kowalski", date_of_birth=born,
                             nhs_number="")  # fmt: skip
    mistyped = PersonFactory(given_name="Gwenno", family_name="Prydderch", nhs_number="",
                             date_of_birth=dt.date(2016, 6, 1))  # fmt: skip
    original = PersonFactory(given_name="Gwenno", family_name="Prydderch", nhs_number="",
                             date_of_birth=dt.date(2016, 1, 6) + dt.timedelta(days=40))  # fmt: skip
    pairs = set(candidate_pairs())
    assert pair_code(child.pk, again.pk) in pairs
    assert pair_code(child.pk, stranger.pk) not in pairs
    assert pair_code(again.pk, stranger.pk) not in pairs
    assert pair_code(mistyped.pk, original.pk) in pairs
    assert pair_code(child.pk, stranger.pk) in set(candidate_pairs(min_shared=1))


def test_fd6_training_refuses_weights_that_describe_families_not_one_person() -> None:
    """EM on a register without duplicates settled on siblings (NHS numbers never agreeing):
    such m values are not plausible, and the previous ones are kept."""
    from tarian.people.matching.train import _plausible
    from tarian.people.matching.weights import DEFAULT_FILE

    shipped = load_weights(DEFAULT_FILE)
    assert _plausible(shipped.m, shipped.u)
    families = {field: dict(levels) for field, levels in shipped.m.items()}
    families["nhs_number"] = {"exact": 1.8e-8, "different": 1.0 - 1.8e-8}
    assert not _plausible(families, shipped.u)


def test_is3_dedupe_command_reports_its_rate(register: dict[str, Person]) -> None:
    out = StringIO()
    call_command("dedupe", verbosity=0, stdout=out)
    assert "people/s" in out.getvalue() and "likely duplicates" in out.getvalue()


def test_fd6_training_writes_a_dated_weights_file_that_loads(
    register: dict[str, Person], tmp_path: Path
) -> None:
    report = train(random_pairs=2000, progress=False)
    path = tmp_path / "trained.json"
    report.weights.save(path)
    loaded = load_weights(path)
    assert loaded.trained_at and "people on" in loaded.trained_on
    assert loaded.household_size >= 1.0
    # u from random pairs: strangers rarely share a date of birth.
    assert loaded.u["date_of_birth"]["exact"] < 0.05
    if report.kept_previous_m:
        assert loaded.notes, "the file says why m was not re-estimated"


def test_fd6_training_refuses_a_tiny_register() -> None:
    with pytest.raises(ValueError, match="at least 100 people"):
        train(random_pairs=10)
