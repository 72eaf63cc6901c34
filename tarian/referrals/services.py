"""The front door's actions: submit a referral, approve it (police), decide, sign off (FD1-FD5).

Each is one transaction that checks access through the sharing rules, validates every field
(collecting all problems into one ``Refused``), writes, and audits. Feedback to the referrer is
sent when the decision is signed off (to their agency's safeguarding leads if the referrer's
account is closed); when, and to whom, is kept on the referral only if someone was told.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, AgencyType, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_version
from tarian.core.rationale import check_rationale
from tarian.errors import Conflict, Forbidden, NotFound, Refused, Restricted
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each
from tarian.people import vocabulary
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.people.services import new_ref
from tarian.procedures.packs import current_pack
from tarian.referrals import deadlines, followups, police, unseen
from tarian.referrals.feedback import deliver_feedback, nobody_to_tell
from tarian.referrals.models import (
    Consent,
    DecisionMaker,
    DecisionSignOff,
    GatewayDecision,
    ParentalAwareness,
    Referral,
    ReferralStatus,
    VoiceMethod,
)
from tarian.referrals.selectors import (
    audit_referrals,
    decision_due_at,
    decision_timescale,
    made_the_decision,
    referrals_for,
    withhold_restricted,
)
from tarian.referrals.threshold import threshold_codes
from tarian.referrals.words import pack_words

# FD4: "no further action" on a referral its referrer marked high priority needs its own risk
# analysis. Both are codes every pack must have (``procedures.packs.REQUIRED_LIST_CODES``);
# their words come from the pack.
NO_FURTHER_ACTION = "no_further_action"
HIGH_PRIORITY = "high"


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _long_text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _not_seen(refs: list[str]) -> str:
    """One answer for an ID that is unknown and for one the user may not see (IS1): a
    referral must not tell anyone that a record they cannot see exists."""
    return _("No person you can see has the Tarian ID %(ids)s") % {"ids": ", ".join(refs)}


def clean_referral(
    user: User,
    data: dict[str, Any],
    *,
    require_voice_method: bool = False,
    require_police_facts: bool = False,
) -> dict[str, Any]:
    """Check a referral's content (FD1, VC1); every problem is named by its field. The user may
    name only children and household members they may see (``people_for``).

    The child's voice needs the way it was captured (VC1) only where the referrer is asked
    (``require_voice_method``: the referral form); a partner system may leave it out, as the
    API contract promises, and it is recorded as not stated.

    A police referrer's facts (#20 item 9, ``police.clean_police_facts``) are required where the
    referrer is asked (``require_police_facts``: the referral form); a partner system may leave
    them out and the Gateway sees them as not given. A non-police referrer's are refused."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    visible = people_for(user)
    # #20 item 8: children the referrer could not see, by the matcher's handles.
    unseen_children, unseen_errors = unseen.clean_unseen_children(
        user, data.get(unseen.FIELD)
    )
    errors.update(unseen_errors)
    refs = data.get("children")
    if (refs in (None, []) and (unseen_children or unseen_errors)):
        people: list[Person] = []
    elif not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        errors["children"] = [
            _("Choose at least one child the %(report)s is about") % pack_words()
        ]
        people = []
    else:
        people = list(visible.filter(ref__in=refs))
        missing = sorted(set(refs) - {p.ref for p in people})
        merged = [p for p in people if p.merged_into_id is not None]
        if missing:
            errors["children"] = [_not_seen(missing)]
        elif merged:
            kept = dict(Person.objects.filter(pk__in=[p.merged_into_id for p in merged])
                        .values_list("pk", "ref"))
            errors["children"] = [
                _("%(ref)s was merged into %(kept)s: refer %(kept)s instead")
                % {"ref": p.ref, "kept": kept.get(p.merged_into_id or 0, "")}
                for p in merged
            ]
    clean["children"] = people
    named = {p.pk for p in people}
    clean[unseen.FIELD] = [c for c in unseen_children if c.person.pk not in named]
    household_refs = data.get("household") or []
    if not isinstance(household_refs, list) or not all(isinstance(r, str) for r in household_refs):
        errors["household"] = [_("Give household members as a list of Tarian IDs")]
        household_refs = []
    household = list(visible.filter(ref__in=household_refs)) if household_refs else []
    unknown = sorted(set(household_refs) - {p.ref for p in household})
    problems = errors.setdefault("household", [])
    if unknown:
        problems.append(_not_seen(unknown))
    if any(p.merged_into_id for p in household):
        problems.append(_("A household member's record was merged: use the record kept"))
    if {p.pk for p in household} & {p.pk for p in people}:
        problems.append(_("A child the referral is about is not also a household member"))
    if not problems:
        del errors["household"]
    clean["household"] = household
    content, content_errors = clean_content(
        user, data, require_voice_method=require_voice_method,
        require_police_facts=require_police_facts,
    )
    clean.update(content)
    errors.update(content_errors)
    if errors:
        raise Refused(errors)
    return clean


