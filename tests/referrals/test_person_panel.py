"""Where the child stands, on their record page (#20 item 10, IS2): the referrals about them
that the reader may open, each with its status and decision; nothing of the others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals import services
from tarian.referrals.models import Referral
from tarian.referrals.person_panel import referrals_about
from tests.clients import signed_in
from tests.factories import AgencyFactory, UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school: Agency) -> User:
    return UserFactory(username="athro", agency=school, roles=["referrer"])


def _referral(teacher: User, data: dict[str, Any], *, days_ago: int = 0) -> Referral:
    return services.submit_referral(
        teacher, data=data, now=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_is2_20_record_page_shows_open_and_recent_referrals_with_their_decision(
    teacher: User, referral_data: dict[str, Any], gateway_worker: User, social_worker: User,
    child: Person,
) -> None:
    waiting = _referral(teacher, referral_data)
    decided = _referral(teacher, referral_data, days_ago=3)
    services.record_decision(
        gateway_worker, ref=decided.ref, outcome="early_help", rationale=RATIONALE
    )
    html = signed_in(social_worker).get(f"/people/{child.ref}").content.decode()
    assert f'href="/referrals/{waiting.ref}"' in html
    assert f'href="/referrals/{decided.ref}"' in html
    today = timezone.localtime()
    outcome = current_pack().label("gateway_outcomes", "early_help", "en")
    status = "<strong>Decision waiting for manager sign-off</strong>"
    assert f"{status}: {outcome} decided {today:%-d %b}" in html
    standing = referrals_about(social_worker, child)
    assert [s.referral.ref for s in standing] == [waiting.ref, decided.ref]


def test_is2_20_old_decided_referrals_are_left_to_the_chronology(
    teacher: User, referral_data: dict[str, Any], gateway_worker: User, social_worker: User,
    child: Person,
) -> None:
    old = _referral(teacher, referral_data, days_ago=400)
    services.record_decision(gateway_worker, ref=old.ref, outcome="early_help",
                             rationale=RATIONALE)
    services.sign_off_decision(
        UserFactory(username="rheolwr", agency=gateway_worker.agency, roles=["team_manager"]),
        ref=old.ref,
    )
    assert referrals_about(social_worker, child) == []
    html = signed_in(social_worker).get(f"/people/{child.ref}").content.decode()
    assert old.ref not in html
    assert "none decided in the last year" in html


def test_is1_20_a_reader_sees_only_the_referrals_they_may_open(
    teacher: User, referral_data: dict[str, Any], child: Person, school: Agency,
) -> None:
    """Another school's DSL who may open the child's record sees no referral of this school's."""
    _referral(teacher, referral_data)
    other = AgencyFactory(slug="ysgol-arall", name="Ysgol Arall", type="school")
    dsl = UserFactory(username="dsl-arall", agency=other, roles=["dsl"])
    from tests.factories import InvolvementFactory

    InvolvementFactory(person=child, agency=other)
    assert referrals_about(dsl, child) == []
    html = signed_in(dsl).get(f"/people/{child.ref}").content.decode()
    assert "/referrals/R" not in html


def test_is2_vc2_20_welsh_panel(
    teacher: User, referral_data: dict[str, Any], gateway_worker: User, social_worker: User,
    child: Person,
) -> None:
    decided = _referral(teacher, referral_data)
    services.record_decision(
        gateway_worker, ref=decided.ref, outcome="early_help", rationale=RATIONALE
    )
    html = signed_in(social_worker, "cy").get(f"/people/{child.ref}").content.decode()
    assert "Adroddiadau" in html
    assert "penderfynwyd" in html
