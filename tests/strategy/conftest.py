"""Strategy personas: a GP practice and a health visitor involved with the child, a housing
association that is not, and a referral on which the Gateway decides a strategy discussion."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.meetings.models import Meeting
from tarian.people.models import Person
from tarian.referrals import services
from tarian.referrals.models import Referral
from tests.factories import AgencyFactory, InvolvementFactory, UserFactory
from tests.referrals.conftest import RATIONALE, cru_supervisor, referral_data, sibling

__all__ = ["api", "cru_supervisor", "referral_data", "sibling"]


def api(user: User) -> Client:
    """A partner system's client: a bearer token, JSON in and out."""
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


@pytest.fixture
def gp_practice(db: None) -> Agency:
    return AgencyFactory(name="Meddygfa Aberwen", slug="meddygfa-aberwen", type="gp_practice")


@pytest.fixture
def gp(gp_practice: Agency) -> User:
    return UserFactory(username="gp", agency=gp_practice, roles=["health_practitioner"])


@pytest.fixture
def housing(db: None) -> Agency:
    return AgencyFactory(name="Tai Aberwen", slug="tai-aberwen", type="housing")


@pytest.fixture
def housing_officer(housing: Agency) -> User:
    return UserFactory(username="tai", agency=housing, roles=["referrer"])


@pytest.fixture
def involved_gp(child: Person, gp_practice: Agency) -> Person:
    InvolvementFactory(person=child, agency=gp_practice, role="gp")
    return child


@pytest.fixture
def referral(school_dsl: User, referral_data: dict[str, Any], involved_gp: Person) -> Referral:
    return services.submit_referral(school_dsl, data=referral_data)


@pytest.fixture
def meeting(referral: Referral, gateway_worker: User, police: Agency) -> Meeting:
    """The strategy discussion the Gateway's decision opened."""
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="strategy_discussion", rationale=RATIONALE
    )
    return Meeting.objects.get(origin_kind="referral", origin_id=referral.ref)
