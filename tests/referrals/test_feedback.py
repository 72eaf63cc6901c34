"""FD5: the referrer is told the outcome within the pack's timescale, and that it was sent is
recorded only when someone was told (#18 item 11).

An inactive referrer's feedback was recorded as sent (``feedback_sent_at``) although
``notify`` skips inactive users, so nobody was told and the clock showed it met. Now: the
referrer is told while their account is open; otherwise their agency's safeguarding leads
(DSLs, police supervisors) are; when nobody can be, nothing is recorded as sent, the feedback
clock (from the Gateway decision, the pack's ``feedback_to_referrer``) runs on and goes overdue,
and the Gateway can send it again once someone can be told.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.errors import Forbidden, Refused
from tarian.notifications.models import Notification
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
# Three working days from Monday's decision: the end of Thursday.
DUE = dt.datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=LONDON)


@pytest.fixture
def teacher(school: Agency) -> User:
    return UserFactory(
        username="athro", first_name="Alun", last_name="Athro", agency=school, roles=["referrer"]
    )


def _decided(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    *,
    referrer_leaves: bool,
) -> Referral:
    """A referral by the teacher, decided on Monday 10:00 and signed off an hour later; the
    teacher's account is closed in between if ``referrer_leaves``."""
    referral = services.submit_referral(
        teacher, data=referral_data, now=MONDAY - dt.timedelta(hours=2)
    )
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="early_help", rationale=RATIONALE, now=MONDAY
    )
    if referrer_leaves:
        teacher.is_active = False
        teacher.save(update_fields=["is_active"])
    manager = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    services.sign_off_decision(manager, ref=referral.ref, now=MONDAY + dt.timedelta(hours=1))
    return Referral.objects.select_related("decision").get(pk=referral.pk)


def _outcomes() -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(subject__contains="Outcome of")
        .values_list("recipient__username", "subject")
        .order_by("recipient__username")
    )


def test_fd5_an_active_referrer_is_told_and_the_clock_is_met(
    teacher: User,
    school_dsl: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=False)
    assert referral.feedback_sent_at == MONDAY + dt.timedelta(hours=1)
    assert referral.feedback_sent_to == [{"name": "Alun Athro", "as": "referrer"}]
    assert _outcomes() == [("athro", f"Outcome of your report {referral.ref}")]
    clock = selectors.feedback_clock(referral, now=MONDAY + dt.timedelta(days=30))
    assert clock is not None
    assert (clock.due_at, clock.status) == (DUE, "met")


