"""Recording a person who is not yet on Tarian, from search or from a referral (FD1, IS3)."""

from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def test_new_child_from_the_referral_form_returns_to_it(school_dsl: User) -> None:
    client = signed_in(school_dsl)
    client.post("/referrals/new/autosave", {"children": "T0000AAAA", "concern": "typed"})
    response = client.post("/people/new", {
        "for": "referral", "kind": "child", "given_name": "Siân", "family_name": "Prydderch",
        "dob_day": "4", "dob_month": "3", "dob_year": "2016", "sex": "female",
        "line1": "3 Lôn Las", "town": "Aberwen", "postcode": "ll77 7ab",
    })
    person = Person.objects.get(given_name="Siân")
    assert response["Location"] == f"/referrals/new?about=&child={person.ref}"
    page = client.get(response["Location"]).content.decode()
    assert f"T0000AAAA, {person.ref}" in page
    assert person.created_by_agency == school_dsl.agency
    assert person.residences.get().address.postcode == "LL77 7AB"


def test_new_unborn_baby_takes_the_expected_date(social_worker: User) -> None:
    signed_in(social_worker).post("/people/new", {
        "kind": "unborn", "family_name": "Evans", "dob_day": "1", "dob_month": "3",
        "dob_year": "2027", "sex": "unknown",
    })
    unborn = Person.objects.get(family_name="Evans")
    assert unborn.expected_date is not None and unborn.date_of_birth is None


def test_new_person_errors_are_named(social_worker: User) -> None:
    html = signed_in(social_worker).post("/people/new", {
        "kind": "child", "dob_day": "31", "dob_month": "2", "dob_year": "2016",
        "nhs_number": "123", "sex": "male", "postcode": "nowhere",
    }).content.decode()
    assert "govuk-error-summary" in html
    for message in ("The date must be a real date",):
        assert message in html
    assert not Person.objects.exists()
    html = signed_in(social_worker).post("/people/new", {
        "kind": "child", "nhs_number": "123", "sex": "male", "line1": "1 Stryd", "postcode": "zz",
    }).content.decode()
    assert 'href="#id_nhs_number"' in html and 'href="#id_family_name"' in html
    assert 'href="#id_postcode"' in html


def test_board_member_may_not_record_people(board_member: User) -> None:
    assert signed_in(board_member).get("/people/new").status_code == 404
