"""FD3, FD4, FD5 and issue 20 item 2: sign-off is a decision, not a stamp. The team manager
signs off, returns the decision with a reason (its own clock from the pack), or records their
own; a police supervisor returns a referral to the officer, who sends it again."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tarian.agencies.models import User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.chronology.selectors import chronology_for
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.notifications.models import Notification
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals import reviews, selectors, services
from tarian.referrals.models import (
    DecisionMaker,
    GatewayDecision,
    Referral,
    ReferralReview,
    ReferralStatus,
    ReviewAction,
)
from tests.factories import AgencyFactory, UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

REASON = (
    "The bruising was seen by a teacher and the child is afraid to go home: check with the "
    "police whether the father is known before choosing information and advice."
)
MANAGERS_RATIONALE = (
    "A disclosure of physical harm by a parent with visible bruising is reasonable cause to "
    "suspect significant harm: a strategy discussion with the police is needed today."
)
PADDED = [
    "",
    "   ",
    "NFA",
    "NFA NFA NFA NFA NFA NFA",
    "x x x x x x",
    "NFA, see notes on file for details",
    "redo redo redo redo redo redo",
]


@pytest.fixture
def decided(school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]) -> Referral:
    """A referral whose Gateway decision waits for the manager's sign-off."""
    referral = services.submit_referral(school_dsl, data={**referral_data, "priority": "standard"})
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="information_and_advice",
        rationale=RATIONALE, threshold_level="universal",
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def police_referral(cru_officer: User, referral_data: dict[str, Any]) -> Referral:
    return services.submit_referral(cru_officer, data=referral_data)


# Sign off, with the level of need and a comment the manager shares (FD4, FD5).


def test_fd4_fd5_20_sign_off_tells_the_referrer_the_level_of_need_and_a_shared_comment(
    decided: Referral, team_manager: User, school_dsl: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off_decision(
            team_manager, ref=decided.ref, comment="Agreed: the school keeps a close eye.",
            share_comment=True, version=decided.version,
        )
    feedback = Notification.objects.get(recipient=school_dsl, subject__startswith="Outcome")
    assert "Level of need: " in feedback.body
    assert "The team manager's comment: Agreed: the school keeps a close eye." in feedback.body
    page = selectors.referral_page(school_dsl, decided.ref)
    assert page.shows_manager_comment


def test_fd5_20_a_comment_not_shared_stays_with_childrens_services(
    decided: Referral, team_manager: User, school_dsl: User, social_worker: User,
) -> None:
    services.sign_off_decision(team_manager, ref=decided.ref, comment="Internal: chase CAMHS.")
    feedback = Notification.objects.get(recipient=school_dsl, subject__startswith="Outcome")
    assert "chase CAMHS" not in feedback.body
    assert not selectors.referral_page(school_dsl, decided.ref).shows_manager_comment
    assert selectors.referral_page(social_worker, decided.ref).shows_manager_comment


# Return with a reason: back to the Gateway worker, told, on the pack's own clock (FD4).


def test_fd4_20_manager_returns_decision_with_reason_and_worker_decides_again(
    decided: Referral, team_manager: User, gateway_worker: User, social_worker: User,
    child: Person, school_dsl: User,
) -> None:
    returned_at = dt.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)  # a Friday afternoon
    review = reviews.return_decision(
        team_manager, ref=decided.ref, reason=REASON, version=decided.version, now=returned_at,
    )
    referral = Referral.objects.get(pk=decided.pk)
    assert referral.status == ReferralStatus.AWAITING_DECISION
    assert review.to == gateway_worker and review.reason == REASON
    assert review.earlier_decision["outcome"] == "information_and_advice"
    # The worker is told, with the reason and when to decide again.
    note = Notification.objects.get(recipient=gateway_worker)
    assert note.subject == f"Your decision on report {referral.ref} was returned"
    assert REASON in note.body and "Decide again by" in note.body
    # The returned decision is not the decision any more, and appears in the history.
    page = selectors.referral_page(social_worker, referral.ref)
    assert page.decision is None and page.may_decide is False
    assert [step.action for step in page.reviews] == [ReviewAction.DECISION_RETURNED]
    assert selectors.referral_page(gateway_worker, referral.ref).may_decide
    # Audited, like the other changes.
    assert AccessEvent.objects.filter(
        record_kind="decision_sign_off", record_id=referral.ref, action="update"
    ).exists()
    # In the chronology for children's services, not for the school that referred.
    kinds = [event.kind for event in chronology_for(social_worker, child.ref).events]
    assert "referral_decision_returned" in kinds and "gateway_decision" not in kinds
    school_kinds = [event.kind for event in chronology_for(school_dsl, child.ref).events]
    assert "referral_decision_returned" not in school_kinds
    # The worker decides again: a new version of the decision, the first kept.
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="strategy_discussion", rationale=RATIONALE,
        version=referral.version, now=returned_at + dt.timedelta(hours=2),
    )
    decision = GatewayDecision.objects.get(referral=referral)
    assert decision.outcome == "strategy_discussion" and decision.version == 2
    versions = RecordVersion.objects.filter(record_kind="gateway_decision",
                                            record_id=referral.ref).order_by("version")
    assert [v.data["outcome"] for v in versions] == ["information_and_advice",
                                                     "strategy_discussion"]


