"""Review of the front door's work (FD3, FD4, FD5; issue 20 item 2): sign-off is a decision,
not a stamp.

- A police supervisor returns a referral to the officer with a comment, and the officer sends
  it to the supervisor again with an answer (``return_referral``, ``resubmit_referral``).
- The team manager returns the Gateway worker's decision with a reason: the worker is told and
  decides again on the pack's own clock, ``gateway_decision_returned`` (``return_decision``);
  or records their own decision in its place, recorded as the manager's, the worker's kept in
  the referral's history (``record_managers_decision``). Signing off stays
  ``services.sign_off_decision``.

Each is one transaction like the other services: access through the sharing rules
(``scope_for``), the referral locked and its version checked (``Conflict`` if stale), every
problem named by its field, written reasons checked by the shared rule
(``tarian.core.rationale.check_rationale``), audited, and kept as a ``ReferralReview`` step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_version
from tarian.core.rationale import check_rationale
from tarian.errors import Forbidden, Refused
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify
from tarian.procedures.clocks import due_at
from tarian.procedures.packs import current_pack
from tarian.referrals import deadlines, followups
from tarian.referrals.feedback import deliver_feedback
from tarian.referrals.models import (
    DecisionMaker,
    DecisionSignOff,
    GatewayDecision,
    Referral,
    ReferralReview,
    ReferralStatus,
    ReviewAction,
)
from tarian.referrals.selectors import audit_referrals, made_the_decision
from tarian.referrals.services import (
    CONTENT_FIELDS,
    _locked,
    check_decision,
    clean_content,
    decision_data,
)
from tarian.referrals.words import pack_words

RETURNED_TIMESCALE = deadlines.RETURNED_TIMESCALE


def returned_decision_due_at(returned_at: dt.datetime) -> dt.datetime:
    """When the Gateway worker must decide again a decision returned at ``returned_at``: the
    pack's ``gateway_decision_returned`` timescale (#20)."""
    return due_at(current_pack().timescale(RETURNED_TIMESCALE), returned_at)


def _reason(text: str, *, field: str, label: str, ask: str) -> tuple[str, dict[str, list[str]]]:
    """A written reason checked by the shared rule: padding, "see notes" and a bare "NFA" say
    nothing to the person it goes back to."""
    try:
        return check_rationale(text, field=field, label=label, ask=ask), {}
    except Refused as refused:
        return "", dict(refused.errors)


def _tell(user: User | None, subject: str, body: str, referral: Referral,
          words: dict[str, str] | None = None) -> None:
    """A message to one person in the language they read (VC2)."""
    if user is None or not user.is_active:
        return
    with translation.override(user.reads_in()):
        all_words = {**pack_words(), **(words or {}), "ref": referral.ref}
        notify([user], kind=NotificationKind.GENERAL, subject=capfirst(_(subject) % all_words),
               body=_(body) % all_words, link=f"/referrals/{referral.ref}")


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "D j M Y H:i")


# Police: the supervisor returns a referral to the officer; the officer sends it again (FD3).


@transaction.atomic
def return_referral(
    user: User, *, ref: str, comment: str, version: int | None = None,
    now: dt.datetime | None = None,
) -> ReferralReview:
    """FD3 (#20): a police supervisor sends a waiting referral back to the officer with a
    comment saying what to add or change; it does not reach the Gateway until approved."""
    if scope_for(user, RecordKind.SUPERVISOR_REVIEW, Action.WRITE) == Scope.NONE:
        raise Forbidden("supervisor_review:write")
    referral = _locked(user, ref, version, RecordKind.SUPERVISOR_REVIEW)
    text, errors = _reason(
        comment, field="comment", label=_("Comment"),
        ask=_("Say what the officer should add or change, and why."),
    )
    if referral.status != ReferralStatus.AWAITING_SUPERVISOR:
        errors["status"] = [_("This referral is not waiting for supervisor review")]
    if errors:
        raise Refused(errors)
    moment = now or timezone.now()
    review = ReferralReview.objects.create(
        referral=referral, action=ReviewAction.RETURNED_TO_REFERRER, by=user, at=moment,
        to=referral.referrer, reason=text,
    )
    referral.status = ReferralStatus.RETURNED_TO_REFERRER
    referral.supervisor_returned_at = moment
    referral.version += 1
    referral.modified_by = user
    referral.save()
    audit_referrals(user, [referral], action=AccessAction.UPDATE,
                    record_kind=RecordKind.SUPERVISOR_REVIEW,
                    detail={"review": ReviewAction.RETURNED_TO_REFERRER})
    _tell(
        referral.referrer,
        gettext_noop("your %(report)s %(ref)s was returned by your supervisor"),
        gettext_noop(
            "%(who)s returned your %(report)s %(ref)s before sending it to the Gateway: "
            "%(comment)s\n\nAnswer the comment on the %(report)s and send it to your "
            "supervisor again."
        ),
        referral, {"who": str(user), "comment": text},
    )
    return review


