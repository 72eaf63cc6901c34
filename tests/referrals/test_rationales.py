"""Gateway decisions whose reasons say something (FD4, issue 20 item 3): the shared rule
(``tarian.core.rationale``) refuses padded rationales in the service, the API and the page, on
the field it names and with what was typed kept; no further action on a high-priority referral
asks for a risk analysis, while a request with only the contract's fields keeps working for
other priorities."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.errors import Refused
from tarian.referrals import services
from tarian.referrals.models import GatewayDecision, Referral, ReferralStatus
from tests.clients import signed_in
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db

PADDED = [
    "NFA NFA NFA NFA NFA NFA",
    "x x x x x x",
    "NFA, see notes on file for details",
    "see case notes",
    "As discussed",
    "Gweler y nodiadau",
    "DCP DCP DCP DCP DCP DCP",
    "Fel y trafodwyd",
]
NFA_RATIONALE = (
    "The bruise matches the fall the school saw at break; the child's account and the "
    "mother's agree, and the school nurse is checking on her each week."
)
RISK_ANALYSIS = (
    "Risk of harm at home is low: no earlier concerns, the mother is protective and asked for "
    "help, and the school sees the child every day and will refer again if she is afraid."
)
WELSH_RATIONALE = (
    "Mae'r clais yn cyfateb i'r cwymp a welodd yr ysgol amser chwarae; mae'r plentyn a'i "
    "mam yn dweud yr un peth, ac mae nyrs yr ysgol yn ei gweld bob wythnos."
)


def _referral(referrer: User, data: dict[str, Any], priority: str = "standard") -> Referral:
    return services.submit_referral(referrer, data={**data, "priority": priority})


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


@pytest.mark.parametrize("rationale", PADDED)
def test_fd4_padded_rationale_is_refused_by_the_decision(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any], rationale: str
) -> None:
    referral = _referral(school_dsl, referral_data)
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref, outcome="early_help",
                                 rationale=rationale)
    assert set(refused.value.errors) == {"rationale"}
    assert refused.value.errors["rationale"][0].startswith("Rationale: ")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_DECISION
    assert not GatewayDecision.objects.exists()


def test_fd4_welsh_rationale_is_a_rationale(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data)
    decision = services.record_decision(gateway_worker, ref=referral.ref,
                                        outcome="no_further_action", rationale=WELSH_RATIONALE)
    assert decision.rationale == WELSH_RATIONALE and decision.risk_analysis == ""


def test_fd4_nfa_on_a_high_priority_referral_asks_for_the_risk_analysis(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="high")
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref,
                                 outcome="no_further_action", rationale=NFA_RATIONALE)
    assert set(refused.value.errors) == {"risk_analysis"}
    [message] = refused.value.errors["risk_analysis"]
    # The pack's words for the priority and the outcome, not the codes.
    assert message.startswith("Risk analysis: nothing is written here.")
    assert "“High”" in message and "“No further action by social services" in message
    with pytest.raises(Refused) as padded:
        services.record_decision(gateway_worker, ref=referral.ref, outcome="no_further_action",
                                 rationale=NFA_RATIONALE, risk_analysis="low risk, see notes")
    assert set(padded.value.errors) == {"risk_analysis"}
    decision = services.record_decision(gateway_worker, ref=referral.ref,
                                        outcome="no_further_action", rationale=NFA_RATIONALE,
                                        risk_analysis=RISK_ANALYSIS)
    assert decision.risk_analysis == RISK_ANALYSIS


def test_fd4_other_outcomes_of_a_high_priority_referral_need_no_risk_analysis(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="high")
    decision = services.record_decision(gateway_worker, ref=referral.ref,
                                        outcome="strategy_discussion", rationale=RATIONALE)
    assert decision.risk_analysis == ""


def test_fd4_the_rationale_and_the_risk_analysis_are_refused_together(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="high")
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref, outcome="no_further_action",
                                 rationale="NFA", risk_analysis="x x x x x x")
    assert set(refused.value.errors) == {"rationale", "risk_analysis"}


@pytest.mark.parametrize("rationale", PADDED[:3])
def test_fd4_api_refuses_a_padded_rationale_on_its_field_and_saves_nothing(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any], rationale: str
) -> None:
    referral = _referral(school_dsl, referral_data)
    answer = _api(gateway_worker).post(
        f"/api/v1/referrals/{referral.ref}/decision",
        {"outcome": "no_further_action", "rationale": rationale}, content_type="application/json",
    )
    assert answer.status_code == 400
    [message] = answer.json()["errors"]["rationale"]
    assert message.startswith("Rationale: ")
    assert not GatewayDecision.objects.exists()


def test_fd4_api_contract_fields_alone_still_decide_nfa_below_high_priority(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="medium")
    answer = _api(gateway_worker).post(
        f"/api/v1/referrals/{referral.ref}/decision",
        {"outcome": "no_further_action", "rationale": NFA_RATIONALE},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["decision"]["risk_analysis"] == ""


def test_fd4_api_asks_for_the_risk_analysis_on_a_high_priority_nfa(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="high")
    client = _api(gateway_worker)
    path = f"/api/v1/referrals/{referral.ref}/decision"
    body = {"outcome": "no_further_action", "rationale": NFA_RATIONALE}
    refused = client.post(path, body, content_type="application/json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"risk_analysis"}
    decided = client.post(path, {**body, "risk_analysis": RISK_ANALYSIS},
                          content_type="application/json")
    assert decided.status_code == 200
    assert decided.json()["decision"]["risk_analysis"] == RISK_ANALYSIS


def test_fd4_page_refuses_a_padded_rationale_naming_the_field_and_keeps_what_was_typed(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data)
    padded = "NFA, see notes on file for details"
    answer = signed_in(gateway_worker).post(
        f"/referrals/{referral.ref}/decision",
        {"version": referral.version, "outcome": "no_further_action", "rationale": padded},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "govuk-error-summary" in page and 'href="#id_rationale"' in page
    assert "Rationale: it only points to notes kept elsewhere" in page
    assert f">{padded}</textarea>" in page
    assert not GatewayDecision.objects.exists()


def test_fd4_page_asks_for_the_risk_analysis_on_high_priority_referrals_only(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    high = _referral(school_dsl, referral_data, priority="high")
    standard = _referral(school_dsl, referral_data)
    client = signed_in(gateway_worker)
    assert 'name="risk_analysis"' in client.get(f"/referrals/{high.ref}").content.decode()
    assert 'name="risk_analysis"' not in client.get(
        f"/referrals/{standard.ref}").content.decode()
    answer = client.post(
        f"/referrals/{high.ref}/decision",
        {"version": high.version, "outcome": "no_further_action", "rationale": NFA_RATIONALE,
         "risk_analysis": "see notes"},
    )
    page = answer.content.decode()
    assert answer.status_code == 400 and 'href="#id_risk_analysis"' in page
    assert f">{escape(NFA_RATIONALE)}</textarea>" in page and ">see notes</textarea>" in page
    done = client.post(
        f"/referrals/{high.ref}/decision",
        {"version": high.version, "outcome": "no_further_action", "rationale": NFA_RATIONALE,
         "risk_analysis": RISK_ANALYSIS},
    )
    assert done.status_code == 302
    assert RISK_ANALYSIS in client.get(f"/referrals/{high.ref}").content.decode()


def test_vc2_the_page_refuses_in_welsh(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data, priority="high")
    answer = signed_in(gateway_worker, "cy").post(
        f"/referrals/{referral.ref}/decision",
        {"version": referral.version, "outcome": "no_further_action", "rationale": "DCP"},
    )
    page = answer.content.decode()
    assert "Rhesymeg: dim ond enwi&#x27;r canlyniad" in page
    assert "Dadansoddiad risg: nid oes dim wedi&#x27;i ysgrifennu yma." in page
    assert "“Uchel”" in page


def test_fd4_a_risk_analysis_given_when_not_needed_must_say_something_too(
    gateway_worker: User, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = _referral(school_dsl, referral_data)
    with pytest.raises(Refused) as refused:
        services.record_decision(gateway_worker, ref=referral.ref, outcome="no_further_action",
                                 rationale=NFA_RATIONALE, risk_analysis="see notes")
    [message] = refused.value.errors["risk_analysis"]
    assert message.startswith("Risk analysis: it only points to notes kept elsewhere")
    assert "priority" not in message
    decision = services.record_decision(gateway_worker, ref=referral.ref,
                                        outcome="no_further_action", rationale=NFA_RATIONALE,
                                        risk_analysis=RISK_ANALYSIS)
    assert decision.risk_analysis == RISK_ANALYSIS
