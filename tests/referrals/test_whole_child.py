"""The Gateway sees the whole child before deciding (FD6, FD3, IS1, #20 item 6): a brother's or
sister's open referral, a police referral about the child still with the police supervisor,
open referrals about the others in the household, the named professional of each agency that
knows the child and how to reach them, and earlier referrals on a record that may be the same
child — each only as far as the reader may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.people import restriction
from tarian.people.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdMember,
    Person,
    PersonKind,
    Relationship,
    RelationshipKind,
)
from tarian.referrals import services
from tarian.referrals.models import Referral
from tarian.referrals.whole_child import whole_child
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory, UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db


def _about(referral_data: dict[str, Any], *people: Person, **more: Any) -> dict[str, Any]:
    return {**referral_data, "children": [p.ref for p in people], **more}


def _page(user: User, referral: Referral, language: str = "en") -> str:
    response = signed_in(user, language).get(f"/referrals/{referral.ref}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def brother(child: Person, sibling: Person) -> Person:
    """The child's brother, recorded as such on the child's record."""
    Relationship.objects.create(person=child, relative=sibling, kind=RelationshipKind.SIBLING)
    return sibling


def test_fd6_issue20_gateway_sees_siblings_live_referral(
    school_dsl: User, gateway_worker: User, team_manager: User, child: Person, brother: Person,
    referral_data: dict[str, Any],
) -> None:
    theirs = services.submit_referral(school_dsl, data=_about(referral_data, brother))
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert "Open now about a brother or sister:" in page
    assert theirs.ref in page and f"{brother} (sibling)" in page
    # Once decided and signed off it is no longer open: it is not shown as live.
    services.record_decision(gateway_worker, ref=theirs.ref, outcome="assessment",
                             rationale=RATIONALE)
    assert theirs.ref in _page(gateway_worker, this)  # waiting for sign-off: still open
    services.sign_off_decision(team_manager, ref=theirs.ref)
    assert theirs.ref not in _page(gateway_worker, this)


def test_fd3_fd6_issue20_gateway_sees_a_police_referral_waiting_for_the_supervisor(
    school_dsl: User, cru_officer: User, gateway_worker: User, child: Person,
    referral_data: dict[str, Any],
) -> None:
    """Sent after this referral, so not an earlier one: the Gateway is told all the same."""
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    police = services.submit_referral(cru_officer, data=_about(referral_data, child))
    assert police.status == "awaiting_supervisor"
    page = _page(gateway_worker, this)
    assert "Waiting for the police supervisor, not yet with the Gateway:" in page
    assert f'id="at-the-supervisor-{child.ref}"' in page and police.ref in page


def test_fd6_issue20_gateway_sees_open_referrals_in_the_household(
    school_dsl: User, gateway_worker: User, child: Person, referral_data: dict[str, Any],
) -> None:
    """Someone living with the child: another child of the household (no relationship
    recorded) with a referral of their own, and an adult named in the household of a referral
    about a child who lives elsewhere."""
    lodger_child = PersonFactory(given_name="Macsen", family_name="Rhydderch")
    InvolvementFactory(person=lodger_child, agency=school_dsl.agency)
    mother = PersonFactory(given_name="Heulwen", kind=PersonKind.ADULT, date_of_birth=None)
    InvolvementFactory(person=mother, agency=school_dsl.agency)
    home = Household.objects.create()
    for person in (child, lodger_child, mother):
        HouseholdMember.objects.create(household=home, person=person)
    cousin = PersonFactory(given_name="Elan", family_name="Bowen")
    InvolvementFactory(person=cousin, agency=school_dsl.agency)
    about_lodger_child = services.submit_referral(
        school_dsl, data=_about(referral_data, lodger_child)
    )
    naming_mother = services.submit_referral(
        school_dsl, data=_about(referral_data, cousin, household=[mother.ref])
    )
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert "Open now about someone in the household:" in page
    assert about_lodger_child.ref in page and "Macsen Rhydderch (household member)" in page
    assert naming_mother.ref in page and f"{mother} (household member)" in page
    assert "Open now about a brother or sister:" not in page


def test_fd1_fd6_issue20_the_household_the_referral_names_is_looked_at_too(
    school_dsl: User, gateway_worker: User, child: Person, referral_data: dict[str, Any],
) -> None:
    """Mum's new partner, on Tarian but in no household recorded with the child: the referral
    names him, and an open referral about another child names him in its household too."""
    partner = PersonFactory(given_name="Gethin", family_name="Lewis", kind=PersonKind.ADULT)
    InvolvementFactory(person=partner, agency=school_dsl.agency)
    elsewhere = PersonFactory(given_name="Lowri", family_name="Lewis")
    InvolvementFactory(person=elsewhere, agency=school_dsl.agency)
    naming_him = services.submit_referral(
        school_dsl, data=_about(referral_data, elsewhere, household=[partner.ref])
    )
    this = services.submit_referral(
        school_dsl, data=_about(referral_data, child, household=[partner.ref])
    )
    [picture] = whole_child(gateway_worker, this)
    assert [(n.referral, n.person) for n in picture.household] == [(naming_him, partner)]
    assert f'id="household-open-{child.ref}"' in _page(gateway_worker, this)


def test_fd6_issue20_known_now_to_names_each_professional_and_how_to_reach_them(
    school_dsl: User, gateway_worker: User, child: Person, school: Agency,
    referral_data: dict[str, Any],
) -> None:
    from tests.factories import AgencyFactory

    health = AgencyFactory(slug="bwrdd-iechyd", name="Bwrdd Iechyd Gaerwen", type="health",
                           email="safeguarding@iechyd.example")
    visitor = UserFactory(first_name="Bethan", last_name="Morgan", agency=health,
                          job_title="Health visitor", phone="01234 567890",
                          email="bethan.morgan@iechyd.example")
    InvolvementFactory(person=child, agency=health, role="health_visitor", professional=visitor)
    gp = AgencyFactory(slug="meddygfa", name="Meddygfa'r Bont", type="gp_practice",
                       email="practice@meddygfa.example")
    InvolvementFactory(person=child, agency=gp, role="gp", professional_name="Dr Rhys Owen")
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert "Known now to:" in page and "Ysgol Aberwen (School)" in page
    assert "Bethan Morgan, Health visitor" in page and "01234 567890" in page
    assert "mailto:bethan.morgan@iechyd.example" in page
    assert "Dr Rhys Owen" in page and "Agency email:" in page
    assert "practice@meddygfa.example" in page
    assert "no named professional" in page  # the school's involvement names nobody


def test_is1_issue20_a_reader_of_another_agency_does_not_see_the_whole_child(
    school_dsl: User, other_school_dsl: User, cru_officer: User, gateway_worker: User,
    child: Person, brother: Person, referral_data: dict[str, Any],
) -> None:
    """The referrer's own agency reads its referral, not the police's about the brother or
    the child: neither on the page nor from the selector, whose rules narrow the referrals."""
    police_about_brother = services.submit_referral(
        cru_officer, data=_about(referral_data, brother)
    )
    police_about_child = services.submit_referral(cru_officer, data=_about(referral_data, child))
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(school_dsl, this)
    for hidden in (police_about_brother.ref, police_about_child.ref, "Open now about",
                   "Waiting for the police supervisor", "Known now to:"):
        assert hidden not in page
    [picture] = whole_child(school_dsl, this)
    assert picture.siblings == [] and picture.at_the_supervisor == []
    assert picture.hidden_nearby == 0
    [gateway] = whole_child(gateway_worker, this)
    assert [n.referral for n in gateway.siblings] == [police_about_brother]
    assert gateway.at_the_supervisor == [police_about_child]
    assert signed_in(other_school_dsl).get(f"/referrals/{this.ref}").status_code == 404
    assert whole_child(other_school_dsl, this)[0].siblings == []


def test_is1_issue20_a_restricted_brothers_referral_is_counted_never_named(
    school_dsl: User, gateway_worker: User, team_manager: User, child: Person, brother: Person,
    referral_data: dict[str, Any],
) -> None:
    theirs = services.submit_referral(school_dsl, data=_about(referral_data, brother))
    restriction.set_restriction(
        team_manager, person=brother, restricted=True,
        reason="The boy's father works in the Gateway team", named_usernames=[],
    )
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert ("1 more is open about a brother, sister or household member whose record you may "
            "not open.") in page
    assert theirs.ref not in page and brother.given_name not in page and brother.ref not in page
    # The manager who restricted it is named on the record: they see it.
    [named] = whole_child(team_manager, this)
    assert [n.person for n in named.siblings] == [brother] and named.hidden_nearby == 0


def _twin(child: Person, school: Agency) -> Person:
    twin = PersonFactory(given_name=child.given_name, family_name=child.family_name,
                         date_of_birth=child.date_of_birth)
    InvolvementFactory(person=twin, agency=school)
    DuplicateCandidate.objects.create(
        person_a=child, person_b=twin, score=0.93, reasons=[], found_at=timezone.now()
    )
    return twin


def test_fd6_issue20_earlier_referrals_count_those_on_a_possible_duplicate_record(
    school_dsl: User, gateway_worker: User, child: Person, school: Agency,
    referral_data: dict[str, Any],
) -> None:
    twin = _twin(child, school)
    for _ in range(2):
        services.submit_referral(school_dsl, data=_about(referral_data, twin))
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert "2 more on a record that may be the same child" in page
    assert "Repeat reports: 3 within 12 months" in page
    [picture] = whole_child(gateway_worker, this)
    assert picture.history.on_duplicates == 2 and picture.history.is_repeat
    # Found not to be the same child: no longer counted.
    DuplicateCandidate.objects.update(status=DuplicateStatus.NOT_SAME)
    page = _page(gateway_worker, this)
    assert "on a record that may be the same child" not in page
    assert "Repeat reports" not in page


def test_is1_issue20_referrals_on_a_restricted_duplicate_are_counted_not_shown(
    school_dsl: User, gateway_worker: User, team_manager: User, child: Person, school: Agency,
    referral_data: dict[str, Any],
) -> None:
    twin = _twin(child, school)
    earlier = services.submit_referral(school_dsl, data=_about(referral_data, twin))
    restriction.set_restriction(team_manager, person=twin, restricted=True,
                                reason="A high-profile case", named_usernames=[])
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this)
    assert "1 more on a record you may not open that may be the same child" in page
    assert twin.ref not in page and earlier.ref not in page


def test_vc2_issue20_the_whole_child_in_welsh(
    school_dsl: User, gateway_worker: User, child: Person, brother: Person, school: Agency,
    referral_data: dict[str, Any],
) -> None:
    twin = _twin(child, school)
    services.submit_referral(school_dsl, data=_about(referral_data, twin))
    services.submit_referral(school_dsl, data=_about(referral_data, brother))
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    page = _page(gateway_worker, this, "cy")
    assert "Ar agor nawr am frawd neu chwaer:" in page
    assert "1 arall ar gofnod a allai fod yr un plentyn" in page


def test_fd6_issue20_the_whole_child_costs_the_same_however_many_relatives(
    school_dsl: User, gateway_worker: User, child: Person, brother: Person, school: Agency,
    referral_data: dict[str, Any],
) -> None:
    """Issue 17: no query per brother, sister, household member or referral."""
    this = services.submit_referral(school_dsl, data=_about(referral_data, child))
    home = Household.objects.create()
    HouseholdMember.objects.create(household=home, person=child)

    def more_family(n: int) -> None:
        for i in range(n):
            sister = PersonFactory(given_name=f"Chwaer{n}{i}")
            InvolvementFactory(person=sister, agency=school)
            Relationship.objects.create(person=sister, relative=child,
                                        kind=RelationshipKind.HALF_SIBLING)
            services.submit_referral(school_dsl, data=_about(referral_data, sister))
            lodger = PersonFactory(given_name=f"Lletywr{n}{i}", kind=PersonKind.ADULT)
            HouseholdMember.objects.create(household=home, person=lodger)
            InvolvementFactory(person=lodger, agency=school)
            services.submit_referral(
                school_dsl, data=_about(referral_data, brother, household=[lodger.ref])
            )
        if n == 1:
            _twin(child, school)

    def cost() -> tuple[int, int]:
        whole_child(gateway_worker, this)  # the matcher reads the register's counts once
        with CaptureQueriesContext(connection) as captured:
            [picture] = whole_child(gateway_worker, this)
        return len(captured), len(picture.siblings) + len(picture.household)

    more_family(1)
    few, shown_few = cost()
    more_family(4)
    many, shown_many = cost()
    assert shown_many > shown_few
    assert many == few
