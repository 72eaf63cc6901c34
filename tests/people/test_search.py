"""FD6, IS1, IS4 (issue 20 item 7): "Find a person" goes through the matcher — typos, double
surnames with a hyphen or a space, nicknames and Welsh/English forms, previous names explained,
a true count with pages, and each result's reasons — and shows only people the searcher may
see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.people import restriction, search
from tarian.people.matching.engine import counts
from tarian.people.matching.keys import refresh_keys
from tarian.people.models import NameKind, Person, PersonName
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ela() -> Person:
    return PersonFactory(given_name="Ela", family_name="Bakr", date_of_birth=dt.date(2016, 3, 4))


@pytest.fixture
def rhiannon() -> Person:
    return PersonFactory(
        given_name="Rhiannon", family_name="Bowen-Shaw", date_of_birth=dt.date(2014, 6, 9)
    )


def _refs(user: User, text: str, **kwargs: Any) -> list[str]:
    return [p.ref for p in search.search_people(user, text, **kwargs).people]


@pytest.mark.parametrize(
    "typed",
    ["Ela Bakr", "ela bakr", "Ela Bakr 2016", "Ela Bakr 2015", "Bakr, Ela", "Ella Baker",
     "Ela Bakr 4/3/2016", "Ela Bakr 2016-03-04", "Ela Bakr 3/4/2016"],
)
def test_fd6_issue20_ela_bakr_is_found(social_worker: User, ela: Person, typed: str) -> None:
    assert _refs(social_worker, typed) == [ela.ref]


@pytest.mark.parametrize(
    "typed",
    ["Rhiannon Bowen-Shaw", "Rhianon Bowen Shaw", "Bowen-Shaw", "Bowen Shaw", "bowenshaw",
     "Rhiannon Bowen", "Rhiannon Shaw", "Rhiannon Bowen-Shaw 2014"],
)
def test_fd6_issue20_rhiannon_bowen_shaw_is_found(
    social_worker: User, rhiannon: Person, typed: str
) -> None:
    PersonFactory(given_name="Rhys", family_name="Evans")  # not her
    assert _refs(social_worker, typed) == [rhiannon.ref]


def test_fd6_the_reasons_are_the_matchers(social_worker: User, rhiannon: Person) -> None:
    [found] = search.search_people(social_worker, "Rhianon Bowen Shaw").results
    assert found.reasons == [
        "given name an equivalent form: Rhianon/Rhiannon",
        "surname the same: Bowen-Shaw",
    ]
    [found] = search.search_people(social_worker, "Rhiannon Bowen 2014").results
    assert "year of birth the same: 2014" in found.reasons


def test_fd6_a_year_apart_is_found_and_said(social_worker: User, ela: Person) -> None:
    [found] = search.search_people(social_worker, "Ela Bakr 2015").results
    assert found.reasons[-1] == "year of birth a year apart: 2016"
    assert _refs(social_worker, "Ela Bakr 2012") == []
    assert _refs(social_worker, "Ela Bakr 1/1/2010") == []


@pytest.mark.parametrize(
    ("recorded", "typed"),
    [(("William", "Hughes"), "Bill Hughes"), (("Dafydd", "Rees"), "David Rees"),
     (("Siân", "Prydderch"), "Jane Prydderch"), (("Olivia", "Price"), "Olvia Price")],
)
def test_fd6_nicknames_welsh_english_forms_and_typos_find_the_child(
    social_worker: User, recorded: tuple[str, str], typed: str
) -> None:
    child = PersonFactory(given_name=recorded[0], family_name=recorded[1])
    assert _refs(social_worker, typed) == [child.ref]


def test_fd6_as_you_type_the_start_of_a_name_finds_it(social_worker: User, child: Person) -> None:
    dafydd = PersonFactory(given_name="Dafydd", family_name="Prydderch")
    assert set(_refs(social_worker, "prydd")) == {child.ref, dafydd.ref}
    assert _refs(social_worker, "gwenllian prydd") == [child.ref]
    assert _refs(social_worker, "gwenl") == [child.ref]
    assert _refs(social_worker, "pry") == []  # three letters are too few to mean a name


def test_fd6_pasted_text_is_read_as_a_few_words(
    social_worker: User, ela: Person, django_assert_max_num_queries: Any
) -> None:
    query = search.parse_search("Ela Bakr " + "lorem ipsum " * 80)
    assert all(len(r.given.split()) + len(r.family.split()) <= 5 for r in query.readings)
    search.search_people(social_worker, "Ela Bakr")
    with django_assert_max_num_queries(9):
        search.search_people(social_worker, "Ela Bakr " + "lorem ipsum " * 80)


def test_fd6_a_previous_name_is_explained(social_worker: User) -> None:
    sian = PersonFactory(given_name="Siân", family_name="Jones")
    PersonName.objects.create(
        person=sian, kind=NameKind.PREVIOUS, given_name="Siân", family_name="Pritchard",
        given_name_folded="sian", family_name_folded="pritchard",
    )
    refresh_keys([sian.pk])  # as the services do after a change of names
    [found] = search.search_people(social_worker, "Sian Pritchard").results
    assert found.person == sian
    assert "previously known as Siân Pritchard" in found.reasons
    [found] = search.search_people(social_worker, "Sian Jones").results
    assert not any("previously" in reason for reason in found.reasons)


def test_fd6_jones_paginates_with_a_true_count(social_worker: User) -> None:
    everyone = {PersonFactory(given_name=f"Plentyn{n}", family_name="Jones").ref for n in range(37)}
    PersonFactory(given_name="Osian", family_name="Evans")
    first = search.search_people(social_worker, "Jones")
    assert first.count == 37 and len(first.results) == 25
    assert first.page.has_next() and first.page.paginator.num_pages == 2
    second = search.search_people(social_worker, "Jones", page=2)
    assert second.count == 37 and len(second.results) == 12
    assert {p.ref for p in first.people} | {p.ref for p in second.people} == everyone
    assert all(found.reasons == ["surname the same: Jones"] for found in first.results)


def test_fd6_a_very_common_surname_is_listed_by_the_database_with_the_same_count(
    social_worker: User, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    """Past ``SCORE_LIMIT`` people a block is counted and ordered by the database: the count is
    still everyone, exact surname first, and the statements do not grow with the results."""
    monkeypatch.setattr(search, "SCORE_LIMIT", 10)
    for n in range(30):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Jones")
    johns = PersonFactory(given_name="Aaron", family_name="Johns")  # sounds the same
    search.search_people(social_worker, "Jones")  # the register's name counts, once a process
    with django_assert_max_num_queries(7):
        answer = search.search_people(social_worker, "Jones")
    assert answer.count == 31
    last = search.search_people(social_worker, "Jones", page=2)
    assert last.people[-1] == johns
    assert last.results[-1].reasons == ["surname sounds the same: Jones/Johns"]
    for n in range(30):
        PersonFactory(given_name=f"Arall{n}", family_name="Jones")
    with django_assert_max_num_queries(7):
        assert search.search_people(social_worker, "Jones").count == 61


def test_is1_a_person_the_searcher_may_not_see_is_absent_and_not_counted(
    school_dsl: User, child: Person
) -> None:
    """Elen's school is involved with Gwenllian Prydderch, not with her namesake."""
    namesake = PersonFactory(given_name="Gwenllian", family_name="Prydderch")
    answer = search.search_people(school_dsl, "Gwenllian Prydderch")
    assert answer.people == [child] and answer.count == 1
    assert namesake not in search.search_people(school_dsl, "Prydderch").people
    assert not AccessEvent.objects.filter(person_id=namesake.pk).exists()
    InvolvementFactory(person=namesake, agency=child.involvements.get().agency)
    assert search.search_people(school_dsl, "Gwenllian Prydderch").count == 2


