"""Referrals about a person, for their subject access export (IS4, PC2; issue 18, item 7).

Every referral naming the person, as a child it is about or as a household member, up to the
export's moment: the concern, the police's facts on a police referral (#20 item 9), what the
child said (to a household member the child's own words
are a third party's, and are withheld), the Gateway's decision and its rationale. The referrer
and the decider are staff (their organisation is kept); other children named, household
members, the people described in the household notes and the other professionals are withheld.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tarian.core.disclosure import (
    STAFF,
    WITHHELD,
    Disclosure,
    Table,
    choice_label,
    disclosure_section,
    iso_moment,
    not_disclosed,
)
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals import police
from tarian.referrals.models import (
    Consent,
    DecisionSignOff,
    ParentalAwareness,
    Referral,
    ReferralReview,
    ReferralStatus,
    ReviewAction,
    UnseenChild,
    VoiceMethod,
)

NOT_DISCLOSED = [
    # #20 item 8: until the Gateway confirms it, a referrer's description of a child they could
    # not see may not be about this person at all; once confirmed (or the record linked
    # instead), the referral is about them and is in the referrals section.
    not_disclosed(UnseenChild, "a referrer's description of a child they could not see, which "
                  "the Gateway may find is someone else; once the Gateway links the record the "
                  "referral is about the person and is in their referrals"),
]


@disclosure_section(
    "referrals",
    order=80,
    records=[Referral],
    tables=[Table("Referrals", ("referrals",), (
        ("Referral", 1.6, "referral"), ("Made", 1.8, "made_at"), ("Agency", 2, "agency"),
        ("About them as", 1.6, "named_as"), ("Concern", 4, "concern"),
        ("What the child said", 3, "voice_of_child"), ("Gateway decision", 4, "decision"),
    ))],
    withheld=[
        "- Referrals: other children a referral is about, household members, the people "
        "described in its household notes and the other professionals it names are withheld; "
        "for a household member, what the child said is withheld too (it is the child's own).",
    ],
    before_release=[
        "- Referrals: the concern, what the child said, the family's strengths, the police's "
        "account of a protection notice and the Gateway's rationale and risk analysis are "
        "included as staff wrote them. The "
        "disclosure officer must read them and remove anything about other people.",
    ],
)
def referrals(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    who, now = disclosure.person, disclosure.now
    found = (
        Referral.objects.filter(Q(children=who) | Q(household=who), submitted_at__lte=now)
        .distinct()
        .select_related("referrer_agency", "decision")
        .prefetch_related("children")
        .order_by("submitted_at", "id")
    )
    pack = current_pack()
    signed = dict(
        DecisionSignOff.objects.filter(
            decision__referral__in=found, signed_off_at__lte=now
        ).values_list("decision__referral_id", "signed_off_at")
    )
    items = []
    for referral in found:
        children = list(referral.children.all())
        is_child = any(child.pk == who.pk for child in children)
        own = is_child  # what the child said is theirs to see, not a household member's
        decision = getattr(referral, "decision", None)
        if decision is not None and decision.decided_at > now:
            decision = None
        items.append({
            "referral": referral.ref,
            "made_at": iso_moment(referral.submitted_at),
            "made_by": STAFF,
            "agency": disclosure.agency(referral.referrer_id, referral.referrer_agency.name),
            "named_as": "child" if is_child else "household member",
            "other_children": len([c for c in children if c.pk != who.pk]),
            "status": choice_label(ReferralStatus, referral.status),
            "priority": pack.label("referrer_priorities", referral.priority, "en"),
            "concern": referral.concern,
            "voice_of_child": _own(referral.voice_of_child, own),
            "voice_method": choice_label(VoiceMethod, referral.voice_method)
            if referral.voice_method else "",
            "voice_of_child_absent_reason": _own(referral.voice_of_child_absent_reason, own),
            "parental_awareness": choice_label(ParentalAwareness, referral.parental_awareness),
            "consent": choice_label(Consent, referral.consent),
            "strengths": referral.strengths,
            "household_notes": WITHHELD if referral.household_notes else "",
            "other_professionals": WITHHELD if referral.other_professionals else "",
            "decision": None if decision is None else {
                "outcome": pack.label("gateway_outcomes", decision.outcome, "en"),
                "rationale": decision.rationale,
                "risk_analysis": decision.risk_analysis,
                "decided_at": iso_moment(decision.decided_at),
                "decided_by": STAFF,
                "signed_off_at": iso_moment(signed.get(referral.pk)),
            },
            "police": police.disclosed(referral),
            "feedback_sent_at": iso_moment(referral.feedback_sent_at)
            if referral.feedback_sent_at and referral.feedback_sent_at <= now else None,
        })
    return items


def _own(text: str, own: bool) -> str:
    return text if own or not text else WITHHELD


# What is withheld of an officer's change to a referral (#20 item 2), as in the referral itself.
_OTHERS = ("household_notes", "other_professionals")
_CHILDS_OWN = ("voice_of_child", "voice_of_child_absent_reason")


@disclosure_section(
    "referral_reviews",
    order=81,
    records=[ReferralReview],
    tables=[Table("Reviews of referrals", ("referral_reviews",), (
        ("Referral", 1.6, "referral"), ("When", 1.8, "at"), ("Step", 2.4, "step"),
        ("Reason, comment or answer", 5, "reason"), ("Answers changed", 2.4, "changed"),
    ))],
    withheld=[
        "- Reviews of referrals: who took each step is staff (withheld); in what an officer "
        "changed, the household notes and the other professionals are withheld, and for a "
        "household member what the child said.",
    ],
    before_release=[
        "- Reviews of referrals: a supervisor's comment, the officer's answer, a manager's "
        "reason and a returned decision's rationale are included as staff wrote them; read "
        "them and remove anything about other people.",
    ],
)
def referral_reviews(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    """Each step of a referral's review (FD3, FD4, #20 item 2) of a referral naming the person:
    a police supervisor returning it to the officer and the officer sending it again (with
    what they changed, before and after), a team manager returning or replacing the Gateway's
    decision (with the decision as it was)."""
    who, now = disclosure.person, disclosure.now
    steps = (
        ReferralReview.objects.filter(
            Q(referral__children=who) | Q(referral__household=who), at__lte=now
        )
        .distinct()
        .select_related("referral")
        .order_by("at", "id")
    )
    pack = current_pack()
    as_child = set(
        Referral.objects.filter(children=who).values_list("pk", flat=True)
    )
    items = []
    for step in steps:
        own = step.referral_id in as_child
        changes = {
            name: {"before": WITHHELD, "after": WITHHELD}
            if name in _OTHERS or (name in _CHILDS_OWN and not own) else change
            for name, change in step.changes.items()
        }
        earlier = step.earlier_decision
        items.append({
            "referral": step.referral.ref,
            "at": iso_moment(step.at),
            "step": choice_label(ReviewAction, step.action),
            "by": STAFF,
            "reason": step.reason,
            "changed": ", ".join(sorted(changes)),
            "changes": changes,
            "earlier_decision": {
                "outcome": pack.label("gateway_outcomes", earlier["outcome"], "en"),
                "rationale": earlier.get("rationale", ""),
            } if earlier else None,
        })
    return items
