"""What a referral's page and its API twin read (FD3-FD5): who may act on it now, from one
read model, and the Gateway queue's order taken from the procedures pack (FD4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from tarian.agencies.models import User
from tarian.errors import Refused
from tarian.procedures.packs import load_pack
from tarian.referrals import selectors, services
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db


def test_fd4_the_decider_may_not_sign_off_and_the_page_and_service_agree(
    school_dsl: User, team_manager: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    assert selectors.referral_page(team_manager, referral.ref).may_decide
    services.record_decision(
        team_manager, ref=referral.ref, outcome="assessment", rationale=RATIONALE
    )
    theirs = selectors.referral_page(team_manager, referral.ref)
    assert not theirs.may_decide and not theirs.may_sign_off and theirs.shows_history is False
    colleague = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    other = selectors.referral_page(colleague, referral.ref)
    assert other.may_sign_off and other.shows_history
    assert other.decision is not None and other.feedback_clock is not None
    with pytest.raises(Refused) as refused:
        services.sign_off_decision(team_manager, ref=referral.ref)
    assert "signed_off_by" in refused.value.errors
    sign_off = f"/referrals/{referral.ref}/sign-off"
    assert sign_off not in _page(team_manager, referral.ref)
    assert sign_off in _page(colleague, referral.ref)


def _page(user: User, ref: str) -> str:
    return signed_in(user).get(f"/referrals/{ref}").content.decode()


def test_fd3_fd5_who_may_approve_and_send_feedback(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    page = selectors.referral_page(gateway_worker, referral.ref)
    assert (page.may_decide, page.may_sign_off, page.may_approve, page.may_send_feedback) == (
        True,
        False,
        False,
        False,
    )
    assert page.feedback_clock is None
    reader = selectors.referral_page(school_dsl, referral.ref)
    assert not (reader.may_decide or reader.may_sign_off or reader.may_approve)


def test_fd4_priority_rank_is_the_packs_order() -> None:
    for name in ("wales", "england"):
        codes = load_pack(name).codes("referrer_priorities")
        assert [selectors.priority_rank(code) for code in codes] == list(range(len(codes)))
    assert selectors.priority_rank("not_a_priority") == len(codes)


def test_fd4_20_referrals_due_at_the_same_time_follow_the_packs_priority_order(
    school_dsl: User,
    gateway_worker: User,
    referral_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The queue comes by time left (#20); two referrals due at the same time come in the
    order the pack lists its priorities (medium and standard both fall due at the end of the
    next working day)."""
    now = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    standard = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "standard"}, now=now
    )
    medium = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "medium"}, now=now + dt.timedelta(hours=1)
    )
    queue = selectors.gateway_queue(gateway_worker, now=now + dt.timedelta(hours=2))
    assert [item.referral.ref for item in queue] == [medium.ref, standard.ref]

    pack = load_pack("wales")
    reversed_lists = {
        **pack.lists,
        "referrer_priorities": tuple(reversed(pack.lists["referrer_priorities"])),
    }
    monkeypatch.setattr(
        selectors, "current_pack", lambda: dataclasses.replace(pack, lists=reversed_lists)
    )
    queue = selectors.gateway_queue(gateway_worker, now=now + dt.timedelta(hours=2))
    assert [item.referral.ref for item in queue] == [standard.ref, medium.ref]