# What a referral says, as against whom it is about: what the officer may change when sending
# a returned referral again (#20 item 2).
CONTENT_FIELDS = (
    "household_notes", "concern", "voice_of_child", "voice_method", "voice_language",
    "voice_of_child_absent_reason", "parental_awareness", "consent", "priority", "strengths",
    "other_professionals", *police.FIELDS,
)


def clean_content(
    user: User,
    data: dict[str, Any],
    *,
    require_voice_method: bool = False,
    require_police_facts: bool = False,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check what a referral says (every field of ``CONTENT_FIELDS``): the cleaned values and
    the problems, each named by its field (FD1, VC1; see ``clean_referral``)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean["household_notes"] = _long_text(data, "household_notes")
    clean["concern"] = _long_text(data, "concern")
    if len(clean["concern"]) < 20:
        errors["concern"] = [_("Describe the concern: what happened, when, and who was there")]
    clean["voice_of_child"] = _long_text(data, "voice_of_child")
    clean["voice_of_child_absent_reason"] = _long_text(data, "voice_of_child_absent_reason")
    if not clean["voice_of_child"] and not clean["voice_of_child_absent_reason"]:
        errors["voice_of_child"] = [
            _("Record what the child said or showed, or say why it could not be recorded")
        ]
    clean["voice_method"] = method = _text(data, "voice_method")
    if not clean["voice_of_child"]:
        clean["voice_method"] = ""
    elif not method and not require_voice_method:
        # A partner system built to the API contract, before the method was asked for, sends
        # none: the voice is kept and its method recorded as not stated (#20).
        clean["voice_method"] = VoiceMethod.NOT_STATED
    elif not method:
        errors["voice_method"] = [_("Say how the child's voice was captured")]
    elif method not in VoiceMethod.values:
        errors["voice_method"] = [
            _("Choose one of: %(values)s") % {"values": ", ".join(VoiceMethod.values)}
        ]
    clean["voice_language"] = _text(data, "voice_language")
    if clean["voice_language"] and clean["voice_language"] not in vocabulary.codes("language"):
        errors["voice_language"] = [_("Choose a language from the list")]
    # Left unanswered, the question is named in words; a value not in the list (a partner
    # system's) is answered with the codes allowed.
    unanswered = {
        "parental_awareness": _("Say whether the parents or carers know about this %(report)s")
        % pack_words(),
        "consent": _("Say whether consent was given, refused or not sought"),
        "priority": _("Choose how urgent this is"),
    }
    priorities = current_pack().codes("referrer_priorities")
    for name, codes in (
        ("parental_awareness", list(ParentalAwareness.values)),
        ("consent", list(Consent.values)),
        ("priority", priorities),
    ):
        clean[name] = _text(data, name)
        if not clean[name]:
            errors[name] = [unanswered[name]]
        elif clean[name] not in codes:
            errors[name] = [_("Choose one of: %(values)s") % {"values": ", ".join(codes)}]
    clean["strengths"] = _long_text(data, "strengths")
    clean["other_professionals"] = _long_text(data, "other_professionals")
    facts, police_errors = police.clean_police_facts(
        user, data, required=require_police_facts
    )
    clean.update(facts)
    errors.update(police_errors)
    return clean, errors


def _needs_supervisor(user: User) -> bool:
    return (
        settings.TARIAN_POLICE_SUPERVISOR_REVIEW
        and user.agency is not None
        and user.agency.type == AgencyType.POLICE
        and not user.has_role("cru_supervisor")
    )


@transaction.atomic
def submit_referral(
    user: User,
    *,
    data: dict[str, Any],
    now: dt.datetime | None = None,
    require_voice_method: bool = False,
    require_police_facts: bool = False,
) -> Referral:
    """FD1: a practitioner of any agency refers. FD2: their DSL is told, in parallel."""
    if scope_for(user, RecordKind.REFERRAL, Action.WRITE) == Scope.NONE or user.agency is None:
        raise Forbidden("referral:write")
    clean = clean_referral(
        user, data, require_voice_method=require_voice_method,
        require_police_facts=require_police_facts,
    )
    moment = now or timezone.now()
    children = clean.pop("children")
    household = clean.pop("household")
    unseen_children = clean.pop(unseen.FIELD)
    waiting = _needs_supervisor(user)
    referral = Referral(
        **clean,
        ref="R" + new_ref()[1:],
        referrer=user,
        referrer_agency=user.agency,
        status=ReferralStatus.AWAITING_SUPERVISOR if waiting else ReferralStatus.AWAITING_DECISION,
        submitted_at=moment,
        created_by=user,
        modified_by=user,
    )
    if not waiting:
        _receive(referral, moment)
    referral.save()
    referral.children.set(children)
    referral.household.set(household)
    unseen.record_unseen_children(user, referral, unseen_children)
    if waiting:
        # FD3: the police supervisor's backlog, as rows, in this transaction (issue 21).
        deadlines.start_backlog_clock(referral, submitted_at=moment, children=children)
    else:
        _start_decision_clock(referral, moment, children)
    audit_referrals(user, [referral], action=AccessAction.CREATE)
    dsls = User.objects.filter(agency=user.agency, roles__code="dsl", is_active=True).exclude(
        pk=user.pk
    )
    # Each reader is told in their own language, not the referrer's (VC2, #20 item 11).
    notify_each(
        dsls, kind=NotificationKind.GENERAL,
        message=lambda: (
            _("%(who)s made %(report)s %(ref)s") % {
                "who": user, "ref": referral.ref, **pack_words(),
            },
            _("For your information as %(lead)s: %(who)s has sent a %(report)s about a "
              "safeguarding concern to the Gateway. You do not need to act on it.")
            % {"who": user, **pack_words()},
        ),
        link=f"/referrals/{referral.ref}",
    )
    if waiting:
        supervisors = User.objects.filter(
            agency=user.agency, roles__code="cru_supervisor", is_active=True
        )
        notify_each(
            supervisors, kind=NotificationKind.GENERAL,
            message=lambda: (
                capfirst(_("%(report)s %(ref)s is waiting for your review") % {
                    "ref": referral.ref, **pack_words(),
                }),
                _("A police %(report)s is waiting for supervisor review before it is sent.")
                % pack_words(),
            ),
            link=f"/referrals/{referral.ref}",
        )
    return referral


def _receive(referral: Referral, moment: dt.datetime) -> None:
    """The Gateway has the referral from ``moment``: the decision clock its priority sets
    starts (FD4, #20)."""
    referral.received_at = moment
    referral.decision_due_at = decision_due_at(referral.priority, moment)


def _start_decision_clock(
    referral: Referral, moment: dt.datetime, children: list[Person] | None = None
) -> None:
    """The received referral's decision clock as deadline rows (issue 21), in this
    transaction: due when ``decision_due_at`` says, from the same timescale."""
    deadlines.start_decision_clock(
        referral, timescale=decision_timescale(referral.priority).key, started_at=moment,
        children=children,
    )


def _locked(user: User, ref: str, version: int | None, record_kind: str) -> Referral:
    """The referral, locked, if the user may both read it and write ``record_kind`` on it."""
    readable = referrals_for(user).filter(ref=ref)
    referral = (
        referrals_for(user, Action.WRITE, record_kind)
        .filter(pk__in=readable.values("pk"))
        .select_for_update(of=("self",))
        .first()
    )
    if referral is None:
        raise NotFound(ref)
    # Nobody acts on a referral about a restricted person they may not open (IS1).
    withhold_restricted(user, [referral])
    if referral.withheld_for:
        raise Restricted(referral.withheld_for)
    if version is not None and referral.version != version:
        raise Conflict(referral.version)
    return referral


@transaction.atomic
def approve_referral(
    user: User, *, ref: str, version: int | None = None, now: dt.datetime | None = None
) -> Referral:
    """FD3: a police supervisor sends a waiting referral on to the Gateway."""
    if scope_for(user, RecordKind.SUPERVISOR_REVIEW, Action.WRITE) == Scope.NONE:
        raise Forbidden("supervisor_review:write")
    referral = _locked(user, ref, version, RecordKind.SUPERVISOR_REVIEW)
    if referral.status != ReferralStatus.AWAITING_SUPERVISOR:
        raise Refused("status", _("This referral is not waiting for supervisor review"))
    moment = now or timezone.now()
    referral.status = ReferralStatus.AWAITING_DECISION
    referral.supervisor_approved_by = user
    referral.supervisor_approved_at = moment
    _receive(referral, moment)
    referral.version += 1
    referral.modified_by = user
    referral.save()
    deadlines.supervisor_approved(referral, approved_at=moment)
    _start_decision_clock(referral, moment)
    audit_referrals(user, [referral], action=AccessAction.UPDATE, detail={"approved": True})
    return referral


def asks_risk_analysis(referral: Referral) -> bool:
    """FD4: whether some outcome of this referral needs a risk analysis (the page asks for one
    beside the rationale)."""
    return referral.priority == HIGH_PRIORITY


def needs_risk_analysis(referral: Referral, outcome: str) -> bool:
    """FD4: no further action on a high-priority referral must say what the risks are."""
    return outcome == NO_FURTHER_ACTION and asks_risk_analysis(referral)


def _risk_analysis_asked(referral: Referral) -> str:
    pack = current_pack()
    language = get_language() or "en"
    return _(
        "This %(report)s was sent with the priority “%(priority)s”, so “%(outcome)s” needs a "
        "risk analysis: say what the risks to the child are, what protects them now, and why "
        "that is safe."
    ) % {
        "report": pack.term("report_name", language),
        "priority": pack.label("referrer_priorities", referral.priority, language),
        "outcome": pack.label("gateway_outcomes", NO_FURTHER_ACTION, language),
    }


def _check_decision_text(
    referral: Referral, outcome: str, rationale: str, risk_analysis: str,
    errors: dict[str, list[str]],
) -> tuple[str, str]:
    """The decision's rationale and risk analysis, checked by the shared rule (FD4)."""
    texts = {"rationale": "", "risk_analysis": ""}
    checks: list[tuple[str, str, str, str | None]] = [
        ("rationale", rationale, _("Rationale"), None)
    ]
    if needs_risk_analysis(referral, outcome):
        checks.append(
            ("risk_analysis", risk_analysis, _("Risk analysis"), _risk_analysis_asked(referral))
        )
    elif risk_analysis.strip():
        # Not needed, but one that is given must say something too.
        checks.append((
            "risk_analysis", risk_analysis, _("Risk analysis"),
            _("Say what the risks to the child are, what protects them now, and why that is "
              "safe."),
        ))
    for field, text, label, ask in checks:
        try:
            texts[field] = check_rationale(text, field=field, label=label, ask=ask)
        except Refused as refused:
            errors.update(refused.errors)
    return texts["rationale"], texts["risk_analysis"]


def check_decision(
    referral: Referral, *, outcome: str, rationale: str, risk_analysis: str,
    threshold_level: str, errors: dict[str, list[str]],
) -> tuple[str, str]:
    """FD4, FD7: a decision's outcome from the pack, its level of need from the threshold
    guide, its rationale (and risk analysis) by the shared rule; every problem is added to
    ``errors``. The Gateway's decision and the team manager's own are checked alike (#20)."""
    pack = current_pack()
    if outcome not in pack.codes("gateway_outcomes"):
        errors["outcome"] = [
            _("Choose one of: %(values)s") % {"values": ", ".join(pack.codes("gateway_outcomes"))}
        ]
    if threshold_level and threshold_level not in threshold_codes():
        errors["threshold_level"] = [_("Choose a level of need from the threshold guide")]
    return _check_decision_text(referral, outcome, rationale, risk_analysis, errors)


@transaction.atomic
def record_decision(
    user: User,
    *,
    ref: str,
    outcome: str,
    rationale: str,
    risk_analysis: str = "",
    threshold_level: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> GatewayDecision:
    """FD4: the Gateway decides, from the pack's outcomes, with a rationale that says something
    (``tarian.core.rationale``); no further action on a high-priority referral also needs a
    risk analysis."""
    if scope_for(user, RecordKind.GATEWAY_DECISION, Action.WRITE) == Scope.NONE:
        raise Forbidden("gateway_decision:write")
    referral = _locked(user, ref, version, RecordKind.GATEWAY_DECISION)
    errors: dict[str, list[str]] = {}
    text, risk = check_decision(
        referral, outcome=outcome, rationale=rationale, risk_analysis=risk_analysis,
        threshold_level=threshold_level, errors=errors,
    )
    if referral.status != ReferralStatus.AWAITING_DECISION:
        errors["status"] = [_("This referral is not waiting for a decision")]
    elif unseen.waiting_for_gateway(referral):
        errors[unseen.FIELD] = [_("First confirm or reject the record each child the referrer "
                                  "could not see points to")]
    if errors:
        raise Refused(errors)
    moment = now or timezone.now()
    # A decision the team manager returned is decided again: the row holds the decision now,
    # the returned one is kept in the referral's review history and the record's versions.
    earlier = GatewayDecision.objects.filter(referral=referral).first()
    decision = GatewayDecision(
        pk=earlier.pk if earlier else None, referral=referral, outcome=outcome,
        rationale=text, risk_analysis=risk, threshold_level=threshold_level, decided_by=user,
        decided_at=moment, made_as=DecisionMaker.GATEWAY,
        version=earlier.version + 1 if earlier else 1,
    )
    decision.save(force_update=earlier is not None, force_insert=earlier is None)
    deadlines.decision_recorded(referral, decided_at=moment)
    followups.decision_recorded(user, referral, decision, moment)
    referral.status = ReferralStatus.AWAITING_SIGN_OFF
    referral.version += 1
    referral.modified_by = user
    referral.save()
    record_version(
        user, record_kind=RecordKind.GATEWAY_DECISION, record_id=referral.ref,
        version=decision.version, data=decision_data(decision),
        reason=_("Gateway decision"),
    )
    audit_referrals(
        user, [referral], action=AccessAction.CREATE, record_kind=RecordKind.GATEWAY_DECISION
    )
    return decision


def decision_data(decision: GatewayDecision) -> dict[str, Any]:
    """A decision as its versions and its review history keep it (IS3, #20)."""
    return {
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "risk_analysis": decision.risk_analysis,
        "threshold_level": decision.threshold_level,
        "decided_by": str(decision.decided_by),
        "decided_by_id": decision.decided_by_id,
        "decided_at": decision.decided_at.isoformat(),
        "made_as": decision.made_as,
        "version": decision.version,
    }


@transaction.atomic
def sign_off_decision(
    user: User, *, ref: str, comment: str = "", share_comment: bool = False,
    version: int | None = None, now: dt.datetime | None = None,
) -> DecisionSignOff:
    """FD4: a team manager, not the decider, signs the decision off. FD5: the referrer is told
    (with the manager's comment when the manager chose to share it, #20)."""
    if scope_for(user, RecordKind.DECISION_SIGN_OFF, Action.WRITE) == Scope.NONE:
        raise Forbidden("decision_sign_off:write")
    referral = _locked(user, ref, version, RecordKind.DECISION_SIGN_OFF)
    decision = GatewayDecision.objects.filter(referral=referral).first()
    if referral.status != ReferralStatus.AWAITING_SIGN_OFF or decision is None:
        raise Refused("status", _("This referral has no decision waiting for sign-off"))
    if made_the_decision(user, decision):
        raise Refused("signed_off_by", _("A decision must be signed off by someone other "
                                         "than the person who made it"))
    moment = now or timezone.now()
    sign_off = DecisionSignOff.objects.create(
        decision=decision, signed_off_by=user, signed_off_at=moment, comment=comment.strip(),
        share_comment=share_comment and bool(comment.strip()),
    )
    referral.status = ReferralStatus.DECIDED
    referral.version += 1
    referral.modified_by = user
    if deliver_feedback(referral, decision, moment):
        deadlines.feedback_sent(referral, sent_at=moment)
    referral.save()
    decision.referral = referral  # so the caller can say whether anyone was told
    audit_referrals(
        user, [referral], action=AccessAction.CREATE, record_kind=RecordKind.DECISION_SIGN_OFF
    )
    return sign_off


@transaction.atomic
def send_feedback(user: User, *, ref: str, now: dt.datetime | None = None) -> Referral:
    """FD5: try again to tell someone the outcome of a decided referral nobody could be told
    (the referrer's account was closed and their agency had no safeguarding lead with an open
    account). Refused, with nothing changed, when feedback was sent or still nobody can be."""
    if scope_for(user, RecordKind.GATEWAY_DECISION, Action.WRITE) == Scope.NONE:
        raise Forbidden("gateway_decision:write")
    referral = _locked(user, ref, None, RecordKind.GATEWAY_DECISION)
    decision = GatewayDecision.objects.filter(referral=referral).first()
    if referral.status != ReferralStatus.DECIDED or decision is None:
        raise Refused("status", _("This referral has no signed-off decision to tell anyone of"))
    if referral.feedback_sent_at is not None:
        raise Refused("feedback", _("The outcome of this referral was already sent"))
    moment = now or timezone.now()
    if not deliver_feedback(referral, decision, moment):
        raise Refused("feedback", nobody_to_tell(referral))
    deadlines.feedback_sent(referral, sent_at=moment)
    referral.version += 1
    referral.modified_by = user
    referral.save(update_fields=[
        "feedback_sent_at", "feedback_sent_to", "version", "modified_by", "modified_at",
    ])
    audit_referrals(user, [referral], action=AccessAction.UPDATE, detail={"feedback": True})
    return referral
