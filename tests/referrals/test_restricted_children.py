"""A referral about a restricted child keeps the child's record restricted (IS1).

A restricted record is hidden from everyone whose sharing rules would show it unless they are
named on it or break the glass; a referral naming that child must not show its concern, the
child's voice or the decision's rationale to them either — not on its page, not in the API,
not in the queues — and nobody un-named acts on it before opening the child's record.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.errors import Restricted
from tarian.people import restriction
from tarian.people.models import Person
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db

CONCERN = "bruising to her arm"
REASON = "Referral at the front door now: I must read it to decide before the clock breaches"


@pytest.fixture
def referral(school_dsl: User, referral_data: dict[str, Any]) -> Referral:
    return services.submit_referral(school_dsl, data=referral_data)


@pytest.fixture
def restricted(
    team_manager: User, social_worker: User, child: Person, referral: Referral
) -> Person:
    return restriction.set_restriction(
        team_manager,
        person=child,
        restricted=True,
        reason="The child's mother works in the Gateway team",
        named_usernames=[social_worker.username],
    )


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user, name='test')}"})


def test_is1_referral_page_sends_an_unnamed_gateway_worker_to_break_glass_first(
    gateway_worker: User, restricted: Person, referral: Referral
) -> None:
    response = signed_in(gateway_worker).get(f"/referrals/{referral.ref}")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{restricted.ref}/break-glass"
    with pytest.raises(Restricted):
        selectors.referral_for(gateway_worker, referral.ref)


def test_is1_referral_api_is_restricted_for_an_unnamed_gateway_worker(
    gateway_worker: User, restricted: Person, referral: Referral
) -> None:
    response = _api(gateway_worker).get(f"/api/v1/referrals/{referral.ref}")
    assert response.status_code == 403
    assert response.json()["restricted"] is True
    assert CONCERN not in response.content.decode()


def test_is1_queues_and_lists_withhold_what_the_referral_says(
    gateway_worker: User, restricted: Person, referral: Referral
) -> None:
    page = signed_in(gateway_worker).get("/referrals").content.decode()
    assert referral.ref in page
    assert "Restricted record" in page
    assert restricted.given_name not in page
    for query in ("", "?status=awaiting_decision"):
        listed = _api(gateway_worker).get(f"/api/v1/referrals{query}").json()["results"]
        item = next(i for i in listed if i["id"] == referral.ref)
        assert item["withheld"] is True
        assert item["concern"] == item["voice_of_child"] == item["strengths"] == ""
        assert CONCERN not in str(listed)


def test_is1_nobody_unnamed_decides_on_it_blind(
    gateway_worker: User, restricted: Person, referral: Referral
) -> None:
    with pytest.raises(Restricted):
        services.record_decision(
            gateway_worker, ref=referral.ref, outcome="strategy_discussion", rationale=RATIONALE
        )
    response = _api(gateway_worker).post(
        f"/api/v1/referrals/{referral.ref}/decision",
        {"outcome": "strategy_discussion", "rationale": RATIONALE},
        content_type="application/json",
    )
    assert response.status_code == 403
    web = signed_in(gateway_worker).post(
        f"/referrals/{referral.ref}/decision",
        {"outcome": "strategy_discussion", "rationale": RATIONALE, "version": referral.version},
    )
    assert web["Location"] == f"/people/{restricted.ref}/break-glass"
    referral.refresh_from_db()
    assert not hasattr(referral, "decision") or referral.decision is None


def test_is1_named_people_and_those_who_broke_the_glass_read_it(
    gateway_worker: User, social_worker: User, restricted: Person, referral: Referral
) -> None:
    assert CONCERN in signed_in(social_worker).get(f"/referrals/{referral.ref}").content.decode()
    restriction.open_restricted_record(gateway_worker, ref=restricted.ref, reason=REASON)
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}")
    assert page.status_code == 200
    assert CONCERN in page.content.decode()
    listed = _api(gateway_worker).get("/api/v1/referrals").json()["results"]
    assert next(i for i in listed if i["id"] == referral.ref)["withheld"] is False


def test_is1_an_unrestricted_referral_is_not_withheld(
    gateway_worker: User, referral: Referral
) -> None:
    listed = _api(gateway_worker).get("/api/v1/referrals").json()["results"]
    item = next(i for i in listed if i["id"] == referral.ref)
    assert item["withheld"] is False
    assert CONCERN in item["concern"]
