"""The matcher (FD6, issue "Matching engine"): each kind of corruption is found, twins are not
confused, an unknown child is answered ``no_match``, common names count for less, weights
survive a round trip, and a user who may not see a child learns only that a match exists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.people.matching.answers import match_for
from tarian.people.matching.engine import Decision, MatchQuery, counts, find_matches
from tarian.people.matching.keys import dob_variants, refresh_keys
from tarian.people.matching.weights import DEFAULT_FILE, Weights, load_weights
from tarian.people.models import Address, NameKind, Person, PersonName, Residence
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

BORN = dt.date(2014, 3, 9)


def home(person: Person, postcode: str, *, ended: bool = False) -> None:
    address = Address.objects.create(line1="1 Stryd Fawr", town="Aberwen", postcode=postcode)
    Residence.objects.create(
        person=person, address=address, start_date=dt.date(2014, 3, 9),
        end_date=dt.date(2020, 1, 1) if ended else None,
    )
    refresh_keys([person.pk])


@pytest.fixture(autouse=True)
def _register_of_a_partnership() -> None:
    """Priors depend on the register's size: score as in an area of 100,000 people (the
    people made here are the only ones sharing their names, as in a real register)."""
    counts.clear()
    counts.set_population(100_000)


@pytest.fixture
def register() -> dict[str, Person]:
    """A small register: the child, their twin and older brother, and unrelated children."""
    people = {
        "child": PersonFactory(
            given_name="Dafydd", family_name="Prydderch", date_of_birth=BORN,
            nhs_number="9434765919",
        ),
        "twin": PersonFactory(
            given_name="Gruffudd", family_name="Prydderch", date_of_birth=BORN, nhs_number=""
        ),
        "brother": PersonFactory(
            given_name="Rhys", family_name="Prydderch", date_of_birth=dt.date(2011, 7, 2),
            nhs_number="",
        ),
        "siân": PersonFactory(
            given_name="Siân", family_name="Jones-Hughes", date_of_birth=dt.date(2016, 11, 4),
            nhs_number="",
        ),
    }
    for person in people.values():
        home(person, "LL77 7AB" if person.family_name == "Prydderch" else "CF10 1AA")
    for n in range(30):  # a register with many people called Jones
        other = PersonFactory(
            given_name=f"Plentyn{n}", family_name="Jones",
            date_of_birth=dt.date(2012, 1, 1 + n % 28), nhs_number="",
        )
        home(other, f"SA1 {n % 9}AB")
    return people


def top(query: MatchQuery) -> tuple[str, str, list[str]]:
    found = find_matches(query)
    assert found, "no candidates"
    return found[0].ref, found[0].decision, found[0].reasons


@pytest.mark.parametrize(
    ("label", "query", "reason"),
    [
        ("exact", MatchQuery("Dafydd", "Prydderch", BORN, "LL77 7AB"), "date of birth the same"),
        ("typo in the given name", MatchQuery("Dafdyd", "Prydderch", BORN, ""), "similar"),
        ("typo in the surname", MatchQuery("Dafydd", "Pryderch", BORN), "surname similar"),
        ("English form of a Welsh name", MatchQuery("David", "Prydderch", BORN), "equivalent"),
        ("nickname", MatchQuery("Dai", "Prydderch", BORN, "LL77 7AB"), "equivalent"),
        ("day and month swapped", MatchQuery("Dafydd", "Prydderch", dt.date(2014, 9, 3)),
         "day and month swapped"),
        ("a day out", MatchQuery("Dafydd", "Prydderch", dt.date(2014, 3, 10), "LL77 7AB"),
         "one day apart"),
        ("no date of birth", MatchQuery("Dafydd", "Prydderch", None, "LL77 7AB"), "postcode"),
        ("NHS number alone", MatchQuery(nhs_number="943 476 5919"), "same NHS number"),
        ("NHS number wins over a wrong name",
         MatchQuery("Dewi", "Smith", dt.date(2013, 1, 1), "", "9434765919"), "same NHS number"),
    ],
)
def test_fd6_each_kind_of_corruption_finds_the_child(
    register: dict[str, Person], label: str, query: MatchQuery, reason: str
) -> None:
    ref, decision, reasons = top(query)
    assert ref == register["child"].ref, label
    assert decision in (Decision.MATCH, Decision.POSSIBLE), (label, decision, reasons)
    assert any(reason in r for r in reasons), (label, reasons)


def test_fd6_welsh_name_without_accent_and_part_of_a_double_surname(
    register: dict[str, Person],
) -> None:
    ref, decision, reasons = top(MatchQuery("Sian", "Hughes", dt.date(2016, 11, 4), "CF10 1AA"))
    assert ref == register["siân"].ref
    assert decision == Decision.MATCH
    assert "given name the same: Sian" in reasons
    assert any("surname shares a part" in r for r in reasons)


def test_fd6_changed_surname_found_through_previous_name_and_moved_family(
    register: dict[str, Person],
) -> None:
    child = register["child"]
    PersonName.objects.create(
        person=child, kind=NameKind.PREVIOUS, given_name="Dafydd", family_name="Bowen",
        given_name_folded="dafydd", family_name_folded="bowen",
    )
    home(child, "SA62 6QH", ended=True)
    ref, decision, reasons = top(MatchQuery("Dafydd", "Bowen", BORN, "SA62 6QH"))
    assert ref == child.ref and decision == Decision.MATCH
    assert "surname the same: Bowen" in reasons
    assert "lived at this postcode before" in reasons


def test_fd6_twin_not_confused_with_their_sibling(register: dict[str, Person]) -> None:
    found = find_matches(MatchQuery("Gruffudd", "Prydderch", BORN, "LL77 7AB"))
    assert found[0].ref == register["twin"].ref and found[0].decision == Decision.MATCH
    twin_of = next(c for c in found if c.ref == register["child"].ref)
    assert twin_of.decision == Decision.NO_MATCH, twin_of.reasons
    assert "given name differs: Gruffudd/Dafydd" in twin_of.reasons


def test_fd6_without_a_given_name_or_nhs_number_a_twin_is_at_most_possible(
    register: dict[str, Person],
) -> None:
    """Surname, date of birth and home describe a twin as well as the child: with no given
    name and no NHS number the answer is at most "possible", however high the score; the NHS
    number or the given name makes it a match."""
    twins = {register["child"].ref, register["twin"].ref}
    for postcode in ("LL77 7AB", "LL77 7ZZ"):  # the same home; the next street (sector)
        found = find_matches(MatchQuery("", "Prydderch", BORN, postcode))
        assert {c.ref for c in found[:2]} == twins
        assert all(c.decision != Decision.MATCH for c in found), [
            (c.ref, c.probability, c.decision) for c in found
        ]
    assert found[0].probability >= 0.9  # a rare surname and the same birthday: a high score
    by_nhs = find_matches(MatchQuery("", "Prydderch", BORN, "LL77 7AB", "943 476 5919"))
    assert by_nhs[0].ref == register["child"].ref and by_nhs[0].decision == Decision.MATCH
    typo = find_matches(MatchQuery("Dafyd", "Prydderch", BORN, "LL77 7AB"))
    assert typo[0].ref == register["child"].ref and typo[0].decision == Decision.MATCH


def test_fd6_a_middle_name_alone_does_not_make_a_match(register: dict[str, Person]) -> None:
    """A twin whose brother's first name is their middle name: "possible", never "match"."""
    twin = register["twin"]
    twin.other_names = ["Emrys"]
    twin.save()
    refresh_keys([twin.pk])
    found = find_matches(MatchQuery("Emrys", "Prydderch", BORN, "LL77 7AB"))
    assert found[0].ref == twin.ref
    assert found[0].decision != Decision.MATCH
    assert "given name is a middle name: Emrys" in found[0].reasons


