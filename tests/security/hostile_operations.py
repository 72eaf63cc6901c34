"""The API operations of the front door, people, merges, challenges and actions, each with a
valid request aimed at a fresh record in the right state, for the hostile values of
``test_hostile_values.py`` (#17, IS4): every operation that reads JSON, and every query."""

from __future__ import annotations

from typing import Any

from tarian.people import merging
from tarian.people.models import Involvement, Person
from tarian.referrals.models import ReferralStatus
from tests.factories import PersonFactory
from tests.people.test_merging import REASON as MERGE_REASON
from tests.people.test_merging import candidate, duplicate_of
from tests.security.conftest import REASON
from tests.security.hostile import Operation, World


def _unseen_child(w: World) -> tuple[str, dict[str, Any]]:
    """A referral naming a child its referrer could not see (#20 item 8), fresh each call,
    and the Gateway's rejection of the record it points to."""
    from tarian.referrals.models import Referral, UnseenChild

    referral = Referral.objects.get(ref=w.referral(ReferralStatus.AWAITING_DECISION))
    row = UnseenChild.objects.create(referral=referral, position=1, person=w.child,
                                     given_name="Gwen")
    return f"/api/v1/referrals/{referral.ref}/unseen-children/{row.pk}", {
        "action": "reject", "child": "", "version": referral.version,
        "reason": "The record is a child who moved away in 2019; this one attends here.",
    }


CHALLENGE_KIND = "hostile_decision"
CHALLENGE_REASON = (
    "The decision leaves out the school's record of three unexplained bruises this term and "
    "the child's account of being hit at home."
)


def _challengeable() -> None:
    """A decision anyone may see, challenge and answer (PC1): no workflow registers one yet."""
    from tarian.challenges.about import register_challengeable

    register_challengeable(
        CHALLENGE_KIND, label=lambda: "Hostile decision", describe=lambda user, ids: {},
        may_see=lambda user, ids: set(ids), may_challenge=lambda user, about_id: True,
        responders=lambda about_id, tier: [], may_respond=lambda user, about_id, tier: True,
    )


def _new_challenge(w: World) -> tuple[str, dict[str, Any]]:
    _challengeable()
    return "/api/v1/challenges", {
        "about": {"kind": CHALLENGE_KIND, "id": "H-1"}, "reason": CHALLENGE_REASON,
    }


def _challenge(w: World, action: str) -> tuple[str, dict[str, Any]]:
    from tarian.challenges.services import raise_challenge

    _challengeable()
    challenge = raise_challenge(w.users["social_worker"], about_kind=CHALLENGE_KIND,
                                about_id="H-1", reason=CHALLENGE_REASON)
    body: dict[str, Any] = (
        {"reason": CHALLENGE_REASON, "version": 1} if action == "escalate"
        else {"text": CHALLENGE_REASON, "resolved": False, "version": 1}
    )
    return f"/api/v1/challenges/{challenge.pk}/{action}", body


RATIONALE = "The school's support plan meets the need; no risk of significant harm is known."


def _person_version(w: World) -> int:
    return Person.objects.values_list("version", flat=True).get(pk=w.child.pk)


def _ending(w: World) -> tuple[str, dict[str, Any]]:
    involvement = Involvement.objects.filter(person=w.child).order_by("pk").first()
    assert involvement is not None
    return f"/api/v1/involvements/{involvement.pk}/end", {
        "version": involvement.version,
        "end_date": "2025-07-18",
        "reason": "Left the school",
    }