def test_is1_a_restricted_record_is_not_counted_and_only_its_id_is_offered(
    gateway_worker: User, team_manager: User, child: Person
) -> None:
    restriction.set_restriction(
        team_manager, person=child, restricted=True, reason="A staff member's own child",
        named_usernames=[],
    )
    answer = search.search_people(gateway_worker, "Gwenllian Prydderch")
    assert answer.people == [] and answer.count == 0
    assert answer.restricted == [child.ref]


def test_is1_a_common_surname_listed_by_the_database_hides_a_restricted_record_too(
    gateway_worker: User, social_worker: User, team_manager: User, child: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "SCORE_LIMIT", 2)
    for n in range(5):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Prydderch")
    restriction.set_restriction(
        team_manager, person=child, restricted=True, reason="A staff member's own child",
        named_usernames=[social_worker.username],
    )
    hidden = search.search_people(gateway_worker, "Prydderch")
    assert hidden.count == 5 and child not in hidden.people
    assert hidden.restricted == [child.ref]
    named = search.search_people(social_worker, "Prydderch")
    assert named.count == 6 and child in named.people and named.restricted == []


def test_is1_outsiders_and_the_board_find_no_one(
    other_school_dsl: User, board_member: User, child: Person
) -> None:
    for user in (other_school_dsl, board_member):
        answer = search.search_people(user, "Gwenllian Prydderch")
        assert (answer.people, answer.count, answer.restricted) == ([], 0, [])


