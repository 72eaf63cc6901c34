"""The front door's pages: form errors named, queues, decision and sign-off forms (FD1-FD6)."""

from __future__ import annotations

from typing import Any

import pytest

from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.referrals import services
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db


def form_data(referral_data: dict[str, Any]) -> dict[str, Any]:
    return {**referral_data, "children": ", ".join(referral_data["children"])}


def test_fd1_fd7_form_shows_threshold_guide_and_names_missing_fields(school_dsl: User) -> None:
    client = signed_in(school_dsl)
    page = client.get("/referrals/new").content.decode()
    assert "Threshold guide" in page
    errors = client.post("/referrals/new", {"children": "TNOPE0000"}).content.decode()
    assert "govuk-error-summary" in errors
    for message in ("No person you can see has the Tarian ID TNOPE0000", "Describe the concern",
                    "Record what the child said or showed"):
        assert message in errors
    assert not Referral.objects.exists()


def test_fd1_referral_from_the_form_lands_on_its_page(school_dsl: User,
                                                      referral_data: dict[str, Any]) -> None:
    client = signed_in(school_dsl)
    response = client.post("/referrals/new", form_data(referral_data))
    assert response.status_code == 302
    referral = Referral.objects.get()
    page = client.get(response["Location"]).content.decode()
    # A Wales deployment says "report", as its pack does (#20 item 5).
    assert f"Report {referral.ref}" in page and "has been sent" in page


def test_fd6_gateway_sees_queue_and_earlier_referrals_then_decides(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    for _ in range(2):
        earlier = services.submit_referral(school_dsl, data=referral_data)
    latest = services.submit_referral(school_dsl, data=referral_data)
    client = signed_in(gateway_worker)
    assert latest.ref in client.get("/referrals").content.decode()
    page = client.get(f"/referrals/{latest.ref}").content.decode()
    assert "Earlier reports" in page and earlier.ref in page
    assert "Repeat reports: 3 within 12 months" in page
    bare = client.post(f"/referrals/{latest.ref}/decision",
                       {"version": latest.version, "outcome": "no_further_action",
                        "rationale": "NFA"})
    assert bare.status_code == 400 and "only names the outcome" in bare.content.decode()
    ok = client.post(f"/referrals/{latest.ref}/decision",
                     {"version": latest.version, "outcome": "strategy_discussion",
                      "rationale": RATIONALE})
    assert ok.status_code == 302


def test_fd4_decider_is_not_offered_sign_off_and_another_manager_is(
    school_dsl: User, team_manager: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    services.record_decision(team_manager, ref=referral.ref, outcome="assessment",
                             rationale=RATIONALE)
    assert "Sign off the decision" not in signed_in(team_manager).get(
        f"/referrals/{referral.ref}").content.decode()
    other = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    client = signed_in(other)
    assert "Sign off the decision" in client.get(f"/referrals/{referral.ref}").content.decode()
    referral.refresh_from_db()
    done = client.post(f"/referrals/{referral.ref}/sign-off", {"version": referral.version})
    assert done.status_code == 302
    assert "Referrer told" in signed_in(school_dsl).get(
        f"/referrals/{referral.ref}").content.decode()


def test_is1_other_school_cannot_open_referral(school_dsl: User, other_school_dsl: User,
                                               referral_data: dict[str, Any]) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    assert signed_in(other_school_dsl).get(f"/referrals/{referral.ref}").status_code == 404


def test_board_member_has_no_front_door(board_member: User, child: Person) -> None:
    client = signed_in(board_member)
    assert client.get("/referrals").status_code == 404
    assert client.get("/referrals/new").status_code == 404


def test_fd6_gateway_sees_who_knows_each_child_and_the_chronology_link(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any], child: Person
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Known now to:" in page and "Ysgol Aberwen (School)" in page
    assert f"/people/{child.ref}/chronology" in page


def test_fd6_gateway_sees_other_records_that_may_be_the_same_child(
    school_dsl: User, gateway_worker: User, child: Person, referral_data: dict[str, Any]
) -> None:
    from tests.factories import PersonFactory

    again = PersonFactory(
        given_name="Gwen", family_name=child.family_name, date_of_birth=child.date_of_birth,
        nhs_number="",
    )
    referral = services.submit_referral(school_dsl, data={**referral_data,
                                                          "children": [child.ref]})
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Other records that may be the same child" in page
    assert again.ref in page and "given name an equivalent form: Gwenllian/Gwen" in page


def test_fd1_household_members_named_prefilled_and_shown(
    school_dsl: User, gateway_worker: User, child: Person, referral_data: dict[str, Any]
) -> None:
    """The referral names the adults living with the child: picked from Tarian (offered from
    the child's household on the record) or described in words."""
    from tarian.people.models import Household, HouseholdMember, PersonKind
    from tests.factories import InvolvementFactory, PersonFactory

    mother = PersonFactory(given_name="Heulwen", family_name="Prydderch",
                           kind=PersonKind.ADULT, date_of_birth=None)
    home = Household.objects.create()
    for person in (child, mother):
        HouseholdMember.objects.create(household=home, person=person)
    InvolvementFactory(person=mother, agency=school_dsl.agency)
    client = signed_in(school_dsl)
    page = client.get(f"/referrals/new?child={child.ref}").content.decode()
    assert "Living with the child, on Tarian:" in page and mother.ref in page
    data = {**form_data({**referral_data, "children": [child.ref]}),
            "household": mother.ref.lower(),
            "household_notes": "Mum's partner, Rob (surname not known), stays most nights."}
    response = client.post("/referrals/new", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert list(referral.household.all()) == [mother]
    shown = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Heulwen" in shown and "stays most nights" in shown
    bad = client.post("/referrals/new", {**data, "household": f"TNOPE0000, {child.ref}"})
    assert "No person you can see has the Tarian ID TNOPE0000" in bad.content.decode()


def test_fd1_api_referral_with_household(school_dsl: User, child: Person,
                                        referral_data: dict[str, Any]) -> None:
    from django.test import Client

    from tarian.agencies.credentials import issue_token
    from tests.factories import PersonFactory

    father = PersonFactory(given_name="Iwan", family_name="Prydderch", date_of_birth=None,
                           created_by_agency=school_dsl.agency)  # the school recorded him
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    body = {**referral_data, "household": [father.ref], "household_notes": "Grandmother too."}
    made = api.post("/api/v1/referrals", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["household"] == [father.ref]
    assert made.json()["household_notes"] == "Grandmother too."
    wrong = api.post("/api/v1/referrals", {**body, "household": [referral_data["children"][0]]},
                     content_type="application/json")
    assert wrong.status_code == 400 and "household" in wrong.json()["errors"]