def test_fd6_unknown_child_is_no_match(register: dict[str, Person]) -> None:
    """A child not on the register, from the same family and address: not a match."""
    found = find_matches(MatchQuery("Elis", "Prydderch", dt.date(2019, 5, 20), "LL77 7AB"))
    assert all(c.decision == Decision.NO_MATCH for c in found), [
        (c.ref, c.probability, c.reasons) for c in found
    ]
    assert find_matches(MatchQuery("Zygmunt", "Kowalczyk", dt.date(2010, 2, 2), "NP20 1AA")) == []


def test_fd6_common_surname_counts_for_less_than_a_rare_one(register: dict[str, Person]) -> None:
    rare = PersonFactory(given_name="Mali", family_name="Prydderch", date_of_birth=None)
    common = PersonFactory(given_name="Mali", family_name="Jones", date_of_birth=None)
    rare_match = find_matches(MatchQuery("Mali", "Prydderch"))
    common_match = find_matches(MatchQuery("Mali", "Jones"))
    assert rare_match[0].ref == rare.ref and common_match[0].ref == common.ref
    assert rare_match[0].match_weight > common_match[0].match_weight + 1
    assert rare_match[0].probability > common_match[0].probability


def test_fd6_a_common_part_of_a_double_surname_counts_for_less_than_a_rare_one(
    register: dict[str, Person],
) -> None:
    """Jones is a part of many surnames (30 Joneses in a register of 20,000 here), Prydderch of
    few: a child recorded as Jones-Bevan or Prydderch-Bevan, asked about as Jones or
    Prydderch."""
    counts.set_population(20_000)
    common = PersonFactory(given_name="Nia", family_name="Jones-Bevan", nhs_number="",
                           date_of_birth=dt.date(2012, 2, 2))  # fmt: skip
    rare = PersonFactory(given_name="Elen", family_name="Prydderch-Bevan", nhs_number="",
                         date_of_birth=dt.date(2012, 2, 2))  # fmt: skip
    by_common = find_matches(MatchQuery("Nia", "Jones", dt.date(2012, 2, 2)))
    by_rare = find_matches(MatchQuery("Elen", "Prydderch", dt.date(2012, 2, 2)))
    assert by_common[0].ref == common.ref and by_rare[0].ref == rare.ref
    assert any("surname shares a part" in r for r in by_common[0].reasons)
    assert by_rare[0].match_weight > by_common[0].match_weight + 1


