"""Issue 20 item 2 on the pages and the API: the manager's three answers to a decision, the
police supervisor's return, the officer told "sent to your supervisor", in English and Welsh
(FD3, FD4, FD5, VC2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.notifications.models import Notification
from tarian.referrals import reviews, services
from tarian.referrals.models import GatewayDecision, Referral, ReferralReview, ReferralStatus
from tests.referrals.conftest import RATIONALE
from tests.referrals.test_police_facts import FORM_FACTS
from tests.referrals.test_sign_off_review import ANSWER, COMMENT, MANAGERS_RATIONALE, REASON

pytestmark = pytest.mark.django_db


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _web(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    if language != "en":
        client.cookies["django_language"] = language
    return client


@pytest.fixture
def decided(school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]) -> Referral:
    referral = services.submit_referral(school_dsl, data={**referral_data, "priority": "standard"})
    services.record_decision(gateway_worker, ref=referral.ref, outcome="information_and_advice",
                             rationale=RATIONALE, threshold_level="universal")
    referral.refresh_from_db()
    return referral


# API (additive: the contract's sign-off and approval requests work unchanged).


def test_fd4_20_api_sign_off_without_action_still_signs_off(
    decided: Referral, team_manager: User,
) -> None:
    response = _api(team_manager).post(f"/api/v1/referrals/{decided.ref}/sign-off",
                                       {"comment": "Agreed"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "decided" and body["decision"]["made_as"] == "gateway"
    assert body["decision"]["signed_off_by"] == str(team_manager)


def test_fd4_20_api_return_needs_a_reason_then_returns_to_the_gateway(
    decided: Referral, team_manager: User, gateway_worker: User,
) -> None:
    client = _api(team_manager)
    url = f"/api/v1/referrals/{decided.ref}/sign-off"
    padded = client.post(url, {"action": "return", "reason": "x x x x x x"},
                         content_type="application/json")
    assert padded.status_code == 400 and set(padded.json()["errors"]) == {"reason"}
    stale = client.post(url, {"action": "return", "reason": REASON, "version": 1},
                        content_type="application/json")
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    assert not ReferralReview.objects.exists()
    returned = client.post(url, {"action": "return", "reason": REASON,
                                 "version": decided.version}, content_type="application/json")
    assert returned.status_code == 200, returned.json()
    body = returned.json()
    assert body["status"] == "awaiting_decision" and body["decision"] is None
    [step] = body["reviews"]
    assert step["action"] == "decision_returned" and step["reason"] == REASON
    assert step["earlier_outcome"] == "information_and_advice"
    # The worker may not return a decision (wrong role).
    refused = _api(gateway_worker).post(url, {"action": "return", "reason": REASON},
                                        content_type="application/json")
    assert refused.status_code == 403


def test_fd4_20_api_managers_own_decision(
    decided: Referral, team_manager: User, gateway_worker: User, school_dsl: User,
) -> None:
    url = f"/api/v1/referrals/{decided.ref}/sign-off"
    wrong_role = _api(gateway_worker).post(
        url, {"action": "decide", "outcome": "assessment", "rationale": MANAGERS_RATIONALE},
        content_type="application/json",
    )
    assert wrong_role.status_code == 403
    response = _api(team_manager).post(url, {
        "action": "decide", "outcome": "strategy_discussion", "rationale": MANAGERS_RATIONALE,
        "threshold_level": "acute", "comment": "Police informed by phone.",
        "share_comment": True,
    }, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"]["made_as"] == "manager"
    assert body["decision"]["decided_by"] == str(team_manager)
    assert [s["action"] for s in body["reviews"]] == ["decision_replaced"]
    # The referrer reads the shared comment, not how the Gateway's decision was reviewed.
    referrer = _api(school_dsl).get(f"/api/v1/referrals/{decided.ref}").json()
    assert referrer["manager_comment"] == "Police informed by phone."
    assert referrer["reviews"] == []


def test_fd3_20_api_supervisor_returns_and_officer_resubmits(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data)
    supervisor = _api(cru_supervisor)
    url = f"/api/v1/referrals/{referral.ref}/approve"
    empty = supervisor.post(url, {"action": "return", "comment": ""},
                            content_type="application/json")
    assert empty.status_code == 400 and set(empty.json()["errors"]) == {"comment"}
    returned = supervisor.post(url, {"action": "return", "comment": COMMENT},
                               content_type="application/json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned_to_referrer"
    officer = _api(cru_officer)
    assert officer.post(url, {"action": "return", "comment": COMMENT},
                        content_type="application/json").status_code == 403
    resent = officer.post(f"/api/v1/referrals/{referral.ref}/resubmit", {"answer": ANSWER},
                          content_type="application/json")
    assert resent.status_code == 200 and resent.json()["status"] == "awaiting_supervisor"
    assert [s["action"] for s in resent.json()["reviews"]] == [
        "returned_to_referrer", "resubmitted",
    ]
    approved = supervisor.post(url, {}, content_type="application/json")
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "awaiting_decision"
    assert body["supervisor_approved_by"] == str(cru_supervisor)
    assert body["supervisor_approved_at"] is not None


# Pages.


def test_fd3_20_officer_is_told_sent_to_your_supervisor_not_sent(
    cru_officer: User, referral_data: dict[str, Any],
) -> None:
    data = {**referral_data, **FORM_FACTS, "children": ", ".join(referral_data["children"])}
    response = _web(cru_officer).post("/referrals/new", data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    referral = Referral.objects.get()
    assert f"{referral.ref} has been sent to your supervisor" in text
    assert "has been sent." not in text
    assert 'id="sent-to-supervisor"' in text


def test_fd3_vc2_20_officer_is_told_sent_to_your_supervisor_in_welsh(
    cru_officer: User, referral_data: dict[str, Any],
) -> None:
    data = {**referral_data, **FORM_FACTS, "children": ", ".join(referral_data["children"])}
    response = _web(cru_officer, "cy").post("/referrals/new", data, follow=True)
    text = response.content.decode()
    assert "wedi'i anfon at eich goruchwyliwr" in text.replace("&#x27;", "'")


def test_fd4_20_manager_returns_a_decision_on_the_page_and_a_stale_form_keeps_the_reason(
    decided: Referral, team_manager: User, gateway_worker: User,
) -> None:
    client = _web(team_manager)
    page = client.get(f"/referrals/{decided.ref}").content.decode()
    assert "Return the decision to the Gateway worker" in page
    assert "Record your own decision instead" in page
    stale = client.post(f"/referrals/{decided.ref}/sign-off", {
        "action": "return", "return-reason": REASON, "return-version": decided.version - 1,
    })
    assert stale.status_code == 400
    assert REASON in stale.content.decode().replace("&#x27;", "'")  # nothing typed is lost
    done = client.post(f"/referrals/{decided.ref}/sign-off", {
        "action": "return", "return-reason": REASON, "return-version": decided.version,
    })
    assert done.status_code == 302
    worker_page = _web(gateway_worker).get(f"/referrals/{decided.ref}").content.decode()
    assert "Review history" in worker_page and "Make the decision" in worker_page


def test_fd4_fd7_20_page_shows_level_of_need_and_the_managers_own_decision(
    decided: Referral, team_manager: User, social_worker: User,
) -> None:
    response = _web(team_manager).post(f"/referrals/{decided.ref}/sign-off", {
        "action": "decide", "manager-outcome": "assessment",
        "manager-rationale": MANAGERS_RATIONALE, "manager-threshold_level": "acute",
        "manager-comment": "Agreed with the police.", "manager-version": decided.version,
    })
    assert response.status_code == 302
    assert GatewayDecision.objects.get(referral=decided).made_as == "manager"
    page = _web(social_worker).get(f"/referrals/{decided.ref}").content.decode()
    assert 'id="level-of-need"' in page
    decided_row = page[page.index('id="decided"'):]
    assert "own decision" in decided_row[:decided_row.index("</dd>")], decided_row[:300]
    assert "Agreed with the police." in page


def test_fd3_20_approval_shows_who_and_when(
    cru_officer: User, cru_supervisor: User, gateway_worker: User,
    referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data)
    services.approve_referral(cru_supervisor, ref=referral.ref)
    page = _web(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert 'id="supervisor-approval"' in page and str(cru_supervisor) in page


def test_fd3_20_supervisor_returns_on_the_page_and_officer_resubmits(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data)
    returned = _web(cru_supervisor).post(f"/referrals/{referral.ref}/approve", {
        "action": "return", "comment": COMMENT, "version": referral.version,
    })
    assert returned.status_code == 302
    officer = _web(cru_officer)
    page = officer.get(f"/referrals/{referral.ref}").content.decode()
    assert 'id="returned-to-officer"' in page and "Send it to your supervisor again" in page
    referral.refresh_from_db()
    resent = officer.post(f"/referrals/{referral.ref}/resubmit",
                          {"answer": ANSWER, "version": referral.version}, follow=True)
    assert "has been sent to your supervisor" in resent.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_SUPERVISOR


# Welsh text of the new messages (VC2).


def test_vc2_20_returned_decision_is_told_in_the_workers_language(
    decided: Referral, team_manager: User, gateway_worker: User,
) -> None:
    gateway_worker.language = "cy"
    gateway_worker.save(update_fields=["language"])
    reviews.return_decision(team_manager, ref=decided.ref, reason=REASON)
    note = Notification.objects.get(recipient=gateway_worker)
    assert note.subject.startswith("Dychwelwyd eich penderfyniad ar adroddiad")
    assert "Penderfynwch eto erbyn" in note.body


def test_vc2_20_returned_referral_is_told_in_the_officers_language(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any],
) -> None:
    cru_officer.language = "cy"
    cru_officer.save(update_fields=["language"])
    referral = services.submit_referral(cru_officer, data=referral_data)
    reviews.return_referral(cru_supervisor, ref=referral.ref, comment=COMMENT)
    note = Notification.objects.get(recipient=cru_officer)
    assert note.subject.startswith("Dychwelodd eich goruchwyliwr eich adroddiad")
    assert "Atebwch y sylw" in note.body


def test_vc2_20_review_page_in_welsh(decided: Referral, team_manager: User) -> None:
    page = _web(team_manager, "cy").get(f"/referrals/{decided.ref}").content.decode()
    assert "Dychwelyd y penderfyniad at weithiwr y Porth" in page
    assert "Cofnodi eich penderfyniad eich hun yn lle hynny" in page