def _merging(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    duplicate = duplicate_of(keep)
    pair = candidate(keep, duplicate)
    return f"/api/v1/people/{keep.ref}/merge", {
        "merge": duplicate.ref,
        "reason": MERGE_REASON,
        "candidate": pair.pk,
    }


def _undoing(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    merge = merging.merge_people(
        w.users["team_manager"],
        keep_ref=keep.ref,
        merge_ref=duplicate_of(keep).ref,
        reason=MERGE_REASON,
    )
    return f"/api/v1/merges/{merge.pk}/undo", {"reason": "Two different children after all"}


def _not_same(w: World) -> tuple[str, dict[str, Any]]:
    keep = PersonFactory.create(given_name="Gwenllian", family_name="Pritchard")
    pair = candidate(keep, duplicate_of(keep))
    return f"/api/v1/duplicates/{pair.pk}/not-same", {"note": "Twins: different children"}


def _completing(w: World) -> tuple[str, dict[str, Any]]:
    """A fresh agreed action of the social worker's agency, and its outcome (SM3)."""
    from django.utils import timezone

    from tarian.actions.services import agree_action

    action = agree_action(
        w.users["team_manager"], subject_kind="hostile_test", subject_id="1",
        description="Visit the child at home", owner_agency=w.agency,
        due_date=timezone.localdate(),
    )
    return f"/api/v1/actions/{action.pk}/complete", {
        "outcome": "Visited on Tuesday; the child was seen alone.", "version": action.version,
    }


NEW_CHILD = {
    "kind": "child",
    "given_name": "Newydd",
    "family_name": "Prawf",
    "other_names": ["Mair"],
    "known_as": "Newi",
    "date_of_birth": "2016-03-04",
    "sex": "female",
    "ethnicity": "",
    "first_language": "cy",
    "welsh_active_offer": "accepted",
    "interpreter_needed": False,
    "nhs_number": "",
    "upn": "",
    "address": {"line1": "3 Lôn Las", "line2": "", "town": "Aberwen", "postcode": "LL77 7AB"},
}
NEW_REFERRAL = {
    "concern": "Bruising seen on the child's arm at school; she said she fell.",
    "voice_of_child": "She said she fell off the wall in the park.",
    "voice_method": "own_words",
    "voice_language": "cy",
    "voice_of_child_absent_reason": "",
    "parental_awareness": "aware",
    "consent": "given",
    "strengths": "Close to her nain.",
    "other_professionals": "",
    "household": [],
    "household_notes": "",
    "priority": "standard",
}

OPERATIONS = [
    Operation("POST", "/api/v1/people", "social_worker", lambda w: ("/api/v1/people", NEW_CHILD)),
    Operation(
        "PATCH",
        "/api/v1/people/{id}",
        "social_worker",
        lambda w: (
            f"/api/v1/people/{w.child.ref}",
            {
                "version": _person_version(w),
                "reason": "Hostile input check",
                "known_as": "Gwen",
            },
        ),
    ),
    Operation(
        "POST",
        "/api/v1/people/{id}/involvements",
        "social_worker",
        lambda w: (
            f"/api/v1/people/{w.child.ref}/involvements",
            {
                "agency": w.school.slug,
                "role": "school",
                "professional": "Mr Jones",
                "team": "",
                "start_date": "2025-01-06",
            },
        ),
    ),
    Operation("POST", "/api/v1/involvements/{involvement_id}/end", "social_worker", _ending),
    Operation(
        "POST",
        "/api/v1/people/{id}/break-glass",
        "social_worker",
        lambda w: (f"/api/v1/people/{w.restricted.ref}/break-glass", {"reason": REASON}),
    ),
    Operation(
        "POST",
        "/api/v1/referrals",
        "social_worker",
        lambda w: ("/api/v1/referrals", {**NEW_REFERRAL, "children": [w.child.ref]}),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/decision",
        "gateway_worker",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_DECISION)}/decision",
            {
                "outcome": "early_help",
                "rationale": RATIONALE,
                "threshold_level": "",
                "version": 1,
            },
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/sign-off",
        "team_manager",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_SIGN_OFF)}/sign-off",
            {"comment": "Agreed", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/approve",
        "cru_supervisor",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.AWAITING_SUPERVISOR)}/approve",
            {"comment": "Sent on", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/resubmit",
        "officer",
        lambda w: (
            f"/api/v1/referrals/{w.referral(ReferralStatus.RETURNED_TO_REFERRER)}/resubmit",
            {"answer": "Both children were seen alone and said what happened.", "version": 1},
        ),
    ),
    Operation(
        "POST",
        "/api/v1/referrals/{id}/unseen-children/{unseen_id}",
        "gateway_worker",
        lambda w: _unseen_child(w),
    ),
    Operation("POST", "/api/v1/people/{id}/merge", "team_manager", _merging),
    Operation("POST", "/api/v1/merges/{merge_id}/undo", "team_manager", _undoing),
    Operation("POST", "/api/v1/duplicates/{id}/not-same", "team_manager", _not_same),
    Operation("POST", "/api/v1/challenges", "social_worker", _new_challenge),
    Operation("POST", "/api/v1/challenges/{id}/escalate", "social_worker",
              lambda w: _challenge(w, "escalate")),
    Operation("POST", "/api/v1/challenges/{id}/respond", "social_worker",
              lambda w: _challenge(w, "respond")),
    Operation("POST", "/api/v1/actions/{id}/complete", "social_worker", _completing),
]


QUERIES = [
    Operation(
        "GET", "/api/v1/people", "social_worker", lambda w: ("/api/v1/people", {"q": "Prawf"})
    ),
    Operation(
        "GET",
        "/api/v1/people/match",
        "social_worker",
        lambda w: (
            "/api/v1/people/match",
            {
                "given_name": "Gelyniaethus",
                "family_name": "Prawf",
                "date_of_birth": "2016-03-04",
                "postcode": "LL77 7AB",
                "nhs_number": "",
            },
        ),
    ),
    Operation(
        "GET",
        "/api/v1/children/{id}/chronology",
        "social_worker",
        lambda w: (f"/api/v1/children/{w.child.ref}/chronology", {"since": "2020-01-01"}),
    ),
    Operation("GET", "/api/v1/referrals", "social_worker", lambda w: ("/api/v1/referrals", {})),
    Operation("GET", "/api/v1/duplicates", "team_manager", lambda w: ("/api/v1/duplicates", {})),
    Operation(
        "GET",
        "/api/v1/people/{id}/access-log",
        "team_manager",
        lambda w: (f"/api/v1/people/{w.child.ref}/access-log", {}),
    ),
    # QA1: the board's counts (months and a timescale code in the query).
    Operation(
        "GET",
        "/api/v1/deadlines/counts",
        "team_manager",
        lambda w: ("/api/v1/deadlines/counts", {"since": "2026-01", "until": "2026-06"}),
    ),
]