def test_is4_only_the_page_shown_is_audited(social_worker: User) -> None:
    for n in range(30):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Bowen")
    answer = search.search_people(social_worker, "Bowen")
    events = AccessEvent.objects.filter(action="search")
    assert sorted(events.values_list("person_id", flat=True)) == sorted(
        p.pk for p in answer.people
    )
    assert events.count() == 25


# --- The page and the API --------------------------------------------------------------


def test_fd6_nhs_number_upn_and_tarian_id_go_straight_to_the_record(
    social_worker: User
) -> None:
    child = PersonFactory(upn="A123456789012")
    client = signed_in(social_worker)
    spaced = f"{child.nhs_number[:3]} {child.nhs_number[3:6]} {child.nhs_number[6:]}"
    for typed in (spaced, child.ref.lower(), child.upn):
        response = client.get("/people/search", {"q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/people/{child.ref}"
    typed_ahead = client.get("/people/search", {"q": child.ref}, headers={"HX-Request": "true"})
    assert typed_ahead.status_code == 200 and child.ref in typed_ahead.content.decode()


def test_fd6_the_page_shows_the_count_the_reasons_and_the_pages(social_worker: User) -> None:
    for n in range(30):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Jones")
    page = signed_in(social_worker).get("/people/search", {"q": "Jones"}).content.decode()
    assert "30 people found" in page and "showing 1 to 25" in page
    assert "surname the same: Jones" in page
    assert 'href="?q=Jones&amp;page=2"' in page and "Page 1 of 2" in page


def test_vc2_fd6_the_search_page_and_its_reasons_in_welsh(social_worker: User) -> None:
    sian = PersonFactory(given_name="Siân", family_name="Jones")
    PersonName.objects.create(
        person=sian, kind=NameKind.PREVIOUS, given_name="Siân", family_name="Pritchard",
        given_name_folded="sian", family_name_folded="pritchard",
    )
    refresh_keys([sian.pk])
    page = signed_in(social_worker, "cy").get("/people/search", {"q": "Sian Pritchard"})
    text = page.content.decode()
    assert "Wedi dod o hyd i 1 person" in text
    assert "Pam mae'n cyfateb" in text
    assert "adwaenid gynt fel Siân Pritchard" in text
    assert "yr un enw cyntaf: Sian" in text
    assert "ffurfiau Cymraeg a Saesneg" in text


def test_fd6_api_search_keeps_its_paging_shape_and_adds_reasons(
    social_worker: User, api_client_for: Any
) -> None:
    for n in range(30):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Jones")
    client = api_client_for(social_worker)
    body = client.get("/api/v1/people", {"q": "Jones", "page_size": 20}).json()
    assert body["count"] == 30 and len(body["results"]) == 20
    assert "page=2" in body["next"]
    assert body["results"][0]["reasons"] == ["surname the same: Jones"]
    assert {"id", "given_name", "family_name", "aliases", "version"} <= set(body["results"][0])
    last = client.get("/api/v1/people", {"q": "Jones", "page_size": 20, "page": 2}).json()
    assert len(last["results"]) == 10 and last["next"] is None
    assert client.get("/api/v1/people", {"q": "Jones", "page": 3}).status_code == 404
    assert client.get("/api/v1/people").json()["results"][0]["reasons"] == []


def test_is1_api_search_hides_and_does_not_count_what_the_caller_may_not_see(
    other_school_dsl: User, school_dsl: User, child: Person, api_client_for: Any
) -> None:
    outsider = api_client_for(other_school_dsl).get("/api/v1/people", {"q": "Prydderch"})
    assert outsider.json() == {"count": 0, "next": None, "results": []}
    insider = api_client_for(school_dsl).get("/api/v1/people", {"q": "Gwenllian Prydderch"})
    assert [r["id"] for r in insider.json()["results"]] == [child.ref]


@pytest.fixture
def api_client_for() -> Any:
    def make(user: User) -> Client:
        return Client(headers={"authorization": f"Bearer {issue_token(user)}"})

    return make


@pytest.fixture(autouse=True)
def _fresh_counts() -> Any:
    """The register's name counts are read once a process: read them afresh for each test."""
    counts.clear()
    yield
    counts.clear()


def test_fd6_20_a_common_name_is_read_a_page_at_a_time_in_the_same_order(
    social_worker: User, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    """#20 item 7: past ``SCORE_LIMIT`` the database orders and counts; every page read on its
    own gives the same order as sorting everyone: the nearest year of birth first, the whole
    surname, then a part of it, then sound-alikes; surname, given name, date of birth within.
    A page past the last is the last page."""
    monkeypatch.setattr(search, "SCORE_LIMIT", 3)
    people = [
        PersonFactory(given_name=given, family_name=family, date_of_birth=born)
        for given, family, born in [
            ("Zac", "Bowen", dt.date(2016, 1, 2)), ("Alys", "Bowen", dt.date(2015, 5, 1)),
            ("Alys", "Bowen", dt.date(2014, 5, 1)), ("Bryn", "Bowen-Shaw", dt.date(2016, 3, 3)),
            ("Cai", "Bowen", dt.date(2009, 9, 9)), ("Dewi", "Bowan", dt.date(2016, 4, 4)),
            ("Efa", "Bowen", dt.date(2017, 7, 7)), ("Alun", "Bowen-Shaw", dt.date(2003, 3, 3)),
        ]
    ]
    zac, alys15, alys14, bryn, cai, dewi, efa, alun = people
    search.search_people(social_worker, "Bowen")

    def pages(text: str, count: int) -> list[Person]:
        listed: list[Person] = []
        for page in range(1, (count + 2) // 3 + 1):
            # The block (and a narrower one), the page counted and ordered, its records, names
            # and addresses, their profiles for the reasons, the audit event.
            with django_assert_max_num_queries(8):
                answer = search.search_people(social_worker, text, page=page, per_page=3)
            assert answer.count == count
            listed += answer.people
        return listed

    assert pages("Bowen", 8) == [alys14, alys15, cai, efa, zac, dewi, alun, bryn]
    assert pages("Bowen 2016", 5) == [zac, dewi, bryn, alys15, efa]
    with django_assert_max_num_queries(9):  # past the last page: counted, then the last read
        last = search.search_people(social_worker, "Bowen", page=9, per_page=3)
    assert last.people == [alun, bryn] and last.count == 8
