"""Issue 21 (FD4, FD5, VC2): the home page lists what the signed-in user must do next from the
deadline rows — what it is, the child (only if the reader may open their record; never a name
otherwise), when it is due in words, and a status tag whose words say it — in English and
Welsh."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from tarian.agencies.models import User
from tarian.deadlines.services import start_clock
from tarian.people.models import Person
from tarian.referrals import services
from tests.clients import signed_in

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)


def test_fd4_issue21_home_lists_the_gateways_due_and_overdue_decisions(
    school_dsl: User, gateway_worker: User, child: Person, referral_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "high"}, now=MONDAY
    )
    monkeypatch.setattr(timezone, "now", lambda: MONDAY + dt.timedelta(hours=5, minutes=10))
    page = signed_in(gateway_worker).get("/").content.decode()
    section = page[page.index('id="due-and-overdue"'):]
    assert f"Decide on report {referral.ref}" in section
    assert f'href="/referrals/{referral.ref}"' in section
    assert str(child) in section  # the Gateway may open the child's record
    assert "overdue by 1 h 10 min" in section
    assert ">Overdue</strong>" in section  # the tag says it in words, not colour alone
    # Welsh: the same list, in Welsh.
    page = signed_in(gateway_worker, "cy").get("/").content.decode()
    section = page[page.index('id="due-and-overdue"'):]
    assert "Yn ddyledus ac yn hwyr" in page
    assert f"Penderfynu ar adroddiad {referral.ref}" in section
    assert "yn hwyr o 1 awr, 10 munud" in section
    assert ">Yn hwyr</strong>" in section


def test_fd4_issue21_the_referrer_has_nothing_due(
    school_dsl: User, referral_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    services.submit_referral(school_dsl, data=referral_data, now=MONDAY)
    monkeypatch.setattr(timezone, "now", lambda: MONDAY + dt.timedelta(hours=5))
    page = signed_in(school_dsl).get("/").content.decode()
    assert "Nothing you are responsible for is due or overdue." in page


def test_is1_issue21_home_never_names_a_child_the_owner_may_not_open(
    school_dsl: User, other_school_dsl: User, child: Person, referral_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clock owned by someone who may not open the child's record (another school's DSL)
    is listed without the child's name, and without a link to a referral they may not read."""
    referral = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "standard"}, now=MONDAY
    )
    with transaction.atomic():
        start_clock(timescale="gateway_decision_high", subject_kind="referral_decision",
                    subject_id=referral.pk, started_at=MONDAY, person=child,
                    owner=other_school_dsl)
    monkeypatch.setattr(timezone, "now", lambda: MONDAY + dt.timedelta(hours=5))
    page = signed_in(other_school_dsl).get("/").content.decode()
    section = page[page.index('id="due-and-overdue"'):]
    assert "A child whose record you may not open" in section
    assert child.given_name not in page and child.family_name not in page
    assert referral.ref not in page
    assert "Gateway decision" in section
