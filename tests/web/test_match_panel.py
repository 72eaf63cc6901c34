"""The referral form's "is the child already known?" panel (FD6), as-you-type with htmx."""

from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def typed(child: Person, **changes: str) -> dict[str, str]:
    assert child.date_of_birth is not None
    data = {
        "match_given_name": child.given_name, "match_family_name": child.family_name,
        "dob_day": str(child.date_of_birth.day), "dob_month": str(child.date_of_birth.month),
        "dob_year": str(child.date_of_birth.year), "for": "referral",
    }
    return {**data, **changes}


def test_fd6_referral_form_has_the_known_to_any_agency_panel(school_dsl: User) -> None:
    page = signed_in(school_dsl).get("/referrals/new").content.decode()
    assert "Is the child already known to any agency?" in page
    assert 'hx-get="/people/match?for=referral&amp;about="' in page


def test_fd6_panel_shows_the_child_with_reasons_and_adds_them_to_the_referral(
    school_dsl: User, child: Person
) -> None:
    page = signed_in(school_dsl).get(
        "/people/match", typed(child, match_family_name="Pryderch", dob_day="1", dob_month="6")
    ).content.decode()
    assert child.ref in page
    assert "Likely the same child" in page or "Possibly the same child" in page
    assert "surname similar: Pryderch/Prydderch" in page
    # #20 item 8: one click adds the child to the form it is on (a button of that form).
    assert f'name="change" value="add_child:{child.ref}"' in page


def test_fd6_panel_tells_a_school_without_involvement_only_to_ask_the_gateway(
    other_school_dsl: User, child: Person
) -> None:
    page = signed_in(other_school_dsl).get("/people/match", typed(child)).content.decode()
    assert "A possible match exists that you may not see" in page
    assert child.ref not in page and child.given_name not in page


def test_fd6_panel_waits_for_enough_to_go_on_and_ignores_half_typed_dates(
    school_dsl: User, child: Person
) -> None:
    client = signed_in(school_dsl)
    page = client.get("/people/match", {"match_given_name": "Gw"}).content.decode()
    assert "Type a name and a date of birth" in page
    half = client.get("/people/match", typed(child, dob_year="20", dob_month="13"))
    assert half.status_code == 200 and child.ref in half.content.decode()


def test_fd6_panel_is_not_there_for_a_role_that_may_not_search(board_member: User) -> None:
    page = signed_in(board_member).get("/people/match", {"match_given_name": "A"})
    assert page.status_code == 404