def test_fd6_large_blocks_are_read_only_in_part_and_the_child_is_still_found(
    register: dict[str, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A very common name's block is read only up to ``KEY_ROWS`` people (the 30 Joneses
    here, read 5 at a time); the child the query is about shares the other keys too."""
    from tarian.people.matching import engine

    jones = PersonFactory(given_name="Mali", family_name="Jones", date_of_birth=BORN,
                          nhs_number="")  # fmt: skip
    home(jones, "SA1 9ZZ")
    monkeypatch.setattr(engine, "KEY_ROWS", 5)
    found = find_matches(MatchQuery("Mali", "Jones", BORN, "SA1 9ZZ"))
    assert found[0].ref == jones.ref and found[0].decision == Decision.MATCH
    # Every one of the 30 Joneses born in 2012 shares "surname sound + year of birth".
    born_2012 = MatchQuery("", "Jones", dt.date(2012, 1, 1))
    assert 0 < len(engine.candidates(born_2012)) < 10
    monkeypatch.setattr(engine, "KEY_ROWS", 1000)
    assert len(engine.candidates(born_2012)) == 30


def test_fd6_register_counts_are_read_once_and_kept_a_while(
    register: dict[str, Person], django_assert_num_queries: Any
) -> None:
    counts.clear()
    assert counts.get("family_name", "jones") == 30
    assert counts.get("family_name", "prydderch") == 3
    assert counts.get("given_name", "nobody-has-this-name") == 0
    everyone = Person.objects.count()
    with django_assert_num_queries(0):
        assert counts.get("family_name", "jones") == 30
        assert counts.get("population", "") == everyone
    PersonFactory(given_name="Mali", family_name="Jones")
    assert counts.get("family_name", "jones") == 30  # until it is read again
    counts.clear()
    assert counts.get("family_name", "jones") == 31


def test_fd6_stale_register_counts_are_read_again_without_making_a_query_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from tarian.people.matching.engine import CACHE_SECONDS

    counts.values = {("family_name", "jones"): 3}
    counts.loaded, counts.since = True, time.monotonic() - CACHE_SECONDS - 1
    slow, read = threading.Event(), threading.Event()

    def read_again() -> None:
        slow.wait(5)  # reading the table takes a while
        counts.values, counts.since = {("family_name", "jones"): 4}, time.monotonic()
        read.set()

    monkeypatch.setattr(counts, "_load", read_again)
    assert counts.get("family_name", "jones") == 3  # the old table, at once
    assert counts.get("family_name", "jones") == 3  # one reading at a time
    slow.set()
    assert read.wait(5)
    for _ in range(50):  # the thread lets go of the refresh when done
        if counts._refreshing.acquire(False):
            counts._refreshing.release()
            break
        time.sleep(0.01)
    assert counts.get("family_name", "jones") == 4


def test_fd6_score_is_a_probability_and_best_comes_first(register: dict[str, Person]) -> None:
    found = find_matches(MatchQuery("Dafydd", "Prydderch", BORN, "LL77 7AB"))
    assert all(0.0 <= c.probability <= 1.0 for c in found)
    weights = [c.match_weight for c in found]
    assert weights == sorted(weights, reverse=True)


def test_fd6_dob_variants_include_swapped_and_neighbours() -> None:
    assert dob_variants(dt.date(2014, 3, 9)) == {
        dt.date(2014, 3, 9), dt.date(2014, 9, 3), dt.date(2014, 3, 8), dt.date(2014, 3, 10)
    }
    assert dt.date(2014, 3, 13) not in dob_variants(dt.date(2014, 3, 13)) - {
        dt.date(2014, 3, 13)
    }


def test_fd6_keys_follow_a_change_of_name(register: dict[str, Person], social_worker: User) -> None:
    from tarian.people.services import update_person

    child = register["child"]
    update_person(
        social_worker, ref=child.ref, version=child.version,
        changes={"family_name": "Trefor"}, reason="Adopted name",
    )
    assert top(MatchQuery("Dafydd", "Trefor", BORN))[0] == child.ref


def test_fd6_known_by_a_middle_name_is_found_but_weighs_less_than_a_first_name(
    register: dict[str, Person],
) -> None:
    """Known by a middle name: found and said so, but a middle name shared by chance is
    common, so it counts for less than a nickname or the first name itself."""
    rhodri = PersonFactory(
        given_name="Ioan", other_names=["Rhodri"], family_name="Prydderch-Lloyd",
        date_of_birth=dt.date(2013, 6, 1), nhs_number="",
    )
    home(rhodri, "SA43 2AB")
    by_middle = find_matches(MatchQuery("Rhodri", "Prydderch-Lloyd", dt.date(2013, 6, 1)))
    by_first = find_matches(MatchQuery("Ioan", "Prydderch-Lloyd", dt.date(2013, 6, 1)))
    assert by_middle[0].ref == by_first[0].ref == rhodri.ref
    assert "given name is a middle name: Rhodri" in by_middle[0].reasons
    assert by_middle[0].levels[1].level == "middle"
    assert by_first[0].match_weight > by_middle[0].match_weight + 2


def test_fd6_weights_trained_before_a_level_existed_take_the_shipped_one() -> None:
    shipped = load_weights(DEFAULT_FILE)
    older = shipped.as_json()
    older["fields"]["given_name"].pop("middle")
    again = Weights.from_json(older)
    assert again.m["given_name"]["middle"] == shipped.m["given_name"]["middle"]
    assert again.u["given_name"]["middle"] == shipped.u["given_name"]["middle"]
    assert any("given_name/middle" in note for note in again.notes)


def test_fd6_weights_file_round_trip(tmp_path: Path) -> None:
    weights = load_weights(DEFAULT_FILE)
    weights.trained_on = "round trip"
    path = tmp_path / "w.json"
    weights.save(path)
    again = load_weights(path)
    assert again.as_json() == weights.as_json()
    broken = json.loads(path.read_text())
    broken["fields"]["postcode"].pop("sector")
    with pytest.raises(ValueError, match="postcode lacks levels"):
        Weights.from_json(broken)
    broken = json.loads(path.read_text())
    broken["format"] = 99
    with pytest.raises(ValueError, match="format"):
        Weights.from_json(broken)


def test_fd6_user_who_may_not_see_the_child_is_told_only_that_a_match_exists(
    register: dict[str, Person], school_dsl: User, school: Agency
) -> None:
    answer = match_for(school_dsl, MatchQuery("Dafydd", "Prydderch", BORN, "LL77 7AB"))
    assert answer.decision == Decision.MATCH
    assert answer.hidden_matches >= 1
    assert register["child"].ref not in [c.ref for c in answer.candidates]
    InvolvementFactory(person=register["child"], agency=school)
    answer = match_for(school_dsl, MatchQuery("Dafydd", "Prydderch", BORN, "LL77 7AB"))
    assert answer.candidates[0].ref == register["child"].ref


def test_fd6_api_match_contract(register: dict[str, Person], gateway_worker: User) -> None:
    api = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    r = api.get(
        "/api/v1/people/match",
        {"given_name": "Dafydd", "family_name": "Pryderch", "date_of_birth": "2014-09-03"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["decision"] in ("match", "possible")
    best = body["candidates"][0]
    assert best["id"] == register["child"].ref
    assert 0 < best["score"] <= 1
    assert "date of birth with day and month swapped" in best["reasons"]
    assert body["hidden_matches"] == 0


def test_fd6_api_match_hides_details_from_a_school_without_involvement(
    register: dict[str, Person], school_dsl: User
) -> None:
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    r = api.get("/api/v1/people/match", {"nhs_number": "9434765919"})
    assert r.status_code == 200
    body = r.json()
    assert body["candidates"] == [] and body["hidden_matches"] == 1
    assert "Ask the Gateway" in body["message"]
    assert "Dafydd" not in r.content.decode() and register["child"].ref not in r.content.decode()


def test_fd6_api_match_refusals(gateway_worker: User, board_member: User) -> None:
    api = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    r = api.get("/api/v1/people/match", {"date_of_birth": "2014-13-40", "nhs_number": "123"})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"date_of_birth", "nhs_number"}
    assert api.get("/api/v1/people/match").status_code == 400
    assert Client().get("/api/v1/people/match", {"given_name": "A"}).status_code == 401
    board = Client(headers={"authorization": f"Bearer {issue_token(board_member)}"})
    assert board.get("/api/v1/people/match", {"given_name": "Dafydd"}).status_code == 403


def test_fd6_fold_turns_letters_without_accents_into_their_base_letter() -> None:
    from tarian.core.text import fold

    assert fold("Paweł Łukasz") == "pawel lukasz"
    assert fold("Siân O'Brien-Søren") == "sian obrien soren"


@pytest.mark.postgres
def test_fd6_postgresql_trigrams_find_a_typo_that_misses_every_blocking_key(
    register: dict[str, Person],
) -> None:
    """Brydderch sounds unlike Prydderch and the date of birth is wrong (within the year
    around it): no key is shared, but the trigram index still brings the child in."""
    query = MatchQuery("Dafydd", "Brydderch", dt.date(2013, 9, 3))
    found = find_matches(query)
    assert register["child"].ref in [c.ref for c in found]
    child = next(c for c in found if c.ref == register["child"].ref)
    assert "surname similar: Brydderch/Prydderch" in child.reasons


@pytest.mark.postgres
def test_fd6_postgresql_trigrams_look_within_a_year_of_the_date_of_birth(
    register: dict[str, Person],
) -> None:
    """The trigram search keeps to people born within a year of the date asked about (a
    common surname's trigrams match thousands); without a date it looks at everyone."""
    from tarian.people.matching.engine import _trigram_candidates

    child = register["child"].pk  # Dafydd Prydderch, born 2014-03-09
    assert child in _trigram_candidates("brydderch", "dafydd", dt.date(2013, 9, 3))
    assert child in _trigram_candidates("brydderch", "dafydd", None)
    assert child not in _trigram_candidates("brydderch", "dafydd", dt.date(2009, 3, 9))


def test_fd6_restricted_record_is_only_counted_even_for_a_role_that_sees_everyone(
    register: dict[str, Person], social_worker: User
) -> None:
    child = register["child"]
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    answer = match_for(social_worker, MatchQuery("Dafydd", "Prydderch", BORN, "LL77 7AB"))
    assert child.ref not in [c.ref for c in answer.candidates]
    assert answer.hidden_matches == 1