def test_fd5_an_inactive_referrers_feedback_goes_to_their_agencys_safeguarding_lead(
    teacher: User,
    school_dsl: User,
    other_school_dsl: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    assert referral.feedback_sent_at is not None
    assert referral.feedback_sent_to == [{"name": str(school_dsl), "as": "safeguarding_lead"}]
    # The DSL of the referrer's own school, never another agency's.
    assert _outcomes() == [("elen", f"Outcome of report {referral.ref} from Alun Athro")]


def test_fd5_nobody_to_tell_is_not_recorded_as_sent_and_the_clock_goes_overdue(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    """The defect: the inactive referrer got nothing, yet ``feedback_sent_at`` was set."""
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    assert referral.feedback_sent_at is None and referral.feedback_sent_to == []
    assert _outcomes() == []
    before = selectors.feedback_clock(referral, now=DUE - dt.timedelta(days=2))
    after = selectors.feedback_clock(referral, now=DUE + dt.timedelta(minutes=1))
    assert before is not None and after is not None
    assert (before.status, after.status, after.due_at) == ("pending", "overdue", DUE)


def test_fd5_sending_again_reaches_a_newly_named_lead_and_the_clock_is_met_late(
    teacher: User,
    school: Agency,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    version = referral.version
    with pytest.raises(Refused) as nobody:
        services.send_feedback(gateway_worker, ref=referral.ref, now=DUE)
    assert "Nobody at Ysgol Aberwen can be told" in nobody.value.errors["feedback"][0]
    referral.refresh_from_db()
    assert (referral.feedback_sent_at, referral.version) == (None, version)

    lead = UserFactory(username="arweinydd", agency=school, roles=["dsl"])
    later = DUE + dt.timedelta(days=1)
    services.send_feedback(gateway_worker, ref=referral.ref, now=later)
    referral = Referral.objects.select_related("decision").get(pk=referral.pk)
    assert referral.feedback_sent_at == later and referral.version == version + 1
    assert referral.feedback_sent_to == [{"name": str(lead), "as": "safeguarding_lead"}]
    clock = selectors.feedback_clock(referral, now=later)
    assert clock is not None and clock.status == "met_late"
    with pytest.raises(Refused) as again:
        services.send_feedback(gateway_worker, ref=referral.ref)
    assert again.value.errors == {"feedback": ["The outcome of this referral was already sent"]}
    assert len(_outcomes()) == 1


def test_fd5_sending_again_is_refused_before_sign_off_and_for_those_who_do_not_decide(
    teacher: User,
    school_dsl: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
) -> None:
    referral = services.submit_referral(teacher, data=referral_data)
    with pytest.raises(Refused) as refused:
        services.send_feedback(gateway_worker, ref=referral.ref)
    assert list(refused.value.errors) == ["status"]
    with pytest.raises(Forbidden):
        services.send_feedback(school_dsl, ref=referral.ref)


def test_fd5_the_api_shows_the_feedback_clock(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    api = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    waiting = services.submit_referral(teacher, data=referral_data)
    body = api.get(f"/api/v1/referrals/{waiting.ref}").json()
    assert (body["feedback_due_at"], body["feedback_status"]) == (None, None)
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    body = api.get(f"/api/v1/referrals/{referral.ref}").json()
    assert body["feedback_sent_at"] is None
    assert body["feedback_status"] == "overdue"  # decided in November 2026, never told
    assert dt.datetime.fromisoformat(body["feedback_due_at"]) == DUE
    listed = {r["id"]: r for r in api.get("/api/v1/referrals").json()["results"]}
    assert listed[referral.ref]["feedback_status"] == "overdue"
    assert listed[waiting.ref]["feedback_status"] is None


def test_fd5_the_referral_page_shows_the_overdue_clock_and_sends_again(
    teacher: User,
    school: Agency,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    monkeypatch.setattr(timezone, "now", lambda: DUE + dt.timedelta(days=1))
    client = signed_in(gateway_worker)
    page = client.get(f"/referrals/{referral.ref}").content.decode()
    assert "due by Thu 5 Nov 2026 23:59" in page and "Overdue" in page
    assert "Nobody at Ysgol Aberwen can be told the outcome" in page
    assert "Send the feedback again" in page
    UserFactory(
        username="arweinydd", first_name="Mair", last_name="Arweinydd", agency=school, roles=["dsl"]
    )
    page = client.get(f"/referrals/{referral.ref}").content.decode()
    assert "Mair Arweinydd can be told now" in page
    sent = client.post(f"/referrals/{referral.ref}/feedback", follow=True).content.decode()
    assert "The outcome has been sent to Mair Arweinydd." in sent
    assert "Met late" in sent and "Send the feedback again" not in sent
    assert "designated safeguarding person: the referrer no longer has an account" in sent


def test_fd5_signing_off_says_when_nobody_could_be_told(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    referral = services.submit_referral(teacher, data=referral_data)
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="early_help", rationale=RATIONALE
    )
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    referral.refresh_from_db()
    page = (
        signed_in(team_manager)
        .post(
            f"/referrals/{referral.ref}/sign-off",
            {"comment": "", "version": referral.version},
            follow=True,
        )
        .content.decode()
    )
    assert "Signed off, but nobody has been told the outcome yet." in page
    assert "The referrer has been told" not in page


def test_fd5_only_the_gateway_can_send_feedback_again(
    teacher: User,
    social_worker: User,
    other_school_dsl: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    teacher.is_active = True  # someone could be told now, but not by these two
    teacher.save(update_fields=["is_active"])
    for outsider in (social_worker, other_school_dsl):
        response = signed_in(outsider).post(f"/referrals/{referral.ref}/feedback")
        assert response.status_code == 404
        assert referral.concern[:30] not in response.content.decode()
    referral.refresh_from_db()
    assert referral.feedback_sent_at is None and _outcomes() == []


def test_vc2_fd5_the_feedback_clock_and_warning_in_welsh(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker, team_manager, referrer_leaves=True)
    monkeypatch.setattr(timezone, "now", lambda: DUE + dt.timedelta(days=1))
    page = signed_in(gateway_worker, "cy").get(f"/referrals/{referral.ref}").content.decode()
    assert "Yn hwyr" in page and "Anfon yr adborth eto" in page
    assert "Ni all neb yn Ysgol Aberwen gael gwybod y canlyniad" in page
