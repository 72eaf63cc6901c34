"""Probes for the permission matrix (IS1): the front door (referrals, supervisor review,
Gateway decision, sign-off), "is this child known?" and the threshold guide. How a probe
judges an answer is described in ``probes``.
"""

from __future__ import annotations

from typing import Any

from tarian.referrals.models import ReferralStatus, ThresholdLevel
from tarian.referrals.threshold import current_guide
from tests.security.conftest import (
    REFERRAL_CONCERN,
    World,
)
from tests.security.probes import _listed, judge

# referral (the front door). "Involved" for a referral means made by the user's agency.


REFERRAL_FORM = {
    "concern": "Matrix: the child came to school with a bruise and said her brother did it.",
    "voice_of_child": "It hurt when he pushed me.",
    "voice_method": "own_words",
    "parental_awareness": "aware",
    "consent": "given",
    "priority": "standard",
}


def web_new_referral_form(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.get("/referrals/new")
    return judge("GET /referrals/new", r, yes={200}, no={404})


# What the form asks of a police user (#20 item 9); another agency's form has no such fields
# and ignores them.
POLICE_FACTS_FORM = {
    "crime_reference": "NWP/24/1", "incident_type": "other", "police_risk_level": "standard",
    "children_present": "no",
}


def web_new_referral(w: World, involved: bool | None, scope: str) -> bool:
    data = {**REFERRAL_FORM, **POLICE_FACTS_FORM, "children": w.involved.ref}
    r = w.web.post("/referrals/new", data)
    ok = judge("POST /referrals/new", r, yes={302}, no={404})
    made = w.involved.referrals.filter(referrer=w.user).exists()
    assert ok == made, "the answer and the record disagree"
    return ok


def web_autosave_referral(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.post("/referrals/new/autosave", {"concern": "Drafft"})
    return judge("POST /referrals/new/autosave", r, yes={200}, no={404})


def api_new_referral(w: World, involved: bool | None, scope: str) -> bool:
    body = {**REFERRAL_FORM, "children": [w.involved.ref]}
    r = w.api.post("/api/v1/referrals", body, content_type="application/json")
    ok = judge("POST /api/v1/referrals", r, yes={201}, no={403})
    made = w.involved.referrals.filter(referrer=w.user).exists()
    assert ok == made, "the answer and the record disagree"
    return ok


def web_referral(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.get(f"/referrals/{referral.ref}")
    return judge("GET /referrals/{ref}", r, yes={200}, no={404}, secret=REFERRAL_CONCERN)


def api_referral(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.get(f"/api/v1/referrals/{referral.ref}")
    ok = judge("GET /api/v1/referrals/{id}", r, yes={200}, no={404}, secret=REFERRAL_CONCERN)
    assert not ok or r.json()["id"] == referral.ref
    return ok


def web_referral_list(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.get("/referrals")
    if not judge("GET /referrals", r, yes={200}, no={404}, secret=referral.ref):
        return False
    return f"/referrals/{referral.ref}" in r.content.decode()


def api_referral_list(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    return _listed("GET /api/v1/referrals", w.api.get("/api/v1/referrals"), referral.ref)


def api_gateway_queue(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.get("/api/v1/referrals", {"status": "awaiting_decision"})
    return _listed("GET /api/v1/referrals?status=awaiting_decision", r, referral.ref)


# supervisor_review / write (police supervisors send referrals on to the Gateway, FD3)


def _status_of(referral: Any) -> str:
    referral.refresh_from_db()
    return str(referral.status)


def web_approve(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SUPERVISOR)
    r = w.web.post(f"/referrals/{referral.ref}/approve")
    ok = judge("POST /referrals/{ref}/approve", r, yes={302}, no={404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_DECISION), "disagree"
    return ok


def api_approve(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SUPERVISOR)
    r = w.api.post(f"/api/v1/referrals/{referral.ref}/approve", {}, content_type="application/json")
    ok = judge("POST /api/v1/referrals/{id}/approve", r, yes={200}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_DECISION), "disagree"
    return ok


# referral / write, on the user's own referral: the officer sends a referral their supervisor
# returned to the supervisor again (FD3, #20). Only its referrer may, which the matrix cannot
# say, so the probe targets the user's own referral (the other cases: tests/referrals/
# test_sign_off_review.py).

ANSWER = {"answer": "Both children were seen alone and said what happened at home."}


def _returned_own_referral(w: World) -> Any:
    return w.referral(involved=True, status=ReferralStatus.RETURNED_TO_REFERRER)


def web_resubmit(w: World, involved: bool | None, scope: str) -> bool:
    referral = _returned_own_referral(w)
    r = w.web.post(f"/referrals/{referral.ref}/resubmit", {**ANSWER, "version": referral.version})
    ok = judge("POST /referrals/{ref}/resubmit", r, yes={302}, no={404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SUPERVISOR), "disagree"
    return ok


def api_resubmit(w: World, involved: bool | None, scope: str) -> bool:
    referral = _returned_own_referral(w)
    r = w.api.post(f"/api/v1/referrals/{referral.ref}/resubmit", ANSWER,
                   content_type="application/json")
    ok = judge("POST /api/v1/referrals/{id}/resubmit", r, yes={200}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SUPERVISOR), "disagree"
    return ok


# gateway_decision / write (FD4)

DECISION = {
    "outcome": "strategy_discussion",
    "rationale": "Bruising to a non-mobile sibling and the child's account meet the threshold.",
}


def web_decide(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.post(f"/referrals/{referral.ref}/decision", {**DECISION, "version": referral.version})
    ok = judge("POST /referrals/{ref}/decision", r, yes={302}, no={404}, secret=REFERRAL_CONCERN)
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SIGN_OFF), "disagree"
    return ok


def api_decide(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.post(
        f"/api/v1/referrals/{referral.ref}/decision", DECISION, content_type="application/json"
    )
    ok = judge("POST /api/v1/referrals/{id}/decision", r, yes={200, 201}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SIGN_OFF), "disagree"
    return ok


# decision_sign_off / write (FD4, FD5)


def web_sign_off(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SIGN_OFF)
    r = w.web.post(
        f"/referrals/{referral.ref}/sign-off", {"comment": "Agreed.", "version": referral.version}
    )
    ok = judge("POST /referrals/{ref}/sign-off", r, yes={302}, no={404}, secret=REFERRAL_CONCERN)
    assert ok == (_status_of(referral) == ReferralStatus.DECIDED), "disagree"
    return ok


def api_sign_off(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SIGN_OFF)
    r = w.api.post(
        f"/api/v1/referrals/{referral.ref}/sign-off", {"comment": "Agreed."},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/referrals/{id}/sign-off", r, yes={201, 200}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.DECIDED), "disagree"
    return ok


def web_send_feedback(w: World, involved: bool | None, scope: str) -> bool:
    """FD5: telling someone the outcome of a decided referral nobody has been told yet."""
    referral = w.referral(involved=bool(involved), status=ReferralStatus.DECIDED)
    r = w.web.post(f"/referrals/{referral.ref}/feedback")
    ok = judge("POST /referrals/{ref}/feedback", r, yes={302}, no={404}, secret=REFERRAL_CONCERN)
    referral.refresh_from_db()
    assert ok == (referral.feedback_sent_at is not None), "the answer and the record disagree"
    return ok


# person / list: "is this child known?" (FD6)


def _match_params(p: Any) -> dict[str, str]:
    return {"given_name": p.given_name, "family_name": p.family_name,
            "date_of_birth": p.date_of_birth.isoformat()}


def api_match(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get("/api/v1/people/match", _match_params(p))
    # The name and date of birth were typed by the caller; what must not show is the record.
    if not judge("GET /api/v1/people/match", r, yes={200}, no={403}, secret=p.ref):
        return False
    found = p.ref in [c["id"] for c in r.json()["candidates"]]
    assert found or p.nhs_number not in r.content.decode(), "a hidden match shows its record"
    return found


def web_match(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    params = {
        "match_given_name": p.given_name, "match_family_name": p.family_name,
        "dob_day": str(p.date_of_birth.day), "dob_month": str(p.date_of_birth.month),
        "dob_year": str(p.date_of_birth.year),
    }
    r = w.web.get("/people/match", params)
    if not judge("GET /people/match", r, yes={200}, no={404}, secret=p.ref):
        return False
    found = f"/people/{p.ref}" in r.content.decode()
    assert found or p.ref not in r.content.decode(), "a hidden match shows its record"
    return found



# threshold_guide / write (FD7): the partnership's guide of levels of need, about no one


def web_threshold_guide_form(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.get("/settings/threshold-guide")
    return judge("GET /settings/threshold-guide", r, yes={200}, no={404})


def web_threshold_guide_save(w: World, involved: bool | None, scope: str) -> bool:
    """Save the guide as it is, with one wording changed; a refusal must save nothing."""
    guide = current_guide()
    data: dict[str, Any] = {"version": guide.version, "reason": "Matrix: board agreed wording"}
    for n, level in enumerate(guide.levels):
        data.update({f"level-{n}-{name}": value for name, value in level.as_data().items()})
        data[f"level-{n}-is_active"] = "on"
    data["level-0-title_en"] = "Matrix level"
    r = w.web.post("/settings/threshold-guide", data)
    ok = judge("POST /settings/threshold-guide", r, yes={302}, no={404})
    saved = ThresholdLevel.objects.filter(title_en="Matrix level").exists()
    assert ok == saved, "the answer and the record disagree"
    return ok


# gateway_decision / write (#20 item 8): the Gateway confirms the record a child the referrer
# could not see points to.


def _unseen_row(w: World, involved: bool | None) -> Any:
    from tarian.referrals.models import UnseenChild

    referral = w.referral(involved=bool(involved))
    return UnseenChild.objects.create(
        referral=referral, position=1, person=w.involved, given_name="Gwen",
        family_name="Matrix",
    )


def _confirmed(row: Any) -> bool:
    row.refresh_from_db()
    return bool(row.status == "confirmed")


def web_link_unseen_child(w: World, involved: bool | None, scope: str) -> bool:
    row = _unseen_row(w, involved)
    referral = row.referral
    r = w.web.post(f"/referrals/{referral.ref}/unseen/{row.pk}", {
        f"unseen-{row.pk}-action": "confirm", f"unseen-{row.pk}-version": referral.version,
    })
    ok = judge("POST /referrals/{ref}/unseen/{id}", r, yes={302}, no={404},
               secret=REFERRAL_CONCERN)
    assert ok == _confirmed(row), "the answer and the record disagree"
    return ok


def api_link_unseen_child(w: World, involved: bool | None, scope: str) -> bool:
    row = _unseen_row(w, involved)
    r = w.api.post(f"/api/v1/referrals/{row.referral.ref}/unseen-children/{row.pk}",
                   {"action": "confirm"}, content_type="application/json")
    ok = judge("POST /api/v1/referrals/{id}/unseen-children/{n}", r, yes={200}, no={403, 404})
    assert ok == _confirmed(row), "the answer and the record disagree"
    return ok
