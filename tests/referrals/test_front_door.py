"""FD1-FD5: referrals from any agency, supervisor review, Gateway decisions, sign-off, feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.chronology.selectors import chronology_for
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.notifications.models import Notification
from tarian.people.models import Person
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral, ReferralStatus
from tests.factories import UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_fd1_school_dsl_refers_two_siblings_and_decision_clock_starts(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    friday = dt.datetime(2026, 11, 20, 15, 0, tzinfo=LONDON)
    referral = services.submit_referral(
        school_dsl, data={**referral_data, "priority": "standard"}, now=friday
    )
    assert referral.status == ReferralStatus.AWAITING_DECISION
    assert referral.children.count() == 2
    # A standard referral: one working day after a Friday afternoon is the end of Monday (a
    # high-priority one is due within hours: tests/referrals/test_priority_clocks.py).
    assert referral.decision_due_at == dt.datetime(2026, 11, 23, 23, 59, 59, 999999,
                                                   tzinfo=LONDON)


def test_fd1_every_missing_part_is_named(school_dsl: User) -> None:
    with pytest.raises(Refused) as refused:
        services.submit_referral(school_dsl, data={"children": [], "concern": "bruise"})
    assert set(refused.value.errors) == {
        "children", "concern", "voice_of_child", "parental_awareness", "consent", "priority",
    }


def test_vc1_missing_voice_needs_a_reason(school_dsl: User, referral_data: dict[str, Any]) -> None:
    data = {**referral_data, "voice_of_child": "", "voice_of_child_absent_reason":
            "Baby of four months: observed to be quiet and flinching when handled."}
    referral = services.submit_referral(school_dsl, data=data)
    assert referral.voice_method == ""


def test_fd2_dsl_is_told_in_parallel_never_a_gate(
    school: Any, referral_data: dict[str, Any], school_dsl: User
) -> None:
    teacher = UserFactory(username="teacher", agency=school, roles=["referrer"])
    referral = services.submit_referral(teacher, data=referral_data)
    assert referral.status == ReferralStatus.AWAITING_DECISION
    assert Notification.objects.filter(recipient=school_dsl).count() == 1


def test_fd3_police_referral_waits_for_supervisor_then_reaches_gateway(
    cru_officer: User, cru_supervisor: User, gateway_worker: User,
    referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data)
    assert referral.status == ReferralStatus.AWAITING_SUPERVISOR
    assert referral.decision_due_at is None
    assert [i.referral for i in selectors.supervisor_queue(cru_supervisor)] == [referral]
    assert selectors.gateway_queue(gateway_worker) == []
    with pytest.raises(Forbidden):
        services.approve_referral(cru_officer, ref=referral.ref)
    services.approve_referral(cru_supervisor, ref=referral.ref)
    assert [i.referral.ref for i in selectors.gateway_queue(gateway_worker)] == [referral.ref]


def test_fd3_backlog_clock_flags_old_police_referrals(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any]
) -> None:
    submitted = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
    services.submit_referral(cru_officer, data=referral_data, now=submitted)
    [item] = selectors.supervisor_queue(cru_supervisor, now=submitted + dt.timedelta(hours=72))
    assert item.clock.status == "overdue" and item.age == dt.timedelta(hours=72)


@pytest.mark.parametrize(
    "rationale",
    ["", "   ", "NFA", "n.f.a.", "No further action", "No further action required.", "N/A",
     "see above", "Not serious", "Dim camau pellach", "DCP", "amherthnasol"],
)
def test_fd4_bare_or_empty_rationale_is_refused(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any], rationale: str
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref,
                                 outcome="no_further_action", rationale=rationale)
    assert "rationale" in refused.value.errors


def test_fd4_outcome_must_come_from_the_pack(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref, outcome="shrug",
                                 rationale=RATIONALE)
    assert set(refused.value.errors) == {"outcome"}


def test_fd4_roles_that_may_not_decide_are_refused(
    social_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    for user in (social_worker, school_dsl):
        with pytest.raises(Forbidden):
            services.record_decision(user, ref=referral.ref, outcome="assessment",
                                     rationale=RATIONALE)


def test_fd4_fd5_decision_sign_off_by_another_manager_and_feedback(
    team_manager: User, school_dsl: User, referral_data: dict[str, Any], child: Person,
    social_worker: User, django_capture_on_commit_callbacks: Any,
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    services.record_decision(team_manager, ref=referral.ref, outcome="strategy_discussion",
                             rationale=RATIONALE, threshold_level="acute")
    with pytest.raises(Refused) as refused:
        services.sign_off_decision(team_manager, ref=referral.ref)
    assert "signed_off_by" in refused.value.errors
    other_manager = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off_decision(other_manager, ref=referral.ref)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED and referral.feedback_sent_at is not None
    feedback = Notification.objects.get(recipient=school_dsl,
                                        subject__startswith="Outcome of your report")
    assert "Strategy discussion" in feedback.body
    events = [e.kind for e in chronology_for(social_worker, child.ref).events]
    assert "referral_made" in events and "gateway_decision" in events


def test_fd4_stale_version_conflicts(gateway_worker: User, school_dsl: User,
                                     referral_data: dict[str, Any]) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    with pytest.raises(Conflict):
        services.record_decision(gateway_worker, ref=referral.ref, outcome="assessment",
                                 rationale=RATIONALE, version=referral.version + 1)


def test_is1_referrers_see_only_their_agencys_referrals(
    school_dsl: User, other_school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    assert selectors.referral_for(school_dsl, referral.ref) == referral
    with pytest.raises(NotFound):
        selectors.referral_for(other_school_dsl, referral.ref)


def test_is1_referrer_who_cannot_see_a_child_is_told_what_an_unknown_id_is_told(
    other_school_dsl: User, referral_data: dict[str, Any], child: Person
) -> None:
    """Issue 18, item 3: naming a child one may not see was accepted while an unknown ID was
    refused, which told anyone which Tarian IDs exist (``tests/referrals/test_naming_people``)."""
    with pytest.raises(Refused) as refused:
        services.submit_referral(other_school_dsl, data=referral_data)
    assert child.ref in refused.value.errors["children"][0]
    assert not Referral.objects.exists()


def test_api_front_door_contract(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referrer = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    created = referrer.post("/api/v1/referrals", referral_data, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {"id", "received_at", "decision_due_at"} <= set(body)
    gateway = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    queue = gateway.get("/api/v1/referrals?status=awaiting_decision").json()
    assert queue["count"] == 1 and queue["results"][0]["id"] == body["id"]
    assert {"age_seconds", "decision_due_at", "clock_status"} <= set(queue["results"][0])
    empty = gateway.post(f"/api/v1/referrals/{body['id']}/decision",
                         {"outcome": "no_further_action", "rationale": ""},
                         content_type="application/json")
    assert empty.status_code == 400 and "rationale" in empty.json()["errors"]
    decided = gateway.post(f"/api/v1/referrals/{body['id']}/decision",
                           {"outcome": "strategy_discussion", "rationale": RATIONALE},
                           content_type="application/json")
    assert decided.status_code == 200
    assert decided.json()["decision"]["outcome"] == "strategy_discussion"
    fetched = referrer.get(f"/api/v1/referrals/{body['id']}").json()
    assert fetched["status"] == "awaiting_sign_off" and fetched["feedback_sent_at"] is None


def test_api_referral_400_names_every_field_and_saves_nothing(school_dsl: User) -> None:
    from tarian.referrals.models import Referral

    client = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    response = client.post("/api/v1/referrals", {"children": ["TNOPE0000"], "priority": "urgent"},
                           content_type="application/json")
    assert response.status_code == 400
    assert {"children", "concern", "priority", "voice_of_child"} <= set(
        response.json()["errors"]
    )
    assert not Referral.objects.exists()