def _changed_content(
    user: User, referral: Referral, changes: dict[str, Any], *, require_police_facts: bool,
    errors: dict[str, list[str]],
) -> dict[str, dict[str, Any]]:
    """What ``changes`` would change in the referral's content, as ``{field: {"before",
    "after"}}``, checked as a new referral's content is (``services.clean_content``); every
    problem named by its field goes into ``errors``. Who the referral is about cannot change
    here: a field outside ``CONTENT_FIELDS`` is refused."""
    for name in sorted(set(changes) - set(CONTENT_FIELDS)):
        errors[name] = [_("This cannot be changed when sending it again")]
    current = {name: getattr(referral, name) for name in CONTENT_FIELDS}
    proposed = {**current, **{k: v for k, v in changes.items() if k in CONTENT_FIELDS}}
    clean, problems = clean_content(
        user, proposed, require_police_facts=require_police_facts
    )
    errors.update({k: v for k, v in problems.items() if k in changes or require_police_facts})
    return {
        name: {"before": current[name], "after": clean[name]}
        for name in CONTENT_FIELDS
        if clean[name] != current[name]
    }


@transaction.atomic
def resubmit_referral(
    user: User, *, ref: str, answer: str, version: int | None = None,
    changes: dict[str, Any] | None = None, require_police_facts: bool = False,
    now: dt.datetime | None = None,
) -> ReferralReview:
    """FD3 (#20): the officer answers the supervisor's comment, changes what the referral says
    where the comment asks (``changes``: any of ``services.CONTENT_FIELDS``; left out, a field
    stays as it is), and sends it to the supervisor again. Only the officer who made it. What
    changed is kept, before and after, in the review step (nothing changes silently).
    ``require_police_facts``: refuse a police referral that would leave a police fact out (the
    page, which asks for them)."""
    if scope_for(user, RecordKind.REFERRAL, Action.WRITE) == Scope.NONE:
        raise Forbidden("referral:write")
    referral = _locked(user, ref, version, RecordKind.REFERRAL)
    if referral.referrer_id != user.pk:
        raise Forbidden("referral:resubmit")
    text, errors = _reason(
        answer, field="answer", label=_("Your answer"),
        ask=_("Say what you added or changed in answer to your supervisor's comment."),
    )
    if referral.status != ReferralStatus.RETURNED_TO_REFERRER:
        errors["status"] = [_("This referral has not been returned to you")]
    changed = _changed_content(
        user, referral, changes or {}, require_police_facts=require_police_facts,
        errors=errors,
    )
    if errors:
        raise Refused(errors)
    moment = now or timezone.now()
    returned = referral.reviews.filter(action=ReviewAction.RETURNED_TO_REFERRER).last()
    review = ReferralReview.objects.create(
        referral=referral, action=ReviewAction.RESUBMITTED, by=user, at=moment,
        to=returned.by if returned else None, reason=text, changes=changed,
    )
    for name, change in changed.items():
        setattr(referral, name, change["after"])
    referral.status = ReferralStatus.AWAITING_SUPERVISOR
    referral.version += 1
    referral.modified_by = user
    referral.save()
    audit_referrals(user, [referral], action=AccessAction.UPDATE,
                    detail={"review": ReviewAction.RESUBMITTED, "changed": sorted(changed)})
    supervisors = User.objects.filter(
        agency=referral.referrer_agency, roles__code="cru_supervisor", is_active=True
    ).distinct()
    for supervisor in supervisors:
        _tell(
            supervisor,
            gettext_noop("%(report)s %(ref)s is waiting for your review again"),
            gettext_noop("%(who)s answered your comment and sent the %(report)s again: "
                         "%(answer)s"),
            referral, {"who": str(user), "answer": text},
        )
    return review


# The team manager: return the Gateway's decision, or record their own (FD4).


def _decision_to_review(user: User, ref: str, version: int | None) -> tuple[
    Referral, GatewayDecision, dict[str, list[str]]
]:
    if scope_for(user, RecordKind.DECISION_SIGN_OFF, Action.WRITE) == Scope.NONE:
        raise Forbidden("decision_sign_off:write")
    referral = _locked(user, ref, version, RecordKind.DECISION_SIGN_OFF)
    decision = GatewayDecision.objects.filter(referral=referral).select_related(
        "decided_by"
    ).first()
    errors: dict[str, list[str]] = {}
    if referral.status != ReferralStatus.AWAITING_SIGN_OFF or decision is None:
        raise Refused("status", _("This referral has no decision waiting for sign-off"))
    if made_the_decision(user, decision):
        errors["signed_off_by"] = [_("A decision must be reviewed by someone other than the "
                                     "person who made it")]
    return referral, decision, errors