def test_fd4_20_returned_decision_runs_the_packs_returned_clock(
    decided: Referral, team_manager: User, gateway_worker: User,
) -> None:
    returned_at = dt.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)
    reviews.return_decision(team_manager, ref=decided.ref, reason=REASON, now=returned_at)
    referral = Referral.objects.get(pk=decided.pk)
    timescale = current_pack().timescale("gateway_decision_returned")
    assert timescale.starts == "decision_returned" and timescale.source
    # Four hours in both shipped packs, counted through the evening (local practice).
    assert referral.decision_due_at == returned_at + dt.timedelta(hours=4)
    [item] = selectors.gateway_queue(gateway_worker, now=returned_at + dt.timedelta(hours=5))
    assert item.referral.ref == referral.ref
    assert item.clock.status == "overdue"
    assert item.clock.started_at == returned_at
    assert item.clock.due_at == returned_at + dt.timedelta(hours=4)


@pytest.mark.parametrize("reason", PADDED)
def test_fd4_20_return_needs_a_reason_padded_reasons_are_refused(
    decided: Referral, team_manager: User, reason: str,
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.return_decision(team_manager, ref=decided.ref, reason=reason)
    assert set(refused.value.errors) == {"reason"}
    referral = Referral.objects.get(pk=decided.pk)
    assert referral.status == ReferralStatus.AWAITING_SIGN_OFF
    assert referral.version == decided.version and not ReferralReview.objects.exists()


# The manager's own decision replaces the worker's, which is kept (FD4).


def test_fd4_20_managers_own_decision_replaces_the_workers_kept_in_history(
    decided: Referral, team_manager: User, gateway_worker: User, school_dsl: User,
    social_worker: User, child: Person,
) -> None:
    reviews.record_managers_decision(
        team_manager, ref=decided.ref, outcome="strategy_discussion",
        rationale=MANAGERS_RATIONALE, threshold_level="acute", version=decided.version,
    )
    referral = Referral.objects.get(pk=decided.pk)
    decision = GatewayDecision.objects.select_related("sign_off").get(referral=referral)
    assert referral.status == ReferralStatus.DECIDED
    assert decision.made_as == DecisionMaker.MANAGER and decision.decided_by == team_manager
    assert decision.outcome == "strategy_discussion" and decision.version == 2
    assert decision.sign_off.signed_off_by == team_manager
    # The referrer is told the manager's decision (FD5).
    assert referral.feedback_sent_at is not None
    feedback = Notification.objects.get(recipient=school_dsl, subject__startswith="Outcome")
    assert "Strategy discussion" in feedback.body
    # The worker's decision is kept, in the history and the versions; the worker is told.
    [step] = selectors.referral_page(social_worker, referral.ref).reviews
    assert step.action == ReviewAction.DECISION_REPLACED
    assert step.earlier_decision["outcome"] == "information_and_advice"
    assert step.earlier_decision["decided_by_id"] == gateway_worker.pk
    assert RecordVersion.objects.filter(record_kind="gateway_decision",
                                        record_id=referral.ref).count() == 2
    assert Notification.objects.filter(recipient=gateway_worker,
                                       subject__contains="was replaced").exists()
    events = chronology_for(social_worker, child.ref).events
    assert any(e.label.startswith("Team manager's decision: ") for e in events)
    assert any(e.kind == "referral_decision_replaced" for e in events)


@pytest.mark.parametrize("rationale", PADDED)
def test_fd4_20_managers_own_decision_meets_the_shared_rationale_rule(
    decided: Referral, team_manager: User, rationale: str,
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.record_managers_decision(
            team_manager, ref=decided.ref, outcome="assessment", rationale=rationale,
        )
    assert "rationale" in refused.value.errors
    assert GatewayDecision.objects.get(referral=decided).outcome == "information_and_advice"


def test_fd4_20_managers_own_decision_refuses_an_outcome_not_in_the_pack(
    decided: Referral, team_manager: User,
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.record_managers_decision(
            team_manager, ref=decided.ref, outcome="shrug", rationale=MANAGERS_RATIONALE,
            threshold_level="nope",
        )
    assert set(refused.value.errors) == {"outcome", "threshold_level"}


# Who may review: wrong role, wrong agency, the decider themselves (IS1, FD4).


def test_fd4_20_wrong_role_cannot_return_or_replace_a_decision(
    decided: Referral, gateway_worker: User, social_worker: User, school_dsl: User,
    cru_supervisor: User,
) -> None:
    for user in (gateway_worker, social_worker, school_dsl, cru_supervisor):
        with pytest.raises(Forbidden):
            reviews.return_decision(user, ref=decided.ref, reason=REASON)
        with pytest.raises(Forbidden):
            reviews.record_managers_decision(user, ref=decided.ref, outcome="assessment",
                                             rationale=MANAGERS_RATIONALE)
    assert Referral.objects.get(pk=decided.pk).status == ReferralStatus.AWAITING_SIGN_OFF


def test_fd4_20_a_manager_cannot_review_their_own_decision(
    school_dsl: User, team_manager: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    services.record_decision(team_manager, ref=referral.ref, outcome="assessment",
                             rationale=RATIONALE)
    with pytest.raises(Refused) as refused:
        reviews.return_decision(team_manager, ref=referral.ref, reason=REASON)
    assert "signed_off_by" in refused.value.errors


def test_fd4_20_nothing_to_review_before_a_decision(
    school_dsl: User, team_manager: User, referral_data: dict[str, Any],
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    with pytest.raises(Refused) as refused:
        reviews.return_decision(team_manager, ref=referral.ref, reason=REASON)
    assert set(refused.value.errors) == {"status"}


# Stale versions are refused, naming the version, and nothing changes (IS3).


def test_fd4_20_stale_version_is_refused_and_nothing_changes(
    decided: Referral, team_manager: User, police_referral: Referral, cru_supervisor: User,
) -> None:
    stale = decided.version - 1
    with pytest.raises(Conflict):
        reviews.return_decision(team_manager, ref=decided.ref, reason=REASON, version=stale)
    with pytest.raises(Conflict):
        reviews.record_managers_decision(team_manager, ref=decided.ref, outcome="assessment",
                                         rationale=MANAGERS_RATIONALE, version=stale)
    with pytest.raises(Conflict):
        services.sign_off_decision(team_manager, ref=decided.ref, version=stale)
    with pytest.raises(Conflict):
        reviews.return_referral(cru_supervisor, ref=police_referral.ref, comment=REASON,
                                version=police_referral.version + 1)
    assert Referral.objects.get(pk=decided.pk).status == ReferralStatus.AWAITING_SIGN_OFF
    assert Referral.objects.get(pk=police_referral.pk).status == (
        ReferralStatus.AWAITING_SUPERVISOR
    )
    assert not ReferralReview.objects.exists()


# Police: the supervisor returns the referral to the officer, who sends it again (FD3).

COMMENT = (
    "Add what the children said when you arrived and whether they were seen alone, then send "
    "it back to me."
)
ANSWER = (
    "Both children were seen alone in the kitchen; the older one said dad shouted and pushed "
    "mum. Added to the concern."
)


def test_fd3_20_police_supervisor_returns_and_officer_resubmits(
    police_referral: Referral, cru_officer: User, cru_supervisor: User,
    gateway_worker: User,
) -> None:
    assert police_referral.status == ReferralStatus.AWAITING_SUPERVISOR
    reviews.return_referral(cru_supervisor, ref=police_referral.ref, comment=COMMENT,
                            version=police_referral.version)
    referral = Referral.objects.get(pk=police_referral.pk)
    assert referral.status == ReferralStatus.RETURNED_TO_REFERRER
    assert selectors.supervisor_queue(cru_supervisor) == []
    assert selectors.gateway_queue(gateway_worker) == []
    note = Notification.objects.get(recipient=cru_officer)
    assert COMMENT in note.body and "returned" in note.subject
    page = selectors.referral_page(cru_officer, referral.ref)
    assert page.may_resubmit and [s.reason for s in page.reviews] == [COMMENT]
    # Only the officer who made it sends it again, with an answer that says something.
    other_officer = UserFactory(agency=cru_officer.agency, roles=["cru_officer"])
    with pytest.raises(Forbidden):
        reviews.resubmit_referral(other_officer, ref=referral.ref, answer=ANSWER)
    with pytest.raises(Refused) as refused:
        reviews.resubmit_referral(cru_officer, ref=referral.ref, answer="done done done done")
    assert set(refused.value.errors) == {"answer"}
    reviews.resubmit_referral(cru_officer, ref=referral.ref, answer=ANSWER,
                              version=referral.version)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_SUPERVISOR
    assert Notification.objects.filter(recipient=cru_supervisor,
                                       subject__contains="again").exists()
    assert [i.referral.ref for i in selectors.supervisor_queue(cru_supervisor)] == [referral.ref]
    # Then approved: who and when are recorded and shown.
    approved_at = dt.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
    services.approve_referral(cru_supervisor, ref=referral.ref, now=approved_at)
    referral = selectors.referral_for(gateway_worker, referral.ref)
    assert referral.supervisor_approved_by == cru_supervisor
    assert referral.supervisor_approved_at == approved_at
    assert [s.action for s in selectors.referral_page(gateway_worker, referral.ref).reviews] == [
        ReviewAction.RETURNED_TO_REFERRER, ReviewAction.RESUBMITTED,
    ]


@pytest.mark.parametrize("comment", PADDED)
def test_fd3_20_supervisor_return_needs_a_comment_that_says_something(
    police_referral: Referral, cru_supervisor: User, comment: str,
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.return_referral(cru_supervisor, ref=police_referral.ref, comment=comment)
    assert set(refused.value.errors) == {"comment"}
    assert Referral.objects.get(pk=police_referral.pk).status == (
        ReferralStatus.AWAITING_SUPERVISOR
    )


def test_fd3_20_wrong_role_or_other_force_cannot_return_a_police_referral(
    police_referral: Referral, cru_officer: User, team_manager: User, gateway_worker: User,
) -> None:
    for user in (cru_officer, team_manager, gateway_worker):
        with pytest.raises(Forbidden):
            reviews.return_referral(user, ref=police_referral.ref, comment=COMMENT)
    other_force = AgencyFactory(slug="other-police", type="police")
    outsider = UserFactory(agency=other_force, roles=["cru_supervisor"])
    with pytest.raises(NotFound):
        reviews.return_referral(outsider, ref=police_referral.ref, comment=COMMENT)
    assert Referral.objects.get(pk=police_referral.pk).status == (
        ReferralStatus.AWAITING_SUPERVISOR
    )
