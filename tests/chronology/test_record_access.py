"""IS1, IS2: the chronology shows only events whose records the reader may open.

Issue 18, item 1: a school DSL or a GP who gets 404 on a police referral read its concern, the
police as the referring agency and the Gateway's rationale in the child's chronology, because
the chronology asked only whether the role may read referrals at all. Every source now chooses
its records through that kind of record's own access function. The first tests check the
content through the page and the API; the last ones hold for every registered source.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, AgencyType, User
from tarian.chronology.events import sources
from tarian.people.models import Person
from tarian.referrals import services as referrals
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db

POLICE_CONCERN = "Police attended a domestic incident at the family home; the child was present."
POLICE_RATIONALE = (
    "Repeated police call-outs with the child present meet the threshold for a strategy "
    "discussion with the police today."
)
SCHOOL_CONCERN = "The child arrived hungry three days running and asked staff for food for home."
GP_CONCERN = "The child missed two immunisation appointments and the practice cannot reach home."


def _referral(user: User, concern: str, child: Person) -> Referral:
    return referrals.submit_referral(
        user,
        data={
            "children": [child.ref],
            "concern": concern,
            "voice_of_child": "'I like school.'",
            "voice_method": "own_words",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
    )


@pytest.fixture
def gp_practice(db: None) -> Agency:
    return AgencyFactory(
        slug="meddygfa-aberwen", name="Meddygfa Aberwen", type=AgencyType.GP_PRACTICE
    )


@pytest.fixture
def gp(gp_practice: Agency, child: Person) -> User:
    """A GP practice's referrer; the practice is involved with the child."""
    InvolvementFactory(person=child, agency=gp_practice, role="gp")
    return UserFactory(username="meddyg", agency=gp_practice, roles=["referrer"])


@pytest.fixture
def police_referral(
    cru_officer: User, police: Agency, gateway_worker: User, team_manager: User, child: Person
) -> Referral:
    """A police referral about the child, decided by the Gateway and signed off."""
    supervisor = UserFactory(username="sarjant", agency=police, roles=["cru_supervisor"])
    referral = _referral(cru_officer, POLICE_CONCERN, child)
    referrals.approve_referral(supervisor, ref=referral.ref)
    referrals.record_decision(
        gateway_worker, ref=referral.ref, outcome="strategy_discussion", rationale=POLICE_RATIONALE
    )
    referrals.sign_off_decision(team_manager, ref=referral.ref)
    return referral


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


@pytest.mark.parametrize("reader", ["school_dsl", "gp"])
def test_is1_chronology_page_and_api_leave_out_a_referral_the_reader_cannot_open(
    reader: str, request: pytest.FixtureRequest, child: Person, police_referral: Referral
) -> None:
    user: User = request.getfixturevalue(reader)
    own_concern = SCHOOL_CONCERN if reader == "school_dsl" else GP_CONCERN
    own = _referral(user, own_concern, child)
    web = signed_in(user)
    assert web.get(f"/referrals/{police_referral.ref}").status_code == 404
    page = web.get(f"/people/{child.ref}/chronology")
    api = _api(user).get(f"/api/v1/children/{child.ref}/chronology")
    assert (page.status_code, api.status_code) == (200, 200)
    html = page.content.decode()
    assert own_concern in html
    assert web.get(f"/referrals/{own.ref}").status_code == 200
    body = api.json()
    summaries = [e["summary"] for e in body["events"]]
    assert own_concern in summaries
    for text in (html, api.content.decode()):
        assert POLICE_CONCERN not in text
        assert POLICE_RATIONALE not in text
        assert "Gaerwen Police" not in text  # the referring agency
    assert "gaerwen-police" not in {e["agency"] for e in body["events"]}
    assert not [e for e in body["events"] if e["kind"] == "gateway_decision"]


def test_is2_gateway_reads_the_police_referral_and_decision_in_the_chronology(
    gateway_worker: User, child: Person, police_referral: Referral
) -> None:
    """The same events are there for a reader who may open the referral (page and API)."""
    html = signed_in(gateway_worker).get(f"/people/{child.ref}/chronology").content.decode()
    body = _api(gateway_worker).get(f"/api/v1/children/{child.ref}/chronology").json()
    assert POLICE_CONCERN in html and POLICE_RATIONALE in html and "Gaerwen Police" in html
    kinds = {(e["kind"], e["agency"]) for e in body["events"]}
    assert ("referral_made", "gaerwen-police") in kinds
    assert POLICE_RATIONALE in [e["summary"] for e in body["events"]]


# --- Every registered source ---------------------------------------------------------------


@pytest.fixture
def recorded_child(
    child: Person, police_referral: Referral, school_dsl: User, social_worker: User
) -> Person:
    """A child with records of every kind a source reads. A new source whose records are not
    made here fails ``test_is1_every_source_is_exercised``: add them to this fixture."""
    from tarian.enquiries.services import start_enquiry
    from tarian.meetings.services import record_meeting_decision
    from tarian.strategy.services import convene_strategy_meeting

    _referral(school_dsl, SCHOOL_CONCERN, child)
    # Issue 21: a strategy meeting that decided Section 47 enquiries, and the enquiries.
    meeting, _created = convene_strategy_meeting(social_worker, children=[child.ref])
    reasons = ("Bruising seen twice and an account from the child of being grabbed at home: "
               "joint enquiries with the police are needed to keep the child safe.")
    record_meeting_decision(social_worker, meeting_id=meeting.pk,
                            list_name="strategy_decisions", code="section_47", rationale=reasons)
    start_enquiry(social_worker, strategy_meeting_id=meeting.pk, type="joint", rationale=reasons)
    return child


def test_is1_every_source_is_exercised(social_worker: User, recorded_child: Person) -> None:
    """A reader who may open everything sees events from every source (so the test below,
    which finds none for outsiders, is about sources that have something to show)."""
    empty = [
        name
        for name, source in sources().items()
        if not list(source.events_for(social_worker, recorded_child))
    ]
    assert not empty, f"no events from {empty}: give the test child records of that kind"


@pytest.fixture
def outsiders(other_school_dsl: User, board_member: User, db: None) -> dict[str, User]:
    return {
        "another school's DSL": other_school_dsl,
        "a board member": board_member,
        "a user of no agency": UserFactory(username="neb", agency=None, roles=["social_worker"]),
        "a GP practice not involved": UserFactory(
            username="meddyg-arall",
            agency=AgencyFactory(slug="meddygfa-arall", type=AgencyType.GP_PRACTICE),
            roles=["referrer"],
        ),
    }


@pytest.mark.parametrize("name", sorted(sources()))
def test_is1_no_source_shows_an_outsider_anything(
    name: str, recorded_child: Person, outsiders: dict[str, User]
) -> None:
    """Each source is called directly with the child, as if the chronology's own check on the
    child had been forgotten: the source's access function alone must show an outsider
    nothing."""
    source = sources()[name]
    for who, user in outsiders.items():
        shown: list[Any] = list(source.events_for(user, recorded_child))
        assert shown == [], f"{name} shows {who}: {[e.summary for e in shown]}"


def test_is1_a_restricted_child_shows_nothing_to_someone_not_named(
    social_worker: User, team_manager: User, recorded_child: Person
) -> None:
    """The involvements source follows the restriction as the record's page does."""
    from tarian.people.restriction import set_restriction

    set_restriction(
        team_manager,
        person=recorded_child,
        restricted=True,
        reason="A member of staff's own family",
        named_usernames=[],
    )
    involvements = sources()["involvements"]
    assert list(involvements.events_for(social_worker, recorded_child)) == []
    assert list(involvements.events_for(team_manager, recorded_child))