@transaction.atomic
def return_decision(
    user: User, *, ref: str, reason: str, version: int | None = None,
    now: dt.datetime | None = None,
) -> ReferralReview:
    """FD4 (#20): the team manager sends the Gateway worker's decision back with a reason. The
    referral waits for a decision again, due by the pack's ``gateway_decision_returned``
    timescale from now; the worker is told, with the reason; the returned decision is kept."""
    referral, decision, errors = _decision_to_review(user, ref, version)
    text, problems = _reason(
        reason, field="reason", label=_("Reason"),
        ask=_("Say what the Gateway worker should look at again, and why."),
    )
    errors.update(problems)
    if errors:
        raise Refused(errors)
    moment = now or timezone.now()
    review = ReferralReview.objects.create(
        referral=referral, action=ReviewAction.DECISION_RETURNED, by=user, at=moment,
        to=decision.decided_by, reason=text, earlier_decision=decision_data(decision),
    )
    referral.status = ReferralStatus.AWAITING_DECISION
    referral.decision_returned_at = moment
    referral.decision_due_at = returned_decision_due_at(moment)
    referral.version += 1
    referral.modified_by = user
    referral.save()
    deadlines.decision_returned(referral, returned_at=moment, worker=decision.decided_by)
    followups.decision_returned(user, referral, moment)
    audit_referrals(user, [referral], action=AccessAction.UPDATE,
                    record_kind=RecordKind.DECISION_SIGN_OFF,
                    detail={"review": ReviewAction.DECISION_RETURNED})
    due = referral.decision_due_at
    _tell(
        decision.decided_by,
        gettext_noop("your decision on %(report)s %(ref)s was returned"),
        gettext_noop("%(who)s returned your decision on %(report)s %(ref)s: %(reason)s\n\n"
                     "Decide again by %(due)s."),
        referral, {"who": str(user), "reason": text, "due": _when(due)},
    )
    return review


@transaction.atomic
def record_managers_decision(
    user: User,
    *,
    ref: str,
    outcome: str,
    rationale: str,
    risk_analysis: str = "",
    threshold_level: str = "",
    comment: str = "",
    share_comment: bool = False,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> GatewayDecision:
    """FD4 (#20): the team manager records their own decision in place of the Gateway
    worker's, checked as every decision is (``services.check_decision``). It is recorded as
    the manager's, is signed off by them (it is the management decision), and the referrer is
    told (FD5); the worker's decision is kept in the referral's history and the decision's
    versions, and the worker is told."""
    referral, decision, errors = _decision_to_review(user, ref, version)
    text, risk = check_decision(
        referral, outcome=outcome, rationale=rationale, risk_analysis=risk_analysis,
        threshold_level=threshold_level, errors=errors,
    )
    if errors:
        raise Refused(errors)
    moment = now or timezone.now()
    worker = decision.decided_by
    ReferralReview.objects.create(
        referral=referral, action=ReviewAction.DECISION_REPLACED, by=user, at=moment,
        to=worker, reason=text, earlier_decision=decision_data(decision),
    )
    decision.outcome, decision.rationale, decision.risk_analysis = outcome, text, risk
    decision.threshold_level = threshold_level
    decision.decided_by, decision.decided_at = user, moment
    decision.made_as = DecisionMaker.MANAGER
    decision.version += 1
    decision.save()
    DecisionSignOff.objects.create(
        decision=decision, signed_off_by=user, signed_off_at=moment, comment=comment.strip(),
        share_comment=share_comment and bool(comment.strip()),
    )
    referral.status = ReferralStatus.DECIDED
    referral.version += 1
    referral.modified_by = user
    deadlines.decision_recorded(referral, decided_at=moment)
    followups.decision_recorded(user, referral, decision, moment)
    if deliver_feedback(referral, decision, moment):
        deadlines.feedback_sent(referral, sent_at=moment)
    referral.save()
    decision.referral = referral
    record_version(
        user, record_kind=RecordKind.GATEWAY_DECISION, record_id=referral.ref,
        version=decision.version, data=decision_data(decision),
        reason=_("The team manager's own decision, in place of %(who)s's") % {"who": worker},
    )
    audit_referrals(user, [referral], action=AccessAction.CREATE,
                    record_kind=RecordKind.GATEWAY_DECISION,
                    detail={"review": ReviewAction.DECISION_REPLACED})
    _tell(
        worker,
        gettext_noop("your decision on %(report)s %(ref)s was replaced"),
        gettext_noop("%(who)s recorded their own decision on %(report)s %(ref)s in place of "
                     "yours: %(rationale)s"),
        referral, {"who": str(user), "rationale": text},
    )
    return decision
