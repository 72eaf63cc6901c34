"""Chronology source for the front door: referrals received, approved by a police supervisor,
decided, and the steps of their review (returned, sent again, a decision returned or replaced
by the team manager) (IS1, IS2, #20).

A reader sees a referral's events only if they may open the referral itself
(``referrals_for``: a school or a GP sees their own agency's referrals, not the police's), and
the review of the Gateway's decision only if they read every referral (children's services;
``selectors.reads_gateway_review``), as on the referral's page."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import BooleanField, QuerySet, Value
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind, User
from tarian.chronology.events import Event, register
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals import police
from tarian.referrals.models import DecisionMaker, Referral, ReferralReview, ReferralStatus
from tarian.referrals.selectors import REFERRER_REVIEW_ACTIONS, reads_gateway_review, referrals_for


def _short(text: str) -> str:
    """An entry's text at most 300 characters, ending at a word with "…" when cut (the whole
    of it is on the referral)."""
    return Truncator(text).words(45, truncate="…") if len(text) > 300 else text


def referrals_about(user: User, person: Person) -> QuerySet[Referral]:
    """The referrals about this child that the user may open (the referral page's own rule),
    each marked with whether the user reads how the Gateway's decision was reviewed."""
    return referrals_for(user).filter(children=person).annotate(
        reads_gateway_review=Value(reads_gateway_review(user), output_field=BooleanField())
    )


def _reviews(referrals: list[Referral]) -> dict[int, list[ReferralReview]]:
    """The review steps of the referrals that have any, in one query (none when no referral
    was returned or had its decision replaced)."""
    reviewed = [
        referral.pk for referral in referrals
        if referral.supervisor_returned_at or referral.decision_returned_at
        or getattr(getattr(referral, "decision", None), "made_as", "") == DecisionMaker.MANAGER
    ]
    steps: dict[int, list[ReferralReview]] = {}
    if reviewed:
        for step in ReferralReview.objects.filter(referral_id__in=reviewed).order_by("at", "pk"):
            steps.setdefault(step.referral_id, []).append(step)
    return steps


def _summary(referral: Referral) -> str:
    """The concern, after a police referral's incident type and risk level (#20 item 9)."""
    note = police.chronology_note(referral, get_language() or "en")
    return _short(f"{note}. {referral.concern}" if note else referral.concern)


@register("referrals", readable=referrals_about)
def referral_events(referrals: QuerySet[Referral], person: Person) -> Iterator[Event]:
    # The pack's word for a referral ("Report made" in Wales), issue 20 item 5.
    made = capfirst(_("%(report)s made") % {
        "report": current_pack().term("report_name", get_language() or "en")
    })
    language = get_language() or "en"
    pack = current_pack()
    chosen = list(referrals.select_related("referrer_agency", "decision"))
    steps = _reviews(chosen)
    for referral in chosen:
        agency = referral.referrer_agency
        yield Event(
            at=referral.submitted_at,
            kind="referral_made",
            label=made,
            agency_slug=agency.slug,
            agency_name=agency.display_name(get_language() or "en"),
            summary=_summary(referral),
            record_kind=RecordKind.REFERRAL,
            link=f"/referrals/{referral.ref}",
        )
        if referral.supervisor_approved_at is not None:
            yield Event(
                at=referral.supervisor_approved_at,
                kind="referral_approved",
                label=_("Approved by the police supervisor and sent to the Gateway"),
                agency_slug=agency.slug,
                agency_name=agency.display_name(language),
                summary="",
                record_kind=RecordKind.REFERRAL,
                link=f"/referrals/{referral.ref}",
            )
        gateway_review = getattr(referral, "reads_gateway_review", False)
        for step in steps.get(referral.pk, []):
            if step.action not in REFERRER_REVIEW_ACTIONS and not gateway_review:
                continue
            police = step.action in REFERRER_REVIEW_ACTIONS
            label = str(step.get_action_display())
            if step.earlier_decision.get("outcome"):
                label = _("%(step)s (was: %(outcome)s)") % {"step": label, "outcome": pack.label(
                    "gateway_outcomes", step.earlier_decision["outcome"], language
                )}
            yield Event(
                at=step.at,
                kind=f"referral_{step.action}",
                label=label,
                agency_slug=agency.slug if police else "",
                agency_name=agency.display_name(language) if police else _("Gateway"),
                summary=_short(step.reason),
                record_kind=RecordKind.REFERRAL,
                link=f"/referrals/{referral.ref}",
            )
        decision = getattr(referral, "decision", None)
        # A decision the team manager returned is not the decision until the Gateway decides
        # again: its return is shown above.
        if decision is not None and referral.status != ReferralStatus.AWAITING_DECISION:
            yield Event(
                at=decision.decided_at,
                kind="gateway_decision",
                label=(_("Team manager's decision: %(outcome)s")
                       if decision.made_as == DecisionMaker.MANAGER
                       else _("Gateway decision: %(outcome)s"))
                % {"outcome": pack.label("gateway_outcomes", decision.outcome, language)},
                agency_slug="",
                agency_name=_("Gateway"),
                summary=_short(decision.rationale),
                record_kind=RecordKind.REFERRAL,
                link=f"/referrals/{referral.ref}",
            )
