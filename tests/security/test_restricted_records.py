"""Restricted records stay hidden everywhere a person can be named, not only on their page (IS1).

A restricted record is hidden from everyone whose sharing rules would otherwise show it unless
they are named on it or have broken the glass (``tarian.people.restriction``). The matrix
probes prove this for the record, its API twin and break-glass; these tests cover the other
places that list people: search, the home page's caseload and recently viewed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.agencies.models import Agency, User
from tarian.people.models import Person, RestrictedAccess
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Cyfrinach"


@pytest.fixture
def restricted_child(school: Agency) -> Person:
    """A child Ysgol Aberwen is currently involved with, restricted to nobody at the school."""
    person = PersonFactory.create(given_name=SECRET_NAME, family_name="Cudd", is_restricted=True)
    InvolvementFactory.create(person=person, agency=school)
    return person


def test_is1_restricted_record_page_sends_the_dsl_to_break_glass(
    school_dsl: User, restricted_child: Person
) -> None:
    page = signed_in(school_dsl).get(f"/people/{restricted_child.ref}")
    assert page.status_code == 302
    assert page["Location"] == f"/people/{restricted_child.ref}/break-glass"


def test_is1_search_shows_only_the_tarian_id_of_a_restricted_record(
    school_dsl: User, restricted_child: Person
) -> None:
    page = signed_in(school_dsl).get("/people/search", {"q": restricted_child.family_name})
    body = page.content.decode()
    assert page.status_code == 200
    assert restricted_child.ref in body
    assert SECRET_NAME not in body


def test_is1_home_caseload_does_not_name_a_restricted_child(
    school_dsl: User, restricted_child: Person
) -> None:
    """Regression: the caseload once listed every current involvement of the user's agency."""
    page = signed_in(school_dsl).get("/")
    assert page.status_code == 200
    assert SECRET_NAME not in page.content.decode()


def test_is1_home_caseload_names_a_restricted_child_to_those_named_on_it(
    school_dsl: User, restricted_child: Person
) -> None:
    RestrictedAccess.objects.create(
        person=restricted_child,
        user=school_dsl,
        granted_by=school_dsl,
        granted_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
        reason="Named by the team manager",
    )
    page = signed_in(school_dsl).get("/")
    assert SECRET_NAME in page.content.decode()


def test_is1_recently_viewed_drops_a_record_once_it_is_restricted(
    social_worker: User, child: Person
) -> None:
    """The child is not on the social worker's caseload, only in what they recently viewed."""
    client = signed_in(social_worker)
    assert client.get(f"/people/{child.ref}").status_code == 200
    assert child.given_name in client.get("/").content.decode()
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    assert child.given_name not in client.get("/").content.decode()
