"""IS1/IS4: who may see a child's record, and that every read is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent
from tarian.errors import NotFound
from tarian.people import search, selectors
from tarian.people.matching.keys import refresh_keys
from tarian.people.models import Household, HouseholdMember, Person, Relationship
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_is1_school_dsl_cannot_see_child_their_school_has_no_involvement_with(
    other_school_dsl: User, child: Person
) -> None:
    with pytest.raises(NotFound):
        selectors.view_person(other_school_dsl, child.ref)
    assert search.search_people(other_school_dsl, child.family_name).people == []
    assert not selectors.people_for(other_school_dsl).filter(pk=child.pk).exists()


def test_is1_school_dsl_sees_child_their_school_is_involved_with(
    school_dsl: User, child: Person
) -> None:
    record = selectors.view_person(school_dsl, child.ref)
    assert record.person == child
    assert [p.pk for p in search.search_people(school_dsl, "gwenllian").people] == [child.pk]


def test_is1_ended_involvement_no_longer_gives_access(school: Agency, school_dsl: User) -> None:
    former = PersonFactory()
    InvolvementFactory(
        person=former, agency=school, start_date=dt.date(2019, 9, 1), end_date=dt.date(2023, 7, 21)
    )
    with pytest.raises(NotFound):
        selectors.view_person(school_dsl, former.ref)


def test_is1_board_member_cannot_see_any_child(board_member: User, child: Person) -> None:
    with pytest.raises(NotFound):
        selectors.view_person(board_member, child.ref)
    assert search.search_people(board_member, child.given_name).people == []


def test_is1_hidden_record_and_missing_record_answer_the_same(other_school_dsl: User) -> None:
    with pytest.raises(NotFound):
        selectors.view_person(other_school_dsl, "T00000000")


def test_is1_relatives_not_shared_are_named_only_as_hidden(school_dsl: User, child: Person) -> None:
    sibling = PersonFactory(given_name="Dafydd")
    mother = PersonFactory(given_name="Ceri", kind="adult", date_of_birth=dt.date(1988, 2, 2))
    Relationship.objects.create(person=child, relative=sibling, kind="sibling")
    Relationship.objects.create(
        person=mother, relative=child, kind="parent", has_parental_responsibility=True
    )
    household = Household.objects.create()
    for member in (child, sibling, mother):
        HouseholdMember.objects.create(household=household, person=member)
    record = selectors.view_person(school_dsl, child.ref)
    assert {r.label for r in record.relatives} == {"Sibling", "Parent"}
    assert all(r.person is None for r in record.relatives)
    assert record.household == [] and record.household_hidden == 2


def test_is2_social_worker_sees_the_whole_household(social_worker: User, child: Person) -> None:
    sibling = PersonFactory(given_name="Dafydd")
    Relationship.objects.create(person=child, relative=sibling, kind="sibling")
    record = selectors.view_person(social_worker, child.ref)
    assert [r.person for r in record.relatives] == [sibling]


def test_is4_viewing_a_record_is_audited(social_worker: User, child: Person) -> None:
    selectors.view_person(social_worker, child.ref)
    event = AccessEvent.objects.get(person_id=child.pk, action="view")
    assert event.username == "owain"
    assert event.agency_slug == "gaerwen-childrens-services"
    assert event.record_id == child.ref


def test_is4_search_results_are_audited_per_person(social_worker: User, child: Person) -> None:
    search.search_people(social_worker, "prydderch")
    assert AccessEvent.objects.filter(person_id=child.pk, action="search").count() == 1


def test_fd6_search_by_nhs_number_with_spaces_and_by_tarian_id(
    social_worker: User, child: Person
) -> None:
    spaced = f"{child.nhs_number[:3]} {child.nhs_number[3:6]} {child.nhs_number[6:]}"
    assert search.search_people(social_worker, spaced).people == [child]
    assert search.search_people(social_worker, child.ref.lower()).people == [child]


def test_fd6_search_folds_accents_and_finds_previous_names(social_worker: User) -> None:
    sian = PersonFactory(given_name="Siân", family_name="Jones")
    sian.names.create(
        kind="previous",
        given_name="Siân",
        family_name="Pritchard",
        given_name_folded="sian",
        family_name_folded="pritchard",
    )
    refresh_keys([sian.pk])  # as the services do after a change of names
    assert search.search_people(social_worker, "sian jones").people == [sian]
    assert search.search_people(social_worker, "Sian Pritchard").people == [sian]


def test_fd6_search_needs_every_name_typed_to_agree(social_worker: User) -> None:
    PersonFactory(given_name="Rhys", family_name="Evans")
    wanted = PersonFactory(given_name="Rhys", family_name="Owen")
    assert search.search_people(social_worker, "rhys owen").people == [wanted]
    assert search.search_people(social_worker, "r").people == []


def test_search_page_stays_a_fixed_number_of_queries(
    social_worker: User, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        PersonFactory(given_name=f"Llinos{n}", family_name="Bowen")
    social_worker.role_codes()
    search.search_people(social_worker, "bowen")  # the register's name counts, once a process
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert len(search.search_people(social_worker, "bowen").people) == 25
