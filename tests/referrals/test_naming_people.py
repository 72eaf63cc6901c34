"""IS1: a referral names only people the referrer may see, and says the same about an ID that
does not exist and one they may not see (issue 18, item 3).

A referral naming a Tarian ID outside the user's sight was accepted, in ``children`` and in
``household``, while an unknown ID was refused with "No person has the Tarian ID": comparing
the two answers told anyone which IDs belong to a child. Both are now refused with the same
words, through the page and the API, and nothing is saved.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
UNKNOWN = "TZZZZZZZZ"  # well-formed, and nobody's


@pytest.fixture
def out_of_sight(db: None) -> dict[str, str]:
    """Tarian IDs the school's DSL may not use: unknown, someone else's child, and a child the
    school works with whose record is restricted to other people."""
    hidden = PersonFactory(given_name="Cuddiedig")
    return {"unknown": UNKNOWN, "not the school's child": hidden.ref}


@pytest.fixture
def restricted_child(child: Person) -> Person:
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    return child


def _same_words(message: str, ref: str) -> str:
    assert ref in message, message
    return message.replace(ref, "<ID>")


def _page_error(client: Client, data: dict[str, Any], field: str) -> str:
    response = client.post("/referrals/new", data)
    assert response.status_code == 200  # the form again, with its errors
    html = response.content.decode()
    found = re.findall(rf'id="id_{field}-error"[^>]*>.*?</span>\s*(.*?)</p>', html, re.S)
    assert found, html[:3000]
    return " ".join(found[0].split())


@pytest.mark.parametrize("field", ["children", "household"])
def test_is1_page_answers_an_unknown_id_and_a_hidden_one_alike(
    field: str,
    school_dsl: User,
    child: Person,
    referral_data: dict[str, Any],
    out_of_sight: dict[str, str],
) -> None:
    client = signed_in(school_dsl)
    answers = {}
    for what, ref in out_of_sight.items():
        data = {**referral_data, "children": child.ref, "household": ""}
        data[field] = ref if field == "children" else ref.lower()
        answers[what] = _same_words(_page_error(client, data, field), ref)
    assert len(set(answers.values())) == 1, answers
    assert answers["unknown"] == "No person you can see has the Tarian ID <ID>"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("field", ["children", "household"])
def test_is1_api_answers_an_unknown_id_and_a_hidden_one_alike(
    field: str,
    school_dsl: User,
    child: Person,
    referral_data: dict[str, Any],
    out_of_sight: dict[str, str],
) -> None:
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    answers = {}
    for what, ref in out_of_sight.items():
        body = {**referral_data, "children": [child.ref]}
        if field == "children":
            body["children"] = [ref]
        else:
            body["household"] = [ref]
        response = api.post("/api/v1/referrals", body, content_type="application/json")
        assert response.status_code == 400, response.content
        errors = response.json()["errors"]
        assert list(errors) == [field], errors
        answers[what] = _same_words(errors[field][0], ref)
    assert len(set(answers.values())) == 1, answers
    assert not Referral.objects.exists()


def test_is1_a_restricted_record_is_answered_like_an_unknown_one(
    school_dsl: User, restricted_child: Person, referral_data: dict[str, Any]
) -> None:
    """In scope but restricted to other people: the school may not name the child either."""
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    answers = []
    for ref in (restricted_child.ref, UNKNOWN):
        body = {**referral_data, "children": [ref]}
        response = api.post("/api/v1/referrals", body, content_type="application/json")
        assert response.status_code == 400
        answers.append(_same_words(response.json()["errors"]["children"][0], ref))
    assert answers[0] == answers[1]
    assert not Referral.objects.exists()


def test_is1_people_the_referrer_sees_are_accepted(
    school_dsl: User, child: Person, referral_data: dict[str, Any]
) -> None:
    """The refusal is about sight, not about the IDs: the same referral of children the school
    works with, and of an adult it recorded itself, is made."""
    mother = PersonFactory(given_name="Heulwen", kind="adult", created_by_agency=school_dsl.agency)
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    body = {**referral_data, "household": [mother.ref]}
    response = api.post("/api/v1/referrals", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["household"] == [mother.ref]


def test_vc2_the_refusal_is_in_welsh(
    school_dsl: User, child: Person, referral_data: dict[str, Any]
) -> None:
    client = signed_in(school_dsl, "cy")
    data = {**referral_data, "children": UNKNOWN, "household": ""}
    message = _page_error(client, data, "children")
    assert message == f"Nid oes gan unrhyw berson y gallwch ei weld yr ID Tarian {UNKNOWN}"
