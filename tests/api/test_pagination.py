"""Every paged list checks ``page`` and ``page_size`` as its schema documents them (#17).

Before, a ``page_size`` over the maximum (200) was silently clamped and one that was not a
number silently replaced by the default, so a client asking for 500 got 200 and could not
tell. Now it is 400 naming ``page_size``; a ``page`` that is not a whole number from 1 is 400
naming ``page``; a page past the last is 404, as before.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/people",
    "/api/v1/referrals",
    "/api/v1/referrals?status=awaiting_decision",
    "/api/v1/duplicates",
    "/api/v1/people/{ref}/access-log",
    "/api/v1/people/{ref}/involvements",
    "/api/v1/people/{ref}/documents",
]


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "1e3"}, "page_size"),
        ({"page_size": "9" * 5000}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "last"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "9" * 5000}, "page"),
    ],
)
def test_api_a_page_or_page_size_outside_the_schema_is_400_naming_it(
    path: str, query: dict[str, str], field: str, team_manager: User, child: Person
) -> None:
    response = api(team_manager).get(path.format(ref=child.ref), query)
    assert response.status_code == 400, response.content[:200]
    assert list(response.json()["errors"]) == [field]


def test_api_the_largest_page_size_is_served_and_a_page_past_the_end_is_404(
    team_manager: User,
) -> None:
    PersonFactory.create_batch(3)
    client = api(team_manager)
    page = client.get("/api/v1/people", {"page_size": "200"}).json()
    assert (page["count"], len(page["results"]), page["next"]) == (3, 3, None)
    first = client.get("/api/v1/people", {"page_size": "2", "page": "1"}).json()
    assert len(first["results"]) == 2 and "page=2" in first["next"]
    assert client.get("/api/v1/people", {"page_size": "2", "page": "3"}).status_code == 404
    assert client.get("/api/v1/people", {"page": "99999999999999999999"}).status_code == 404


def test_api_the_schema_documents_the_maximum_and_the_refusal() -> None:
    from tarian.api.schema import PAGE_PARAMETERS

    page_size = next(p for p in PAGE_PARAMETERS if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 200
    assert "400" in page_size["description"]


def test_api_a_persons_involvements_are_paged_like_every_list(
    team_manager: User, child: Person
) -> None:
    from tests.factories import InvolvementFactory

    InvolvementFactory.create_batch(2, person=child)
    client = api(team_manager)
    first = client.get(f"/api/v1/people/{child.ref}/involvements", {"page_size": "2"}).json()
    assert (first["count"], len(first["results"])) == (3, 2) and "page=2" in first["next"]
    last = client.get(f"/api/v1/people/{child.ref}/involvements", {"page_size": "2", "page": "2"})
    assert len(last.json()["results"]) == 1 and last.json()["next"] is None
