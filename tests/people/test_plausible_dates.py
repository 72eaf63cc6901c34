"""Dates are refused outside their plausible range, named by their field, on the API and the
web forms, and nothing is saved (#17; IS3: a record's dates are facts; FD6: the match).

The rule lives once in ``tarian.core.dates`` and the services apply it. Before it, an
involvement starting in 0853 was accepted and the chronology then emitted a date-time no
client could read (``0853-01-01T09:00:00-00:01:15``); a match on 0001-01-01 or 9999-12-31 was
a 500 (``OverflowError`` in the matcher's day-either-side keys).

The dates used are far enough from today (0853, 1899, 2999, 9999) for the answer not to
depend on the day the tests run; the ranges' exact edges are tested in tests/core/test_dates.py.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.people.models import Involvement, Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

# RFC 3339 date-time, as OpenAPI's "date-time" format: the offset is hours and minutes only.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def api(user: User) -> Client:
    client = Client(headers={"authorization": f"Bearer {issue_token(user)}"})
    client.raise_request_exception = False
    return client


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


CHILD = {
    "kind": "child",
    "given_name": "Dyddiad",
    "family_name": "Prawf",
    "date_of_birth": "2016-03-04",
    "sex": "female",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "0001-01-01", "Date of birth must be after 1900"),
        ("date_of_birth", "1899-12-31", "Date of birth must be after 1900"),
        ("date_of_birth", "9999-12-31", "Date of birth must be today or in the past"),
        ("date_of_birth", "2999-01-01", "Date of birth must be today or in the past"),
    ],
)
def test_is3_api_refuses_an_implausible_date_of_birth(
    social_worker: User, field: str, value: str, message: str
) -> None:
    response = post(api(social_worker), "/api/v1/people", {**CHILD, field: value})
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Person.objects.filter(given_name="Dyddiad").exists()


@pytest.mark.parametrize("value", ["0853-01-01", "2999-01-01", "9999-12-31"])
def test_is3_api_refuses_an_implausible_expected_date(social_worker: User, value: str) -> None:
    unborn = {"kind": "unborn", "family_name": "Prawf", "expected_date": value}
    response = post(api(social_worker), "/api/v1/people", unborn)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["expected_date"]
    assert not Person.objects.filter(family_name="Prawf").exists()


def test_is3_api_accepts_the_first_plausible_date_of_birth(social_worker: User) -> None:
    response = post(api(social_worker), "/api/v1/people", {**CHILD, "date_of_birth": "1900-01-01"})
    assert response.status_code == 201, response.content


def test_is3_api_correction_to_an_implausible_date_saves_nothing(
    social_worker: User, child: Person
) -> None:
    response = api(social_worker).patch(
        f"/api/v1/people/{child.ref}",
        {"version": 1, "reason": "Typed from a form", "date_of_birth": "0853-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["date_of_birth"]
    child.refresh_from_db()
    assert child.version == 1


@pytest.mark.parametrize("value", ["0853-01-01", "1899-12-31", "2999-01-01", "9999-12-31"])
def test_is3_api_refuses_an_involvement_starting_on_an_implausible_date(
    social_worker: User, child: Person, school: Agency, value: str
) -> None:
    response = post(
        api(social_worker),
        f"/api/v1/people/{child.ref}/involvements",
        {"agency": school.slug, "role": "school", "start_date": value},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start_date"]
    assert Involvement.objects.filter(person=child).count() == 1


@pytest.mark.parametrize("value", ["0853-01-01", "9999-12-31"])
def test_is3_api_refuses_an_involvement_ending_on_an_implausible_date(
    social_worker: User, child: Person, value: str
) -> None:
    involvement = Involvement.objects.get(person=child)
    response = post(
        api(social_worker),
        f"/api/v1/involvements/{involvement.pk}/end",
        {"version": involvement.version, "end_date": value, "reason": "Left the school"},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]
    involvement.refresh_from_db()
    assert involvement.end_date is None


def test_is2_the_chronology_only_emits_valid_date_times(
    social_worker: User, child: Person, school: Agency
) -> None:
    client = api(social_worker)
    post(
        client,
        f"/api/v1/people/{child.ref}/involvements",
        {"agency": school.slug, "role": "school", "start_date": "0853-01-01"},
    )
    events = client.get(f"/api/v1/children/{child.ref}/chronology").json()["events"]
    assert events
    assert all(RFC3339.fullmatch(event["at"]) for event in events), events


@pytest.mark.parametrize(
    ("since", "status"),
    [("2020-01-01", 200), ("0001-01-01", 400), ("9999-12-31", 400), ("2020-02-30", 400)],
)
def test_is2_chronology_since_is_a_plausible_date_or_named(
    social_worker: User, child: Person, since: str, status: int
) -> None:
    response = api(social_worker).get(f"/api/v1/children/{child.ref}/chronology", {"since": since})
    assert response.status_code == status
    if status == 400:
        assert list(response.json()["errors"]) == ["since"]


def test_is2_web_chronology_names_an_implausible_since_and_lists_everything(
    social_worker: User, child: Person
) -> None:
    response = signed_in(social_worker).get(
        f"/people/{child.ref}/chronology", {"since": "0001-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="chronology-since-error"' in html and "1900" in html
    assert "School involvement started" in html


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("0001-01-01", "Date of birth must be after 1900"),
        ("9999-12-31", "Date of birth must be today or in the past"),
    ],
)
def test_fd6_api_match_names_an_implausible_date_of_birth(
    social_worker: User, born: str, message: str
) -> None:
    response = api(social_worker).get(
        "/api/v1/people/match", {"family_name": "Prydderch", "date_of_birth": born}
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"date_of_birth": [message]}}


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [("1", "1", "1"), ("9999", "12", "31"), ("99999999999999999999", "1", "1")],
)
def test_fd6_web_match_panel_says_an_implausible_date_is_left_out(
    social_worker: User, child: Person, year: str, month: str, day: str
) -> None:
    response = signed_in(social_worker).get(
        "/people/match",
        {
            "match_given_name": child.given_name,
            "match_family_name": child.family_name,
            "dob_year": year,
            "dob_month": month,
            "dob_day": day,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    if len(year) <= 4:
        assert 'id="match-dob-error"' in html
    # The names typed are still searched for.
    assert child.ref in html


def test_is3_web_edit_names_an_implausible_date_of_birth_and_saves_nothing(
    social_worker: User, child: Person
) -> None:
    html = (
        signed_in(social_worker)
        .post(
            f"/people/{child.ref}/edit",
            {
                "version": child.version,
                "given_name": child.given_name,
                "family_name": child.family_name,
                "dob_day": "1",
                "dob_month": "1",
                "dob_year": "0001",
                "sex": "female",
                "welsh_active_offer": "accepted",
                "reason": "Corrected",
            },
        )
        .content.decode()
    )
    assert "govuk-error-summary" in html and 'href="#id_dob_day"' in html
    assert "Date of birth must be after 1900" in html
    child.refresh_from_db()
    assert child.version == 1


def test_is3_web_new_unborn_baby_far_ahead_is_named_and_not_recorded(
    social_worker: User,
) -> None:
    html = (
        signed_in(social_worker)
        .post(
            "/people/new",
            {
                "kind": "unborn",
                "family_name": "Dyfodol",
                "dob_day": "1",
                "dob_month": "1",
                "dob_year": "2999",
                "sex": "unknown",
            },
        )
        .content.decode()
    )
    assert 'href="#id_dob_day"' in html and "10 months" in html
    assert not Person.objects.filter(family_name="Dyfodol").exists()


def test_vc2_the_match_panel_says_so_in_welsh(social_worker: User, child: Person) -> None:
    response = signed_in(social_worker, language="cy").get(
        "/people/match",
        {"match_family_name": child.family_name, "dob_year": "1", "dob_month": "1", "dob_day": "1"},
    )
    text = html.unescape(response.content.decode())
    assert "Mae'r dyddiad geni wedi'i adael allan o'r chwiliad hwn" in text
    assert "Rhaid i'r dyddiad geni fod ar ôl 1900" in text
